import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import sv from '../../i18n/locales/sv.json';
import { type AppInfo, IpcError, type SignInSetup } from '../../ipc';
import { StartScreen } from './StartScreen';

const info: AppInfo = {
  name: 'Rehome',
  version: '9.8.7',
  buildProfile: 'debug',
  os: 'linux',
  shellVersion: '2.12.5',
  systemLocale: 'en-US',
};

const CLIENT_ID = '11111111-1111-4111-8111-111111111111';
const nothingSetUp: SignInSetup = { cloud: 'global', tenant: 'organizations', clientIds: [], deployedPaths: ['/etc/rehome/rehome.json'], problems: [] };
const deployed: SignInSetup = {
  ...nothingSetUp,
  tenant: 'contoso.onmicrosoft.com',
  clientIds: [{ cloud: 'global', clientId: CLIENT_ID, source: 'deployedFile', path: '/etc/rehome/rehome.json' }],
};

function renderStart(props: { setup?: SignInSetup; error?: IpcError } = {}) {
  const handlers = { onSignIn: vi.fn(), onTrySample: vi.fn(), onAppRegistration: vi.fn(), onKeepForThisRun: vi.fn() };
  render(
    <FluentProvider theme={webLightTheme}>
      <StartScreen info={info} setup={props.setup ?? nothingSetUp} error={props.error} {...handlers} />
    </FluentProvider>,
  );
  return handlers;
}

const exactly = (text: string) => new RegExp(text.replace(/[()]/g, '\\$&'));

describe('StartScreen', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('offers every cloud; without an app registration only Azure CLI and the sample can sign in', () => {
    const handlers = renderStart();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(en.start.title);
    for (const name of [en.start.cloud.global, en.start.cloud.usGov, en.start.cloud.usGovDod, en.start.cloud.china]) {
      expect(screen.getByRole('radio', { name: exactly(name) })).toBeInTheDocument();
    }
    expect(screen.getByRole('radio', { name: exactly(en.start.cloud.global) })).toBeChecked();
    expect(screen.getByRole('button', { name: en.start.method.browser })).toBeDisabled();
    expect(screen.getByRole('button', { name: en.start.method.deviceCode })).toBeDisabled();
    expect(screen.getByRole('button', { name: en.start.method.azureCli })).toBeEnabled();
    expect(screen.getByTestId('client-id-missing')).toHaveTextContent(en.start.clientId.setUp);
    fireEvent.click(screen.getByText(en.start.clientId.setUp));
    expect(handlers.onAppRegistration).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: en.start.sample.button }));
    expect(handlers.onTrySample).toHaveBeenCalled();
    expect(screen.getByText('Version 9.8.7')).toBeInTheDocument();
  });

  it('starts from the deployed settings, says where they came from, and validates as you type', () => {
    const handlers = renderStart({ setup: deployed });
    expect(screen.getByTestId('tenant')).toHaveValue('contoso.onmicrosoft.com');
    expect(screen.getByTestId('client-id')).toHaveValue(CLIENT_ID);
    expect(screen.getByText(en.start.clientId.source.deployedFile.replace('{{path}}', '/etc/rehome/rehome.json'))).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: en.start.method.browser }));
    expect(handlers.onSignIn).toHaveBeenCalledWith({ method: 'browser', cloud: 'global', tenant: 'contoso.onmicrosoft.com', clientId: CLIENT_ID });

    fireEvent.change(screen.getByTestId('client-id'), { target: { value: 'not-a-guid' } });
    expect(screen.getByText(en.errors.invalidClientId)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: en.start.method.browser })).toBeDisabled();

    // App registrations are per cloud: US Gov has none here.
    fireEvent.click(screen.getByRole('radio', { name: exactly(en.start.cloud.usGov) }));
    expect(screen.getByTestId('client-id')).toHaveValue('');
  });

  it('offers this run only when the keyring cannot be used', () => {
    const handlers = renderStart({ error: new IpcError({ code: 'keyringUnavailable', message: 'no Secret Service' }) });
    expect(screen.getByTestId('error-message')).toHaveTextContent(en.errors.keyringUnavailable);
    fireEvent.click(screen.getByRole('button', { name: en.signIn.keepForThisRun }));
    expect(handlers.onKeepForThisRun).toHaveBeenCalled();
  });

  it('explains errors in Swedish with the details support needs', async () => {
    await i18n.changeLanguage('sv');
    renderStart({
      error: new IpcError({
        code: 'consentRequired',
        message: 'AADSTS65001: consent',
        details: { serviceCode: 'AADSTS65001', requestId: 'c-1', oauthError: 'invalid_grant' },
      }),
    });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(sv.start.title);
    const message = screen.getByTestId('error-message');
    expect(message).toHaveTextContent(sv.errors.consentRequired);
    expect(screen.getByTestId('error-details')).toHaveTextContent(`${sv.errors.serviceCode}: AADSTS65001 · ${sv.errors.requestId}: c-1`);
    expect(screen.getByRole('radio', { name: exactly(sv.start.cloud.china) })).toBeInTheDocument();
  });
});
