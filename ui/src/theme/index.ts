// Rehome's look follows the operating system: light or dark as it says, high contrast when it
// asks for more contrast or forces its own colours, live when any of it changes. The admin can override this in Settings; the
// choice is remembered on this workstation, as the language is.
import { type Theme, teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect, useSyncExternalStore } from 'react';

import { startFacts } from '../start';

export const APPEARANCES = ['system', 'light', 'dark', 'highContrast'] as const;
export type Appearance = (typeof APPEARANCES)[number];

/** What the operating system asks for, as the webview reports it. */
export interface SystemLook {
  /** `prefers-color-scheme: dark` */
  dark: boolean;
  /** `prefers-contrast: more`: GNOME's High Contrast (WebKitGTK reports it), macOS's Increase
   * contrast, and Windows' contrast themes. */
  moreContrast: boolean;
  /** `forced-colors: active`: a contrast theme (Windows) paints the page in its own colours. */
  forcedColors: boolean;
}

export type ThemeName = 'light' | 'dark' | 'highContrast';
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

/**
 * The theme for the admin's choice on this system.
 *
 * Forced colours (`forced-colors: active`) are the OS's high contrast, and Fluent UI 9 supports
 * them by default: its components carry `forced-colors` styles in system colours (Canvas,
 * CanvasText, Highlight, …), and Fluent's guidance is to do as little as possible and let the
 * user's own palette apply. So there we keep the web theme that matches the palette's brightness
 * (Windows reports a dark contrast theme as `prefers-color-scheme: dark`) and leave the colours to
 * the browser. We do not add `teamsHighContrastTheme` on top: it hard-codes one black palette
 * (cyan, yellow) meant for Teams, which clashes with a white or custom contrast theme where a
 * component opts out of forcing (fluentui#28334, #29497).
 *
 * Where the webview has no forced colours (WebKitGTK on Linux, WebKit on macOS), high contrast –
 * the admin's pick, or the system's `prefers-contrast: more` – is `teamsHighContrastTheme`: the
 * palette Fluent keeps for exactly the platforms the OS's contrast colours cannot reach.
 */
export function themeFor(appearance: Appearance, system: SystemLook): AppTheme {
  if (system.forcedColors) {
    // The OS's contrast theme paints everything whatever is picked here; light or dark only
    // decides what little it leaves alone.
    if (appearance === 'light') return LIGHT;
    if (appearance === 'dark') return DARK;
    return system.dark ? DARK : LIGHT;
  }
  switch (appearance) {
    case 'light':
      return LIGHT;
    case 'dark':
      return DARK;
    case 'highContrast':
      return HIGH_CONTRAST;
    case 'system':
      if (system.moreContrast) return HIGH_CONTRAST;
      return system.dark ? DARK : LIGHT;
  }
}

const STORAGE_KEY = 'rehome.appearance';

export function isAppearance(value: unknown): value is Appearance {
  return APPEARANCES.includes(value as Appearance);
}

/** The choice remembered on this workstation; "follow the system" when there is none. */
export function storedAppearance(): Appearance {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isAppearance(stored) ? stored : 'system';
  } catch {
    return 'system'; // storage can be disabled; the system's look still applies
  }
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
  return useSyncExternalStore(subscribeAppearance, currentAppearance);
}

const DARK_QUERY = '(prefers-color-scheme: dark)';
const MORE_CONTRAST_QUERY = '(prefers-contrast: more)';
const FORCED_COLORS_QUERY = '(forced-colors: active)';

function mediaQuery(query: string): MediaQueryList | undefined {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia(query) : undefined;
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
const darkStore = mediaStore(DARK_QUERY);
const moreContrastStore = mediaStore(MORE_CONTRAST_QUERY);
const forcedColorsStore = mediaStore(FORCED_COLORS_QUERY);

/** What the OS asks for now; components re-render when it changes (live, no restart). */
export function useSystemLook(): SystemLook {
  return {
    dark: useSyncExternalStore(darkStore.subscribe, darkStore.matches),
    moreContrast: useSyncExternalStore(moreContrastStore.subscribe, moreContrastStore.matches),
    forcedColors: useSyncExternalStore(forcedColorsStore.subscribe, forcedColorsStore.matches),
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
