// @vitest-environment node
// Every string a person sees exists in English and Swedish, every key the code uses exists, every
// key that exists is used, and no component carries a hard-coded string.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

import i18n, { LANGUAGES, changeLanguage, detectLanguage } from '.';
import en from './locales/en.json';
import sv from './locales/sv.json';

const UI_ROOT = join(__dirname, '..', '..');
const SRC = join(UI_ROOT, 'src');

function flatten(tree: object, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) for (const [k, v] of flatten(value, path)) keys.set(k, v);
    else keys.set(path, String(value));
  }
  return keys;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** i18next plurals: `key_one` and `key_other` stand for the `key` the code asks for. */
const plain = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const english = flatten(en);
const swedish = flatten(sv);
const sources = sourceFiles(SRC).map((file) => ({ file: relative(SRC, file), text: readFileSync(file, 'utf8') }));
const namespaces = new Set([...english.keys()].map((key) => key.split('.')[0]));
/** Quoted strings in the code that look like translation keys: 'start.title'. */
const literalKeys = sources.flatMap(({ file, text }) =>
  [...text.matchAll(/['"]([a-z][A-Za-z]*(?:\.[A-Za-z]+)+)['"]/g)]
    .map((match) => ({ file, key: match[1]! }))
    .filter(({ key }) => namespaces.has(key.split('.')[0]!)),
);
/** Template keys built at run time: `errors.${code}` makes every errors.* key reachable. */
const dynamicPrefixes = sources.flatMap(({ text }) =>
  [...text.matchAll(/`([a-z][A-Za-z]*(?:\.[A-Za-z]+)*\.)\$\{/g)].map((match) => match[1]!),
);

describe('translations', () => {
  it('has the same keys in English and Swedish, none of them empty', () => {
    expect([...swedish.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of [...english, ...swedish]) expect(text.trim(), key).not.toBe('');
  });

  it('keeps the same {{placeholders}} in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of english) expect(placeholders(swedish.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('has every key the code asks for', () => {
    const missing = literalKeys.filter(({ key }) => !english.has(key) && !english.has(`${key}_other`));
    expect(missing).toEqual([]);
  });

  it('has no key that nothing uses', () => {
    const used = new Set(literalKeys.map(({ key }) => key));
    const unused = [...english.keys()].filter(
      (key) => !used.has(plain(key)) && !dynamicPrefixes.some((prefix) => key.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });

  it('has an explanation for every error code the Rust side can send', () => {
    const generated = readFileSync(join(SRC, 'ipc', 'generated', 'ErrorCode.ts'), 'utf8');
    const codes = [...generated.matchAll(/"(\w+)"/g)].map((match) => match[1]!);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(english.has(`errors.${code}`), `errors.${code}`).toBe(true);
  });

  it('words every finding, check and refusal Rust can report', () => {
    const variants = (file: string) =>
      [...readFileSync(join(SRC, 'ipc', 'generated', file), 'utf8').matchAll(/"(\w+)"/g)].map((match) => match[1]!);
    for (const finding of variants('Finding.ts')) expect(english.has(`report.findings.${finding}.text`), finding).toBe(true);
    for (const check of variants('CheckId.ts')) expect(english.has(`report.check.${check}`), check).toBe(true);
    for (const refusal of variants('Refusal.ts')) expect(english.has(`refusal.${refusal}.fix`), refusal).toBe(true);
    for (const problem of variants('EmailProblem.ts')) expect(english.has(`review.email.problem.${problem}`), problem).toBe(true);
    for (const role of variants('AdminRole.ts')) expect(english.has(`home.role.${role}`), role).toBe(true);
    for (const capability of variants('Capability.ts')) expect(english.has(`home.capability.${capability}`), capability).toBe(true);
    for (const source of variants('RolesSource.ts').filter((s) => s !== 'unknown')) expect(english.has(`home.rolesFrom.${source}`), source).toBe(true);
    for (const feature of variants('Feature.ts')) expect(english.has(`home.permissions.feature.${feature}`), feature).toBe(true);
    for (const kind of variants('EntryKind.ts')) expect(english.has(`history.kind.${kind}`), kind).toBe(true);
  });

  it('words everything the way back to internal can report', () => {
    const variants = (file: string) =>
      [...readFileSync(join(SRC, 'ipc', 'generated', file), 'utf8').matchAll(/"(\w+)"/g)].map((match) => match[1]!);
    const findings = variants('ReverseFinding.ts');
    expect(findings).toContain('externalIdentity');
    for (const finding of findings) expect(english.has(`reverse.findings.${finding}.text`), finding).toBe(true);
    for (const check of variants('ReverseCheckId.ts')) expect(english.has(`reverse.check.${check}`), check).toBe(true);
    for (const outcome of variants('ReverseOutcome.ts')) expect(english.has(`reverse.outcome.${outcome}.title`), outcome).toBe(true);
    for (const problem of variants('UpnProblem.ts')) expect(english.has(`reverse.upnProblem.${problem}`), problem).toBe(true);
    for (const problem of variants('MailProblem.ts')) expect(english.has(`reverse.mailProblem.${problem}`), problem).toBe(true);
    for (const outcome of variants('EntryOutcome.ts')) expect(english.has(`reverse.result.title.${outcome}`), outcome).toBe(true);
    // Progress is a tagged union: its steps are the values of "step".
    const steps = [...readFileSync(join(SRC, 'ipc', 'generated', 'ReverseProgress.ts'), 'utf8').matchAll(/"step": "(\w+)"/g)].map((m) => m[1]!);
    expect(steps).toContain('converting');
    for (const step of steps) expect(english.has(`reverse.progress.${step}`), step).toBe(true);
  });

  it('words everything a batch can report', () => {
    const variants = (file: string) =>
      [...readFileSync(join(SRC, 'ipc', 'generated', file), 'utf8').matchAll(/"(\w+)"/g)].map((match) => match[1]!);
    const verdicts = variants('RowVerdict.ts');
    expect(verdicts).toContain('upnDoesNotMatch');
    for (const verdict of verdicts) {
      expect(english.has(`batch.verdicts.${verdict}.label`), verdict).toBe(true);
      expect(english.has(`batch.verdicts.${verdict}.body`), verdict).toBe(true);
    }
    for (const problem of variants('RowProblem.ts')) expect(english.has(`batch.rowProblems.${problem}`), problem).toBe(true);
    for (const problem of variants('ListProblem.ts')) expect(english.has(`batch.listProblems.${problem}`), problem).toBe(true);
    for (const state of variants('RowState.ts')) expect(english.has(`batch.rowStates.${state}`), state).toBe(true);
    for (const state of variants('RunState.ts')) expect(english.has(`batch.runStates.${state}`), state).toBe(true);
  });

  it('names every language in its own words', () => {
    for (const language of LANGUAGES) expect(english.has(`language.${language}`), language).toBe(true);
  });
});

describe('language detection', () => {
  it('follows the remembered choice, then the OS languages, then English', () => {
    expect(detectLanguage('sv', ['en-US'])).toBe('sv');
    expect(detectLanguage(null, ['sv-SE', 'en-US'])).toBe('sv');
    expect(detectLanguage(null, ['de-DE', 'sv_FI'])).toBe('sv');
    expect(detectLanguage('klingon', ['de-DE'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
  });
});

describe('languages on demand', () => {
  it('holds only the active language until the admin switches, then the other', async () => {
    expect(i18n.language).toBe('en');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(true);
    expect(i18n.hasResourceBundle('sv', 'translation')).toBe(false);
    await changeLanguage('sv');
    expect(i18n.hasResourceBundle('sv', 'translation')).toBe(true);
    expect(i18n.t('start.title')).toBe(sv.start.title);
    await changeLanguage('en');
    expect(i18n.t('start.title')).toBe(en.start.title);
  });
});

describe('hard-coded strings', () => {
  const eslint = new ESLint({ cwd: UI_ROOT });
  const literalFindings = (results: ESLint.LintResult[]) =>
    results.flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === 'i18next/no-literal-string')
        .map((message) => `${relative(UI_ROOT, result.filePath)}:${message.line} ${message.message}`),
    );

  it('the check catches a literal in text and in a readable attribute', async () => {
    const probe = 'export const Probe = () => <button aria-label="Close">Convert now</button>;\n';
    const results = await eslint.lintText(probe, { filePath: join(SRC, 'features', 'Probe.tsx') });
    expect(literalFindings(results)).toHaveLength(2);
  });

  it('no component has one', async () => {
    const results = await eslint.lintFiles(['src/**/*.tsx']);
    expect(results.length).toBeGreaterThan(3);
    expect(literalFindings(results)).toEqual([]);
  });
}, 60_000);
