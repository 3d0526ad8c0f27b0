import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import type { MessageSettings, Template } from '../../ipc';
import { TemplatePicker } from './TemplatePicker';
import { renderWithQueries } from '../../test/queries';

const message: MessageSettings = { sendEmail: true, language: 'sv-SE', personalMessage: 'Hej!', cc: null, landing: { kind: 'teams' } };

beforeEach(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => clearMocks());

describe('TemplatePicker', () => {
  it('saves the current message under a name and picks a saved one', async () => {
    let stored: Template[] = [{ name: 'Consultants', message: { ...message, personalMessage: 'Welcome, consultant.' } }];
    const saved: Template[] = [];
    mockIPC((command, args) => {
      if (command === 'templates') return stored;
      if (command === 'save_template') {
        const template = (args as { template: Template }).template;
        saved.push(template);
        stored = [...stored, template];
        return stored;
      }
      return null;
    });
    const onPick = vi.fn();
    renderWithQueries(<TemplatePicker message={message} onPick={onPick} />);
    await waitFor(() => expect(screen.getByTestId('template-pick')).not.toBeDisabled());
    fireEvent.click(screen.getByTestId('template-save'));
    fireEvent.change(screen.getByTestId('template-name'), { target: { value: 'Partners' } });
    fireEvent.click(screen.getByTestId('template-confirm'));
    await waitFor(() => expect(saved).toEqual([{ name: 'Partners', message }]));

    fireEvent.click(screen.getByTestId('template-pick'));
    fireEvent.click(await screen.findByRole('option', { name: 'Consultants' }));
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ personalMessage: 'Welcome, consultant.' }));
  });
});
