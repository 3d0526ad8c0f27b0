import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import en from '../../i18n/locales/en.json';
import { anna } from '../../test/profile';
import { renderWithQueries } from '../../test/queries';
import { changeAppearance, currentAppearance } from '../../theme';
import { SettingsScreen } from './SettingsScreen';


/** The OS as `matchMedia` reports it: `forcedColors` is a Windows contrast theme. */
function system(forcedColors: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    media: query,
    matches: query === '(forced-colors: active)' && forcedColors,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

beforeEach(() => {
  mockIPC((command) => {
    if (command === 'settings_overview') return { preferences: { keepMessageBodies: true }, journalFile: '/tmp/journal.sqlite3' };
    if (command === 'sign_in_setup') return { cloud: 'global', tenant: 'organizations', clientIds: [], deployedPaths: [], problems: [] };
    return null;
  });
});
afterEach(() => {
  clearMocks();
  changeAppearance('system');
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('Appearance in Settings', () => {
  it('offers the four choices, follows the system at first, and remembers a pick', () => {
    system(false);
    renderWithQueries(<SettingsScreen profile={anna} onBack={() => {}} onSignOut={() => {}} />);
    const group = screen.getByRole('radiogroup', { name: en.settings.appearance.title });
    const labels = [...group.querySelectorAll('label')].map((label) => label.textContent);
    expect(labels).toEqual([
      en.settings.appearance.system,
      en.settings.appearance.light,
      en.settings.appearance.dark,
      en.settings.appearance.highContrast,
    ]);
    expect(screen.getByRole('radio', { name: en.settings.appearance.system })).toBeChecked();

    fireEvent.click(screen.getByRole('radio', { name: en.settings.appearance.dark }));
    expect(screen.getByRole('radio', { name: en.settings.appearance.dark })).toBeChecked();
    expect(currentAppearance()).toBe('dark');
    expect(localStorage.getItem('rehome.appearance')).toBe('dark');
    expect(screen.queryByTestId('appearance-forced-colors')).not.toBeInTheDocument();
  });

  it("says when the system's contrast theme decides the colours", () => {
    system(true);
    renderWithQueries(<SettingsScreen profile={anna} onBack={() => {}} onSignOut={() => {}} />);
    expect(screen.getByTestId('appearance-forced-colors')).toHaveTextContent(en.settings.appearance.forcedColors);
  });
});
