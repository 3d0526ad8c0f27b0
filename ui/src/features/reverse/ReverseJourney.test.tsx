import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import type { ReverseCheck, ReverseIntention, ReversePreview, ReverseReport, ReverseResult, TenantDomain, UserRow } from '../../ipc';
import { renderWithQueries } from '../../test/queries';
import { ReverseJourney } from './ReverseJourney';

const PASSWORD = 'Kq7!vT2#pL9@xR4m';
const DORA_UPN = 'dora.lindberg@contoso-sample.se';

const dora: UserRow = {
  id: '5e1c6a8e-0000-4000-8000-000000000021',
  displayName: 'Dora Lindberg',
  userPrincipalName: DORA_UPN,
  mail: 'dora.lindberg@fabrikam.com',
  userType: 'Member',
  onPremisesSyncEnabled: null,
  externalUserState: 'Accepted',
  creationType: null,
  accountEnabled: true,
};

const domains: TenantDomain[] = [
  { name: 'contoso-sample.se', signIn: 'managed', isDefault: true },
  { name: 'contoso-federated.se', signIn: 'federated', isDefault: false },
];

const check = (id: ReverseCheck['id'], verdict: ReverseCheck['verdict'], finding: ReverseCheck['finding'], values = {}): ReverseCheck => ({
  id,
  verdict,
  finding,
  values,
  reason: null,
});

function report(blocked = false): ReverseReport {
  return {
    reviewId: 'reverse-1',
    user: { ...dora, otherMails: [], proxyAddresses: [], identities: [{ signInType: 'federated', issuer: 'ExternalAzureAD' }], externalUserStateChangeDateTime: null, onPremisesUserPrincipalName: null, preferredLanguage: null },
    outcome: blocked ? 'blocked' : 'ready',
    checks: [
      check('signsInExternally', 'passed', 'externalIdentity', { issuer: 'ExternalAzureAD' }),
      blocked
        ? check('permission', 'blocks', 'permissionMissing', { permission: 'User.ReadWrite.All', leastPrivileged: 'User-ConvertToInternal.ReadWrite.All' })
        : check('permission', 'passed', 'permissionGranted'),
      check('oneWay', 'information', 'oneWay'),
    ],
    synced: false,
    upnPrefill: DORA_UPN,
    upnSuggestion: null,
    domains,
    forceChangePasswordDefault: true,
  };
}

function preview(intention: ReverseIntention): ReversePreview {
  const upn = intention.userPrincipalName ?? DORA_UPN;
  return {
    plan: {
      userId: dora.id, displayName: dora.displayName, userPrincipalName: DORA_UPN, synced: false, newUserPrincipalName: upn,
      setsPassword: true, forceChangePassword: intention.forceChangePassword, newMail: intention.mail, mailAfter: intention.mail ?? dora.mail,
    },
    request: {
      method: 'POST',
      path: `/beta/users/${dora.id}/convertExternalToInternalMemberUser`,
      body: `{\n  "userPrincipalName": "${upn}",\n  "passwordProfile": {\n    "password": "[hidden: made by Rehome, shown once after the conversion]"\n  }\n}`,
    },
    url: `https://graph.microsoft.com/beta/users/${dora.id}/convertExternalToInternalMemberUser`,
    powershell: "Connect-MgGraph -Scopes 'User-ConvertToInternal.ReadWrite.All'\n$password = Read-Host -Prompt 'New password'",
    beta: true,
  };
}

const succeeded = (upn: string): ReverseResult => ({
  journalId: 7, outcome: 'succeeded', userPrincipalName: upn, mail: dora.mail, userType: 'Member', convertedAt: '2026-12-01T10:00:00.0000000Z',
  oneTimePassword: PASSWORD, forceChangePassword: true, verified: true, confirmedByReading: false, requestIds: ['req-1'], error: null,
  refusal: null, canTryAgain: false,
});

/**
 * A stand-in for Rust's rules of a typed UPN (the real ones are tested in rehome-core): enough
 * to see that the form shows what Rust says and enables Next only on Rust's "nothing wrong".
 */
function upnProblem(upn: string) {
  if (!upn.trim()) return 'empty';
  if (!upn.includes('@')) return 'notAnAddress';
  if (/[^\x20-\x7e]/.test(upn)) return 'notAscii';
  const domain = upn.split('@')[1]!;
  if (domain === 'contoso-federated.se') return 'domainFederated';
  return domains.some((d) => d.name === domain) ? null : 'domainNotVerified';
}

/** The Rust side of the way back; records every command and holds the conversion until told. */
function rust({ blocked = false } = {}) {
  const calls: { command: string; args: Record<string, unknown> }[] = [];
  let finish: (result: ReverseResult) => void = () => {};
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    switch (command) {
      case 'review_reverse':
        return report(blocked);
      case 'reverse_upn_problem':
        return upnProblem(args.upn as string);
      case 'reverse_mail_problem':
        return (args.mail as string).endsWith('@contoso-sample.se') ? null : 'domainNotVerified';
      case 'preview_reverse':
        return preview(args.intention as ReverseIntention);
      case 'convert_to_internal':
        return new Promise<ReverseResult>((resolve) => (finish = resolve));
      default:
        throw { code: 'internal', message: `not mocked: ${command}` };
    }
  });
  return { calls, finish: (result: ReverseResult) => act(() => finish(result)) };
}

const next = () => screen.getByTestId('to-reverse-confirm');
const typeUpn = (text: string) => fireEvent.change(screen.getByTestId('reverse-upn'), { target: { value: text } });
const page = () => document.body.textContent ?? '';

beforeEach(async () => {
  await i18n.changeLanguage('en');
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
});
afterEach(() => clearMocks());

describe('the way back to internal', () => {
  it('the report words its checks, names the issuer in words and leads to the form', async () => {
    rust();
    renderWithQueries(<ReverseJourney user={dora} from="review" onBack={() => {}} onDone={() => {}} />);
    expect(await screen.findByTestId('reverse-outcome')).toHaveAttribute('data-outcome', 'ready');
    expect(screen.getByTestId('check-signsInExternally')).toHaveTextContent(en.reverse.issuer.externalAzureAd);
    expect(page()).not.toContain('ExternalAzureAD');
    expect(screen.getByTestId('preview-badge')).toHaveTextContent(en.reverse.previewBadge);
    fireEvent.click(screen.getByTestId('to-reverse-form'));
    expect(await screen.findByTestId('reverse-form-screen')).toBeInTheDocument();
  });

  it('without the permission the report blocks, says how to fix it, and offers no way on', async () => {
    const { calls } = rust({ blocked: true });
    renderWithQueries(<ReverseJourney user={dora} from="history" onBack={() => {}} onDone={() => {}} />);
    expect(await screen.findByTestId('reverse-outcome')).toHaveAttribute('data-outcome', 'blocked');
    expect(screen.getByTestId('check-permission')).toHaveTextContent('User-ConvertToInternal.ReadWrite.All');
    expect(screen.getByTestId('check-permission').querySelector('[data-testid="fix"]')).not.toBeNull();
    expect(screen.queryByTestId('to-reverse-form')).not.toBeInTheDocument();
    expect(screen.getByTestId('reverse-back')).toHaveTextContent(en.reverse.back.history);
    expect(calls.map((c) => c.command)).toEqual(['review_reverse']);
  });

  it('checks the UPN as it is typed and enables Next only for one Rust accepts', async () => {
    rust();
    renderWithQueries(<ReverseJourney user={dora} from="review" onBack={() => {}} onDone={() => {}} />);
    fireEvent.click(await screen.findByTestId('to-reverse-form'));
    // Prefilled with today's UPN, which Rust accepts.
    expect(screen.getByTestId('reverse-upn')).toHaveValue(DORA_UPN);
    await waitFor(() => expect(next()).toBeEnabled());

    typeUpn('dora.lindberg@contoso-federated.se');
    await screen.findByText(en.reverse.upnProblem.domainFederated);
    expect(next()).toBeDisabled();
    typeUpn('dåra@contoso-sample.se');
    await screen.findByText(en.reverse.upnProblem.notAscii);
    expect(next()).toBeDisabled();
    typeUpn('');
    await waitFor(() => expect(screen.queryByText(en.reverse.upnProblem.notAscii)).not.toBeInTheDocument());
    expect(next()).toBeDisabled();
    typeUpn('dora@contoso-sample.se');
    await screen.findByText(en.reverse.form.upn.ok);
    expect(next()).toBeEnabled();

    // A new email is checked too; until it is fine, Next waits.
    fireEvent.click(screen.getByTestId('reverse-new-mail'));
    expect(next()).toBeDisabled();
    fireEvent.change(screen.getByTestId('reverse-mail'), { target: { value: 'dora@fabrikam.com' } });
    await screen.findByText(en.reverse.mailProblem.domainNotVerified);
    expect(next()).toBeDisabled();
    fireEvent.change(screen.getByTestId('reverse-mail'), { target: { value: 'dora@contoso-sample.se' } });
    await waitFor(() => expect(next()).toBeEnabled());
  });

  it('enables Convert only when today’s UPN is typed, sends the intention, and shows the password only on the result', async () => {
    const { calls, finish } = rust();
    const onDone = vi.fn();
    renderWithQueries(<ReverseJourney user={dora} from="review" onBack={() => {}} onDone={onDone} />);
    fireEvent.click(await screen.findByTestId('to-reverse-form'));
    typeUpn('dora@contoso-sample.se');
    await waitFor(() => expect(next()).toBeEnabled());
    expect(page()).not.toContain(PASSWORD);
    fireEvent.click(next());

    // The confirmation: the exact request on the beta endpoint, with the password hidden.
    await screen.findByTestId('reverse-confirm-screen');
    fireEvent.click(screen.getByTestId('show-requests').querySelector('button')!);
    const request = await screen.findByTestId('reverse-request');
    expect(request).toHaveTextContent(`POST https://graph.microsoft.com/beta/users/${dora.id}/convertExternalToInternalMemberUser`);
    expect(request).toHaveTextContent('"userPrincipalName": "dora@contoso-sample.se"');
    expect(request).toHaveTextContent('[hidden: made by Rehome');
    expect(screen.getByTestId('powershell')).toHaveTextContent('Read-Host');
    expect(screen.getByTestId('reverse-steps')).toHaveTextContent(`The user name changes from ${DORA_UPN} to dora@contoso-sample.se.`);

    const convert = screen.getByTestId('convert-to-internal');
    await waitFor(() => expect(screen.getByTestId('reverse-steps')).toBeInTheDocument());
    expect(convert).toBeDisabled();
    fireEvent.change(screen.getByTestId('confirm-upn'), { target: { value: 'dora@contoso-sample.se' } });
    expect(convert).toBeDisabled(); // the new UPN is not the account being changed
    fireEvent.change(screen.getByTestId('confirm-upn'), { target: { value: ` ${DORA_UPN.toUpperCase()} ` } });
    expect(convert).toBeEnabled();
    fireEvent.click(convert);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(page()).not.toContain(PASSWORD);
    const sent = calls.find((c) => c.command === 'convert_to_internal');
    expect(sent?.args.intention).toEqual({ reviewId: 'reverse-1', userPrincipalName: 'dora@contoso-sample.se', forceChangePassword: true, mail: null });

    finish(succeeded('dora@contoso-sample.se'));
    const result = await screen.findByTestId('reverse-result-screen');
    expect(result).toHaveAttribute('data-outcome', 'succeeded');
    expect(screen.getByTestId('password-value')).toHaveTextContent(PASSWORD);
    expect(page().split(PASSWORD)).toHaveLength(2); // shown once
    expect(screen.getByTestId('reverse-new-upn')).toHaveTextContent('dora@contoso-sample.se');
    expect(screen.getByTestId('one-time-password')).toHaveTextContent(en.reverse.result.password.mustChange);
    fireEvent.click(screen.getByTestId('reverse-done'));
    expect(onDone).toHaveBeenCalledOnce();
  });

  it('a refusal is explained, with no password when nothing changed', async () => {
    const { finish } = rust();
    renderWithQueries(<ReverseJourney user={dora} from="review" onBack={() => {}} onDone={() => {}} />);
    fireEvent.click(await screen.findByTestId('to-reverse-form'));
    await waitFor(() => expect(next()).toBeEnabled());
    fireEvent.click(next());
    await screen.findByTestId('reverse-steps');
    fireEvent.change(screen.getByTestId('confirm-upn'), { target: { value: DORA_UPN } });
    fireEvent.click(screen.getByTestId('convert-to-internal'));
    finish({
      ...succeeded(DORA_UPN), outcome: 'failed', oneTimePassword: null, verified: false, refusal: 'upnInUse',
      error: { code: 'serviceError', message: 'Another object with the same value for property userPrincipalName already exists.' },
    });
    expect(await screen.findByTestId('reverse-result-screen')).toHaveAttribute('data-outcome', 'failed');
    expect(screen.getByTestId('refusal')).toHaveTextContent(en.refusal.upnInUse.cause);
    expect(screen.queryByTestId('one-time-password')).not.toBeInTheDocument();
    expect(page()).not.toContain(PASSWORD);
  });
});
