// Build step (after `vite build`, run by Node): prerenders the start screen as it is drawn with
// nothing set up, one <template> per language, into dist/index.html, with the Griffel styles it
// uses and each look's theme colours (prerendered.ts says how the page uses them).
import { readFileSync, writeFileSync } from 'node:fs';

import {
  type Theme,
  createCSSRuleFromTheme,
  createDOMRenderer,
  renderToStyleElements,
  teamsHighContrastTheme,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { renderToStaticMarkup, renderToString } from 'react-dom/server';

import { Root } from './Root';
import i18n, { LANGUAGES, initI18n } from './i18n';
import type { AppInfo } from './ipc';
import { templateId } from './prerendered';
import { NOTHING_SET_UP, type StartFacts } from './start';
import { withFontsFor } from './theme';

const INDEX = new URL('../dist/index.html', import.meta.url);
// The version Rust reports (AppInfo.version is the app package's version).
const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
const pkg = cargo.split(/^\[/m).find((section) => section.startsWith('package]'));
const version = pkg && /^version\s*=\s*"([^"]+)"/m.exec(pkg)?.[1];
if (!version) throw new Error('Cargo.toml has no [package] version');

const info: AppInfo = { name: 'Rehome', version, buildProfile: 'release', os: '', shellVersion: '', systemLocale: '' };
const facts: StartFacts = { appInfo: info, signIn: { setup: NOTHING_SET_UP, saved: false } };
(globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__ = facts;

// One renderer for both languages: its styles are the union the page needs.
const renderer = createDOMRenderer();
await initI18n([LANGUAGES[0]]);
const templates: string[] = [];
for (const language of LANGUAGES) {
  await i18n.changeLanguage(language);
  const html = renderToString(<Root renderer={renderer} info={info} />)
    // Hoisted resource hints and the theme's own style element: the page has its own (below).
    .replace(/^(<link [^>]*>)+/, '')
    .replace(/<style id="fui-FluentProvider[^"]*">[^<]*<\/style>/, '');
  templates.push(`<template id="${templateId(language)}" data-version="${version}">${html}</template>`);
}

const looks: [string, Theme][] = [
  ['light', webLightTheme],
  ['dark', webDarkTheme],
  ['highContrast', teamsHighContrastTheme],
];
const onLinux = withFontsFor(webLightTheme, 'linux');
const lookRules = [
  ...looks.map(([look, theme]) => createCSSRuleFromTheme(`html[data-look="${look}"] .fui-FluentProvider`, theme)),
  createCSSRuleFromTheme('html[data-look][data-os="linux"] .fui-FluentProvider', {
    fontFamilyBase: onLinux.fontFamilyBase,
    fontFamilyNumeric: onLinux.fontFamilyNumeric,
  }),
].join('\n');
const styles = renderToStaticMarkup(<>{renderToStyleElements(renderer)}</>);

const page = readFileSync(INDEX, 'utf8');
if (page.includes('<template id=')) throw new Error('dist/index.html is prerendered already: run vite build first');
writeFileSync(
  INDEX,
  page
    .replace('</head>', `<style data-prerendered-looks>\n${lookRules}\n</style>\n${styles}\n</head>`)
    .replace('</body>', `${templates.join('\n')}\n</body>`),
);
console.log(`prerendered the start screen (${LANGUAGES.join(', ')}) into dist/index.html`);
