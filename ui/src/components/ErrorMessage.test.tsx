import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import i18n from '../i18n';
import en from '../i18n/locales/en.json';
import sv from '../i18n/locales/sv.json';
import { IpcError } from '../ipc';
import { ErrorMessage } from './ErrorMessage';

describe('ErrorMessage', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('heads a failure as one', () => {
    render(<ErrorMessage error={new IpcError({ code: 'network', message: 'connection reset' })} />);
    expect(screen.getByTestId('error-message')).toHaveTextContent(en.errors.title);
  });

  it('heads a situation to choose in as a warning, not "Something went wrong"', async () => {
    render(<ErrorMessage error={new IpcError({ code: 'keyringUnavailable', message: 'no Secret Service' })} />);
    const shown = screen.getByTestId('error-message');
    expect(shown).toHaveTextContent(en.errors.notice.keyringUnavailable);
    expect(shown).not.toHaveTextContent(en.errors.title);
    await i18n.changeLanguage('sv');
    expect(await screen.findByText(sv.errors.notice.keyringUnavailable)).toBeInTheDocument();
  });
});
