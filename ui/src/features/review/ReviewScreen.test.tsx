import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import type { Check, Report, UserRow } from '../../ipc';
import { createQueryClient } from '../../ipc/queries';
import { ReviewScreen } from './ReviewScreen';
import { renderWithQueries } from '../../test/queries';

const astrid: UserRow = {
  id: '5e1c6a8e-0000-4000-8000-000000000007',
  displayName: 'Astrid Berg',
  userPrincipalName: 'astrid.berg@contoso-sample.se',
  mail: null,
  userType: 'Member',
  onPremisesSyncEnabled: null,
  externalUserState: null,
  creationType: null,
  accountEnabled: true,
};

const check = (id: Check['id'], verdict: Check['verdict'], finding: Check['finding'], values = {}): Check => ({
  id,
  verdict,
  finding,
  values,
  reason: null,
  differsFrom2020: false,
});

function report(email: string | null): Report {
  return {
    reviewId: 'r-1',
    suggestedLanguage: 'en-US',
    user: { ...astrid, otherMails: ['astrid.berg@northwind.example'], proxyAddresses: [], identities: [], externalUserStateChangeDateTime: null, onPremisesUserPrincipalName: null, preferredLanguage: null },
    outcome: email ? 'readyWithWarnings' : 'blocked',
    email,
    candidates: [{ address: 'astrid.berg@northwind.example', source: 'otherMails', problem: null }],
    setsMail: email !== null,
    verifiedDomains: ['contoso-sample.se'],
    checks: email
      ? [check('mailField', 'warning', 'mailWillBeSet', { email, current: '' })]
      : [check('emailAddress', 'blocks', 'emailNotChosen')],
  };
}

/** The Rust side answering every review; the addresses asked about, in order. */
function reviewsAsked() {
  const asked: (string | null)[] = [];
  mockIPC((command, args) => {
    if (command !== 'review_user') return null;
    const email = (args as { email: string | null }).email;
    asked.push(email);
    return report(email);
  });
  return asked;
}

beforeEach(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => clearMocks());

describe('ReviewScreen', () => {
  it("reviews the account's own address, then the one the admin chooses", async () => {
    const asked = reviewsAsked();
    renderWithQueries(<ReviewScreen user={astrid} onBack={() => {}} onContinue={() => {}} onConvertToInternal={() => {}} />);
    expect(await screen.findByTestId('review-outcome')).toHaveAttribute('data-outcome', 'blocked');
    expect(screen.getByTestId('check-emailAddress')).toHaveTextContent(en.report.findings.emailNotChosen.fix);

    fireEvent.click(screen.getByLabelText(/astrid.berg@northwind.example/));
    fireEvent.click(screen.getByTestId('email-check'));
    await waitFor(() => expect(screen.getByTestId('review-outcome')).toHaveAttribute('data-outcome', 'readyWithWarnings'));
    expect(asked).toEqual([null, 'astrid.berg@northwind.example']);
    expect(screen.getByTestId('sets-mail')).toHaveTextContent('astrid.berg@northwind.example');
  });

  it('offers the way back to internal for an account that signs in externally', async () => {
    mockIPC((command) => {
      if (command !== 'review_user') return null;
      const accepted = { ...report('dora.lindberg@fabrikam.com'), outcome: 'alreadyB2b' as const };
      return { ...accepted, user: { ...accepted.user, externalUserState: 'Accepted' } };
    });
    const onConvertToInternal = vi.fn();
    renderWithQueries(<ReviewScreen user={astrid} onBack={() => {}} onContinue={() => {}} onConvertToInternal={onConvertToInternal} />);
    expect(await screen.findByTestId('review-outcome')).toHaveAttribute('data-outcome', 'alreadyB2b');
    const reverse = screen.getByTestId('to-reverse');
    expect(reverse).toHaveTextContent(en.review.convertToInternal);
    fireEvent.click(reverse);
    expect(onConvertToInternal).toHaveBeenCalledOnce();
  });

  it('does not offer the way back to an internal account', async () => {
    reviewsAsked();
    renderWithQueries(<ReviewScreen user={astrid} onBack={() => {}} onContinue={() => {}} onConvertToInternal={() => {}} />);
    expect(await screen.findByTestId('review-outcome')).toHaveAttribute('data-outcome', 'blocked');
    expect(screen.queryByTestId('to-reverse')).not.toBeInTheDocument();
  });

  it('explains a failed review and tries again on request', async () => {
    let fail = true;
    mockIPC((command) => {
      if (command !== 'review_user') return null;
      if (fail) throw { code: 'network', message: 'connection reset' };
      return report(null);
    });
    renderWithQueries(<ReviewScreen user={astrid} onBack={() => {}} onContinue={() => {}} onConvertToInternal={() => {}} />);
    expect(await screen.findByTestId('error-message')).toHaveAttribute('data-code', 'network');
    fail = false;
    fireEvent.click(screen.getByText(en.review.retry));
    expect(await screen.findByTestId('review-outcome')).toBeInTheDocument();
    expect(screen.queryByTestId('error-message')).not.toBeInTheDocument();
  });

  it('coming back from the message step keeps the chosen address and reads nothing again', async () => {
    const asked = reviewsAsked();
    const client = createQueryClient();
    const view = (email?: string | null) => (
      <QueryClientProvider client={client}>
        <ReviewScreen key={String(email)} user={astrid} email={email} onBack={() => {}} onContinue={() => {}} onConvertToInternal={() => {}} />
      </QueryClientProvider>
    );
    const { rerender } = render(view());
    await screen.findByTestId('review-outcome');
    fireEvent.click(screen.getByLabelText(/astrid.berg@northwind.example/));
    fireEvent.click(screen.getByTestId('email-check'));
    await waitFor(() => expect(screen.getByTestId('review-outcome')).toHaveAttribute('data-outcome', 'readyWithWarnings'));

    // The message step, then back: the same review, from the cache.
    rerender(<QueryClientProvider client={client}><p>message step</p></QueryClientProvider>);
    rerender(view('astrid.berg@northwind.example'));
    expect(screen.getByTestId('review-outcome')).toHaveAttribute('data-outcome', 'readyWithWarnings');
    expect(screen.getByTestId('sets-mail')).toHaveTextContent('astrid.berg@northwind.example');
    expect(asked).toEqual([null, 'astrid.berg@northwind.example']);
  });
});
