// Which look Rehome draws in, decided without Fluent: the page's boot script (boot.ts) picks
// the prerendered start screen's colours with it before any other code has loaded, and the theme
// (index.ts) maps it to Fluent's themes.

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

export const SYSTEM_QUERIES: Record<keyof SystemLook, string> = {
  dark: '(prefers-color-scheme: dark)',
  moreContrast: '(prefers-contrast: more)',
  forcedColors: '(forced-colors: active)',
};

export function mediaQuery(query: string): MediaQueryList | undefined {
  return typeof globalThis.matchMedia === 'function' ? globalThis.matchMedia(query) : undefined;
}

/** What the OS asks for at this moment. */
export function systemLookNow(): SystemLook {
  const matches = (query: string) => mediaQuery(query)?.matches ?? false;
  return {
    dark: matches(SYSTEM_QUERIES.dark),
    moreContrast: matches(SYSTEM_QUERIES.moreContrast),
    forcedColors: matches(SYSTEM_QUERIES.forcedColors),
  };
}

/**
 * Which theme the admin's choice asks for on this system.
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
export function lookFor(appearance: Appearance, system: SystemLook): ThemeName {
  if (system.forcedColors) {
    // The OS's contrast theme paints everything whatever is picked here; light or dark only
    // decides what little it leaves alone.
    if (appearance === 'light' || appearance === 'dark') return appearance;
    return system.dark ? 'dark' : 'light';
  }
  if (appearance !== 'system') return appearance;
  if (system.moreContrast) return 'highContrast';
  return system.dark ? 'dark' : 'light';
}

export const STORAGE_KEY = 'rehome.appearance';

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
