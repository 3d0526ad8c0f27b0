import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import sv from '../../i18n/locales/sv.json';
import { type AppInfo, IpcError } from '../../ipc';
import { StartScreen } from './StartScreen';

const info: AppInfo = {
  name: 'Rehome',
  version: '9.8.7',
  buildProfile: 'debug',
  os: 'linux',
  shellVersion: '2.12.5',
  systemLocale: 'en-US',
};

function renderStart(props: { info?: AppInfo; error?: IpcError }) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <StartScreen {...props} />
    </FluentProvider>,
  );
}

const exactly = (text: string) => new RegExp(text.replace(/[()]/g, '\\$&'));

describe('StartScreen', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('offers every cloud, the three sign-in methods and the sample directory', () => {
    renderStart({ info });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(en.start.title);
    for (const name of [en.start.cloud.global, en.start.cloud.usGov, en.start.cloud.usGovDod, en.start.cloud.china]) {
      expect(screen.getByRole('radio', { name: exactly(name) })).toBeInTheDocument();
    }
    expect(screen.getByRole('radio', { name: exactly(en.start.cloud.global) })).toBeChecked();
    for (const name of [en.start.method.browser, en.start.method.deviceCode, en.start.method.azureCli, en.start.sample.button]) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(screen.getByText('Version 9.8.7')).toBeInTheDocument();
  });

  it('speaks Swedish when Swedish is chosen', async () => {
    await i18n.changeLanguage('sv');
    renderStart({ info });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(sv.start.title);
    expect(screen.getByRole('button', { name: sv.start.sample.button })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: exactly(sv.start.cloud.china) })).toBeInTheDocument();
  });

  it('explains, in the chosen language, when the Rust side did not answer', async () => {
    await i18n.changeLanguage('sv');
    renderStart({ error: new IpcError({ code: 'internal', message: 'app_info: bridge missing' }) });
    const message = screen.getByTestId('error-message');
    expect(message).toHaveTextContent(sv.errors.title);
    expect(message).toHaveTextContent('app_info: bridge missing');
  });
});
