// The prerendered start screen (prerendered.ts, boot.ts, main.tsx): shown only when it is what
// the app would draw, hydrated without a mismatch, and what the admin does before the app's code
// has taken it over is carried out once it has.
import { createDOMRenderer } from '@fluentui/react-components';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { Root } from './Root';
import type { AppInfo, SignInSetup } from './ipc';
import { drawsPrerendered, holdInput, showPrerendered, templateId } from './prerendered';
import { NOTHING_SET_UP, type StartFacts } from './start';

const appInfo: AppInfo = { name: 'Rehome', version: '0.1.0', buildProfile: 'release', os: 'linux', shellVersion: '2', systemLocale: 'en-US' };
const nothingSetUp: StartFacts = { appInfo, signIn: { setup: NOTHING_SET_UP, saved: false } };

function handOver(facts: StartFacts) {
  (globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__ = facts;
}

/** The page as prerender.tsx writes it: an empty root and the English template. */
function page(version = appInfo.version) {
  handOver(nothingSetUp);
  const html = renderToString(<Root renderer={createDOMRenderer()} info={appInfo} />).replace(
    /<style id="fui-FluentProvider[^"]*">[^<]*<\/style>/,
    '',
  );
  document.body.innerHTML = `<div id="root"></div><template id="${templateId('en')}" data-version="${version}">${html}</template>`;
  return document.getElementById('root')!;
}

afterEach(() => {
  clearMocks();
  delete (globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__;
  document.body.innerHTML = '';
  delete document.documentElement.dataset.look;
});

describe('the prerendered start screen', () => {
  it('is used only for what the app would draw first', () => {
    const setup = (change: Partial<SignInSetup>) => ({ ...nothingSetUp, signIn: { setup: { ...NOTHING_SET_UP, ...change }, saved: false } });
    expect(drawsPrerendered(nothingSetUp, '0.1.0')).toBe(true);
    // Where the admin's files are deployed is not on the start screen.
    expect(drawsPrerendered(setup({ deployedPaths: ['/etc/rehome/rehome.json'] }), '0.1.0')).toBe(true);
    expect(drawsPrerendered(nothingSetUp, '0.2.0')).toBe(false);
    expect(drawsPrerendered(setup({ tenant: 'contoso.onmicrosoft.com' }), '0.1.0')).toBe(false);
    expect(drawsPrerendered(setup({ problems: [{ path: '/etc/rehome/rehome.json', message: 'not JSON' }] }), '0.1.0')).toBe(false);
    expect(drawsPrerendered({ ...nothingSetUp, signIn: { setup: NOTHING_SET_UP, saved: true } }, '0.1.0')).toBe(false);
    // A reload gets no sign-in facts: React draws it.
    expect(drawsPrerendered({ appInfo }, '0.1.0')).toBe(false);
    expect(drawsPrerendered(undefined, '0.1.0')).toBe(false);
  });

  it('is not shown from another build', () => {
    const root = page('0.0.9');
    expect(showPrerendered(root)).toBeNull();
    expect(root).toBeEmptyDOMElement();
  });

  it('is hydrated without a mismatch, and a cloud picked and a tenant typed before, and a click made while hydrating, are carried out', async () => {
    const root = page();
    expect(showPrerendered(root)).toBe('en');
    expect(root.dataset.prerendered).toBe('en');
    expect(document.documentElement.dataset.look).toBe('light');
    const held = holdInput(root);

    // Before the app's code is there: nothing happens yet, nothing is lost.
    const calls: { command: string; args: unknown }[] = [];
    mockIPC((command, args) => {
      calls.push({ command, args });
      if (command === 'save_sign_in_settings') return { ...NOTHING_SET_UP, cloud: 'usGov', tenant: 'contoso.example' };
      if (command === 'sign_in') return new Promise(() => {});
      return null;
    });
    screen.getByTestId('cloud-usGov').click();
    (screen.getByTestId('tenant') as HTMLInputElement).value = 'contoso.example';
    expect(calls).toEqual([]);

    const errors = vi.spyOn(console, 'error');
    const { start } = await import('./main');
    const app = await start(root, held);
    // React hydrates in slices: a click now reaches elements it does not know yet, and is held too.
    expect(root.dataset.prerendered).toBe('en');
    fireEvent.click(screen.getByTestId('sign-in-azure-cli'));
    await waitFor(() => expect(root.dataset.prerendered).toBe('hydrated'));
    expect(document.documentElement.dataset.look).toBeUndefined();
    // The events below were sent to the prerendered elements: React heard them, so it took those
    // elements over rather than drawing new ones.
    await waitFor(() => expect(calls.map((call) => call.command)).toContain('sign_in'));
    expect(calls.find((call) => call.command === 'save_sign_in_settings')?.args).toMatchObject({
      settings: { cloud: 'usGov', tenant: 'contoso.example' },
    });
    expect(calls.find((call) => call.command === 'sign_in')?.args).toMatchObject({
      request: { method: 'azureCli', cloud: 'usGov', tenant: 'contoso.example' },
    });
    expect(calls.map((call) => call.command)).toContain('first_screen_ready');
    const mismatches = errors.mock.calls.filter((call) => /hydrat|did ?n.t match/i.test(call.map(String).join(' ')));
    expect(mismatches).toEqual([]);
    app.unmount();
  });
});
