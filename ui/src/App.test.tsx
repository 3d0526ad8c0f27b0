import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { App } from './App';
import i18n from './i18n';
import en from './i18n/locales/en.json';
import type { Profile, SignInSetup } from './ipc';

const setup: SignInSetup = { cloud: 'global', tenant: 'organizations', clientIds: [], deployedPaths: [], problems: [] };
const anna: Profile = {
  admin: { displayName: 'Anna Lindqvist', userPrincipalName: 'anna.lindqvist@contoso-sample.se', mail: 'anna.lindqvist@contoso-sample.se' },
  organisation: { displayName: 'Contoso (sample)', tenantId: 't-1', defaultDomain: 'contoso-sample.se' },
  cloud: 'sample',
  method: 'browser',
  roles: ['userAdministrator'],
  rolesFrom: 'signIn',
  capabilities: ['convertUsers', 'resendInvitations', 'resetRedemption'],
  missingPermissions: [],
};

/** The Rust side as the UI meets it; `respond` decides the sign-in commands' answers. */
function backend(respond: Record<string, (args: Record<string, unknown>) => unknown>) {
  const calls: string[] = [];
  mockIPC((command, args) => {
    calls.push(command);
    const handler = respond[command];
    if (handler) return handler((args ?? {}) as Record<string, unknown>);
    if (command === 'sign_in_setup') return setup;
    if (command === 'resume_sign_in') return null;
    if (command === 'unfinished_conversions') return [];
    return null;
  });
  return calls;
}

beforeEach(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => clearMocks());

describe('App', () => {
  it('lands signed in when the remembered sign-in resumes', async () => {
    backend({ resume_sign_in: () => anna });
    render(<App />);
    // The signed-in part's code is first asked for here: until it is in, a labelled spinner.
    expect(await screen.findByTestId('loading-screen')).toHaveTextContent(en.app.loading);
    expect(await screen.findByTestId('home-screen')).toBeInTheDocument();
    expect(screen.getByTestId('admin-upn')).toHaveTextContent(anna.admin.userPrincipalName);
    expect(screen.getByTestId('practice-badge')).toHaveTextContent(en.home.practiceBadge);
    expect(screen.getByTestId('capability-convertUsers')).toHaveTextContent(en.home.capability.convertUsers);
  });

  it('says why a remembered sign-in could not be resumed', async () => {
    backend({
      resume_sign_in: () => {
        throw { code: 'sessionExpired', message: 'AADSTS700082' };
      },
    });
    render(<App />);
    expect(await screen.findByTestId('error-message')).toHaveTextContent(en.errors.sessionExpired);
  });

  it('shows the prompt while signing in to the sample, then the signed-in admin; sign out returns to the start', async () => {
    let finish: (profile: Profile) => void = () => {};
    const calls = backend({
      sign_in: (args) => {
        const prompts = args.prompts as { onmessage: (prompt: unknown) => void };
        prompts.onmessage({ kind: 'browser', url: 'http://127.0.0.1:1/authorize', opened: false });
        return new Promise((resolve) => (finish = resolve));
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId('try-sample'));
    expect(await screen.findByTestId('waiting-title')).toHaveTextContent(en.waiting.browser.title);
    expect(await screen.findByTestId('browser-not-opened')).toHaveTextContent(en.waiting.browser.notOpened);
    finish(anna);
    expect(await screen.findByTestId('home-screen')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('sign-out'));
    expect(await screen.findByTestId('start-screen')).toBeInTheDocument();
    expect(calls).toContain('sign_out');
  });

  it('a cancelled sign-in returns to the start without an error', async () => {
    backend({
      sign_in: () => {
        throw { code: 'signInCancelled', message: 'cancelled' };
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId('try-sample'));
    expect(await screen.findByTestId('start-screen')).toBeInTheDocument();
    expect(screen.queryByTestId('error-message')).toBeNull();
  });
});
