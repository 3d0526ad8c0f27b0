// Rehome's look follows the operating system: light or dark as it says, high contrast when it
// asks for more contrast or forces its own colours, live when any of it changes. The admin can override this in Settings; the
// choice is remembered on this workstation, as the language is.
import { type Theme, teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect, useSyncExternalStore } from 'react';

import { startFacts } from '../start';
import { type Appearance, type SystemLook, type ThemeName, STORAGE_KEY, SYSTEM_QUERIES, lookFor, mediaQuery, storedAppearance } from './look';

export { APPEARANCES, type Appearance, type SystemLook, type ThemeName, isAppearance, lookFor, storedAppearance } from './look';

export interface AppTheme {
  name: ThemeName;
  theme: Theme;
}

/** Fonts in Fluent's lists that no Linux system has: Apple's system font and Microsoft's web font. */
const NOT_ON_LINUX = ["'Segoe UI Web (West European)'", '-apple-system', 'BlinkMacSystemFont'];

/**
 * The theme with font lists for this operating system (`os` as Rust reports it). On Linux,
 * WebKitGTK asks fontconfig for every font in a list, at every size and weight, before it can
 * paint; the three that cannot be there cost the start screen about 15 ms. Without them the lists
 * pick the same font as before: Segoe UI, Roboto or Helvetica Neue if installed, else sans-serif.
 */
export function withFontsFor(theme: Theme, os: string | undefined): Theme {
  if (os !== 'linux') return theme;
  const installable = (fonts: string) =>
    fonts
      .split(',')
      .map((font) => font.trim())
      .filter((font) => !NOT_ON_LINUX.includes(font))
      .join(', ');
  return { ...theme, fontFamilyBase: installable(theme.fontFamilyBase), fontFamilyNumeric: installable(theme.fontFamilyNumeric) };
}

const os = startFacts()?.appInfo.os;
const LIGHT: AppTheme = { name: 'light', theme: withFontsFor(webLightTheme, os) };
const DARK: AppTheme = { name: 'dark', theme: withFontsFor(webDarkTheme, os) };
const HIGH_CONTRAST: AppTheme = { name: 'highContrast', theme: withFontsFor(teamsHighContrastTheme, os) };

/** The theme for the admin's choice on this system (which one: `lookFor`). */
export function themeFor(appearance: Appearance, system: SystemLook): AppTheme {
  return { light: LIGHT, dark: DARK, highContrast: HIGH_CONTRAST }[lookFor(appearance, system)];
}

// The choice for this run: one value the whole UI reads, so Settings and the frame agree.
let appearance: Appearance = storedAppearance();
const appearanceListeners = new Set<() => void>();

export function currentAppearance(): Appearance {
  return appearance;
}

export function changeAppearance(next: Appearance): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still switched for this run.
  }
  appearance = next;
  for (const listener of appearanceListeners) listener();
}

function subscribeAppearance(listener: () => void): () => void {
  appearanceListeners.add(listener);
  return () => appearanceListeners.delete(listener);
}

export function useAppearance(): Appearance {
  return useSyncExternalStore(subscribeAppearance, currentAppearance, currentAppearance);
}

/** A media query as a store React can read: its answer now, and a call when the OS changes it. */
function mediaStore(query: string) {
  return {
    subscribe(onChange: () => void) {
      const list = mediaQuery(query);
      list?.addEventListener('change', onChange);
      return () => list?.removeEventListener('change', onChange);
    },
    matches: () => mediaQuery(query)?.matches ?? false,
  };
}
const darkStore = mediaStore(SYSTEM_QUERIES.dark);
const moreContrastStore = mediaStore(SYSTEM_QUERIES.moreContrast);
const forcedColorsStore = mediaStore(SYSTEM_QUERIES.forcedColors);

/** What the OS asks for now; components re-render when it changes (live, no restart). */
export function useSystemLook(): SystemLook {
  return {
    dark: useSyncExternalStore(darkStore.subscribe, darkStore.matches, darkStore.matches),
    moreContrast: useSyncExternalStore(moreContrastStore.subscribe, moreContrastStore.matches, moreContrastStore.matches),
    forcedColors: useSyncExternalStore(forcedColorsStore.subscribe, forcedColorsStore.matches, forcedColorsStore.matches),
  };
}

/** The theme to draw with now. Also tells the page its colour scheme, so scrollbars and native
 * controls match. */
export function useAppTheme(): AppTheme {
  const chosen = themeFor(useAppearance(), useSystemLook());
  useEffect(() => {
    document.documentElement.style.colorScheme = chosen.name === 'light' ? 'light' : 'dark';
  }, [chosen.name]);
  return chosen;
}
