import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import type { EntryKind, JournalEntry } from '../../ipc';
import { renderWithQueries } from '../../test/queries';
import { HistoryScreen } from './HistoryScreen';

const DAY = 86_400_000;

function entry(id: number, kind: EntryKind, userId: string, startedAt: number, body = '{}'): JournalEntry {
  return {
    id, startedAt, finishedAt: startedAt + 1000, outcome: 'succeeded', invitationId: null, status: 'Accepted', requestIds: ['r-1'], error: null,
    kind, adminUpn: 'anna.lindqvist@contoso-sample.se', cloud: 'sample', tenantId: 't-1', userId, userUpn: `${userId}@contoso-sample.se`,
    userName: userId === 'dora' ? 'Dora Lindberg' : 'Åsa Ödman', email: `${userId}@partner.example`, setMail: false, sendEmail: kind === 'conversion',
    language: '', personalMessage: null, cc: null, redirectUrl: '', requests: [{ method: 'POST', path: '/any', body }],
  };
}

beforeEach(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => clearMocks());

describe('HistoryScreen and the way back', () => {
  it('offers Undo on a conversion, shows the way back as its own kind, and no Undo once undone', async () => {
    const now = Date.now();
    const entries = [
      entry(3, 'convertToInternal', 'dora', now - DAY, '{\n  "userPrincipalName": "dora@contoso-sample.se"\n}'),
      entry(2, 'conversion', 'dora', now - 3 * DAY),
      entry(1, 'conversion', 'asa', now - 2 * DAY),
    ];
    mockIPC((command) => (command === 'history' ? entries : null));
    const onUndoConversion = vi.fn();
    renderWithQueries(<HistoryScreen onBack={() => {}} onOpenUser={() => {}} onUndoConversion={onUndoConversion} />);
    const cards = await screen.findAllByTestId('history-entry');
    expect(cards.map((c) => c.getAttribute('data-state'))).toEqual(['internal', 'accepted', 'accepted']);

    const [back, undone, asa] = cards as [HTMLElement, HTMLElement, HTMLElement];
    expect(back).toHaveTextContent(en.history.kind.convertToInternal);
    expect(back).toHaveTextContent('signs in as dora@contoso-sample.se');
    expect(within(back).queryByTestId('history-undo')).not.toBeInTheDocument();
    // Dora's conversion was undone later: nothing more to do with it.
    expect(within(undone).getByTestId('history-undone')).toHaveTextContent(en.history.undone);
    expect(within(undone).queryByTestId('history-undo')).not.toBeInTheDocument();
    expect(within(undone).queryByTestId('history-resend-reset')).not.toBeInTheDocument();

    fireEvent.click(within(asa).getByTestId('history-undo'));
    expect(onUndoConversion).toHaveBeenCalledWith(expect.objectContaining({ id: 'asa', displayName: 'Åsa Ödman' }));

    fireEvent.click(screen.getByTestId('filter-internal'));
    expect(screen.getAllByTestId('history-entry')).toHaveLength(1);
  });
});
