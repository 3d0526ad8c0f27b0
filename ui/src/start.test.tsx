// The first screen from what Rust handed the page (start.ts): with nothing saved, the start
// screen is drawn at once, without a round trip and without asking about a saved sign-in.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { App } from './App';
import type { SignInSetup } from './ipc';
import type { StartFacts } from './start';

const setup: SignInSetup = { cloud: 'global', tenant: 'contoso.onmicrosoft.com', clientIds: [], deployedPaths: [], problems: [] };
const appInfo = { name: 'Rehome', version: '0.1.0', buildProfile: 'release', os: 'linux', shellVersion: '2', systemLocale: 'en-US' };

function handOver(facts: StartFacts) {
  (globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__ = facts;
}

/** Records the commands the UI calls; a saved sign-in does not resume here. */
function backend() {
  const calls: string[] = [];
  mockIPC((command) => {
    calls.push(command);
    if (command === 'sign_in_setup') return setup;
    return null;
  });
  return calls;
}

afterEach(() => {
  delete (globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__;
  clearMocks();
});

describe('the first screen', () => {
  it('is the start screen at once when Rust knows nothing is saved', () => {
    handOver({ appInfo, signIn: { setup, saved: false } });
    const calls = backend();
    render(<App />);
    // No await: it is there in the first render, with the settings Rust handed over.
    expect(screen.getByTestId('start-screen')).toBeInTheDocument();
    expect(screen.getByTestId('tenant')).toHaveValue('contoso.onmicrosoft.com');
    expect(screen.queryByTestId('resuming')).not.toBeInTheDocument();
    expect(calls).not.toContain('resume_sign_in');
    expect(calls).not.toContain('sign_in_setup');
  });

  it('waits for the resume when a sign-in is saved', async () => {
    handOver({ appInfo, signIn: { setup, saved: true } });
    const calls = backend();
    render(<App />);
    expect(screen.getByTestId('resuming')).toBeInTheDocument();
    expect(await screen.findByTestId('start-screen')).toBeInTheDocument();
    expect(calls).toContain('resume_sign_in');
    expect(calls).not.toContain('sign_in_setup');
  });

  it('asks for everything after a reload, which hands over no sign-in facts', async () => {
    handOver({ appInfo });
    const calls = backend();
    render(<App />);
    expect(screen.getByTestId('resuming')).toBeInTheDocument();
    expect(await screen.findByTestId('start-screen')).toBeInTheDocument();
    expect(calls).toEqual(expect.arrayContaining(['resume_sign_in', 'sign_in_setup']));
  });
});
