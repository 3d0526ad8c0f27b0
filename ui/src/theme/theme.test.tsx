import { teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { APPEARANCES, type SystemLook, changeAppearance, currentAppearance, storedAppearance, themeFor, useAppTheme, withFontsFor } from '.';

const LIGHT_OS = { dark: false, moreContrast: false, forcedColors: false };
const DARK_OS = { dark: true, moreContrast: false, forcedColors: false };
/** GNOME's High Contrast as WebKitGTK reports it: more contrast, no forced colours. */
const MORE_CONTRAST_OS = { dark: false, moreContrast: true, forcedColors: false };
const FORCED = (dark: boolean) => ({ dark, moreContrast: true, forcedColors: true });

/** A stand-in for the OS as `matchMedia` reports it, which the test can switch like a person
 * switching their OS to dark mode or a contrast theme. */
function fakeSystem(look: SystemLook) {
  const state = { ...look };
  const listeners = new Set<() => void>();
  const answer = (query: string) =>
    (query === '(prefers-color-scheme: dark)' && state.dark) ||
    (query === '(prefers-contrast: more)' && state.moreContrast) ||
    (query === '(forced-colors: active)' && state.forcedColors);
  vi.stubGlobal('matchMedia', (query: string) => ({
    media: query,
    get matches() {
      return answer(query);
    },
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  }));
  return {
    switchTo(next: Partial<typeof state>) {
      Object.assign(state, next);
      for (const listener of [...listeners]) listener();
    },
    listeners,
  };
}

function Probe() {
  const { name, theme } = useAppTheme();
  return <output data-testid="probe" data-background={theme.colorNeutralBackground2}>{name}</output>;
}

const shown = () => screen.getByTestId('probe').textContent;

afterEach(() => {
  changeAppearance('system');
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('themeFor', () => {
  it('follows the system: dark mode gives the dark theme, light mode the light one', () => {
    expect(themeFor('system', DARK_OS).theme).toBe(webDarkTheme);
    expect(themeFor('system', LIGHT_OS).theme).toBe(webLightTheme);
  });

  it("follows the system's high contrast where there are no forced colours (GNOME, macOS)", () => {
    expect(themeFor('system', MORE_CONTRAST_OS)).toEqual({ name: 'highContrast', theme: teamsHighContrastTheme });
    expect(themeFor('system', { ...MORE_CONTRAST_OS, dark: true }).theme).toBe(teamsHighContrastTheme);
  });

  it('lets the admin override the system', () => {
    expect(themeFor('light', DARK_OS)).toEqual({ name: 'light', theme: webLightTheme });
    expect(themeFor('dark', LIGHT_OS)).toEqual({ name: 'dark', theme: webDarkTheme });
    expect(themeFor('highContrast', LIGHT_OS)).toEqual({ name: 'highContrast', theme: teamsHighContrastTheme });
    expect(themeFor('highContrast', DARK_OS).theme).toBe(teamsHighContrastTheme);
    expect(themeFor('light', MORE_CONTRAST_OS).theme).toBe(webLightTheme);
    expect(themeFor('dark', MORE_CONTRAST_OS).theme).toBe(webDarkTheme);
  });

  it("leaves forced colours to the OS's contrast palette, with the web theme of its brightness", () => {
    for (const appearance of ['system', 'highContrast'] as const) {
      expect(themeFor(appearance, FORCED(true)).theme, appearance).toBe(webDarkTheme);
      expect(themeFor(appearance, FORCED(false)).theme, appearance).toBe(webLightTheme);
    }
    // Never Teams' fixed black palette on top of the user's own contrast colours.
    for (const appearance of APPEARANCES) {
      for (const dark of [false, true]) expect(themeFor(appearance, FORCED(dark)).theme).not.toBe(teamsHighContrastTheme);
    }
    expect(themeFor('light', FORCED(true)).theme).toBe(webLightTheme);
    expect(themeFor('dark', FORCED(false)).theme).toBe(webDarkTheme);
  });
});

describe('the remembered choice', () => {
  it('is remembered on this workstation and read back', () => {
    expect(storedAppearance()).toBe('system');
    changeAppearance('highContrast');
    expect(localStorage.getItem('rehome.appearance')).toBe('highContrast');
    expect(storedAppearance()).toBe('highContrast');
    expect(currentAppearance()).toBe('highContrast');
  });

  it('follows the system when what is stored is not a choice', () => {
    localStorage.setItem('rehome.appearance', 'purple');
    expect(storedAppearance()).toBe('system');
  });
});

describe('useAppTheme', () => {
  it('switches live when the OS switches, and when the admin picks', () => {
    const os = fakeSystem(LIGHT_OS);
    render(<Probe />);
    expect(shown()).toBe('light');
    expect(document.documentElement.style.colorScheme).toBe('light');

    act(() => os.switchTo({ dark: true }));
    expect(shown()).toBe('dark');
    expect(screen.getByTestId('probe')).toHaveAttribute('data-background', webDarkTheme.colorNeutralBackground2);
    expect(document.documentElement.style.colorScheme).toBe('dark');

    act(() => os.switchTo({ moreContrast: true }));
    expect(shown()).toBe('highContrast');
    expect(screen.getByTestId('probe')).toHaveAttribute('data-background', teamsHighContrastTheme.colorNeutralBackground2);

    act(() => changeAppearance('dark'));
    expect(shown()).toBe('dark');
    act(() => changeAppearance('highContrast'));
    expect(shown()).toBe('highContrast');

    // A Windows contrast theme comes on: its own colours rule.
    act(() => os.switchTo({ dark: false, forcedColors: true }));
    expect(shown()).toBe('light');

    act(() => changeAppearance('dark'));
    expect(shown()).toBe('dark');
  });

  it('stops listening to the OS when the app is gone', () => {
    const os = fakeSystem(LIGHT_OS);
    const { unmount } = render(<Probe />);
    expect(os.listeners.size).toBeGreaterThan(0);
    unmount();
    expect(os.listeners.size).toBe(0);
  });
});

describe('withFontsFor', () => {
  it('on Linux leaves out the fonts no Linux system has, and nothing else', () => {
    const linux = withFontsFor(webLightTheme, 'linux');
    expect(linux.fontFamilyBase).toBe("'Segoe UI', Roboto, 'Helvetica Neue', sans-serif");
    expect(linux.fontFamilyNumeric).toBe("Bahnschrift, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif");
    expect({ ...linux, fontFamilyBase: webLightTheme.fontFamilyBase, fontFamilyNumeric: webLightTheme.fontFamilyNumeric }).toEqual(
      webLightTheme,
    );
    expect(withFontsFor(webDarkTheme, 'linux').colorNeutralBackground1).toBe(webDarkTheme.colorNeutralBackground1);
  });

  it("keeps Fluent's own lists elsewhere, and where the system is not known", () => {
    expect(withFontsFor(webLightTheme, 'windows')).toBe(webLightTheme);
    expect(withFontsFor(webLightTheme, 'macos')).toBe(webLightTheme);
    expect(withFontsFor(webLightTheme, undefined)).toBe(webLightTheme);
  });
});
