import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import type { BatchIntention, BatchRow, BatchStatus, DryRun, DryRunRow, ImportedList, Report, RowVerdict } from '../../ipc';
import { anna } from '../../test/profile';
import { renderWithQueries } from '../../test/queries';
import { BatchJourney } from './BatchJourney';


const PEOPLE: [string, RowVerdict][] = [
  ['Oscar Ward', 'ready'],
  ['Åsa Ödman', 'ready'],
  ['Henrik Dahl', 'readyWithWarnings'],
  ['Karin Sjöberg', 'blocked'],
  ['Carl Magnusson', 'alreadyB2b'],
];
const upn = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@contoso-sample.se`;

const list: ImportedList = {
  listId: 'list-1',
  rows: PEOPLE.map(([name], i) => ({ line: i + 2, objectId: null, userPrincipalName: upn(name), email: null })),
  rejected: [{ line: 8, problem: 'notAUserPrincipalName', value: 'not-a-upn', emailProblem: null, firstLine: null }],
  problem: null,
  rowCount: 6,
  maxRows: 500,
  separator: ',',
};

function report(name: string, verdict: RowVerdict): Report {
  return {
    reviewId: `review-${name}`,
    user: {
      id: `id-${name}`, displayName: name, userPrincipalName: upn(name), mail: null, otherMails: [], proxyAddresses: [], userType: 'Member',
      accountEnabled: true, creationType: null, externalUserState: null, externalUserStateChangeDateTime: null, identities: [],
      onPremisesSyncEnabled: null, onPremisesUserPrincipalName: null, preferredLanguage: null,
    },
    outcome: verdict === 'ready' || verdict === 'readyWithWarnings' || verdict === 'blocked' || verdict === 'alreadyB2b' ? verdict : 'blocked',
    checks: verdict === 'blocked' ? [{ id: 'emailDomain', verdict: 'blocks', finding: 'emailVerifiedDomain', values: { domain: 'contoso-sample.se' }, reason: null, differsFrom2020: false }] : [],
    email: `${name.split(' ')[0]!.toLowerCase()}@partner.example`,
    candidates: [],
    setsMail: verdict === 'readyWithWarnings',
    verifiedDomains: [],
    suggestedLanguage: name === 'Åsa Ödman' || name === 'Oscar Ward' ? 'sv-SE' : 'en-US',
  };
}

const dryRun: DryRun = {
  batchId: 'batch-1',
  rows: PEOPLE.map(([name, verdict], i): DryRunRow => ({ row: list.rows[i]!, verdict, report: report(name, verdict), error: null, firstLine: null })),
  rejected: list.rejected,
  reads: 25,
  roundTrips: 2,
  ready: 2,
  readyWithWarnings: 1,
  notReady: 2,
};

function status(intention: BatchIntention, state: BatchStatus['state'], done: number): BatchStatus {
  const rows: BatchRow[] = intention.lines.map((line, i) => ({
    line, userId: `id-${line}`, userPrincipalName: `u${line}@contoso-sample.se`, displayName: `Person ${line}`, email: `p${line}@partner.example`,
    state: i < done ? 'converted' : 'queued', journalId: i < done ? line : null, invitationSent: i < done,
    redeemUrl: i < done && !intention.message.sendEmail ? `https://login.example/redeem?rd=${line}` : null,
    externalUserState: i < done ? 'PendingAcceptance' : null, requestIds: i < done ? [`req-${line}`] : [], error: null, refusal: null, skippedBecause: null,
  }));
  const total = rows.length;
  return { batchId: intention.batchId, state, reason: null, sendEmail: intention.message.sendEmail, total, queued: total - done, running: 0, waiting: 0, converted: done, failed: 0, unknown: 0, skipped: 0, secondsLeft: state === 'running' ? 150 : null, rows };
}

/** Rust's side of a batch; the run is held until `finish`, its status follows `progress`. */
function rust() {
  const calls: { command: string; args: Record<string, unknown> }[] = [];
  let intention: BatchIntention | null = null;
  let done = 0;
  let state: BatchStatus['state'] = 'running';
  let finish: (answer: BatchStatus) => void = () => {};
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    switch (command) {
      case 'import_batch_file':
        return list;
      case 'dry_run_batch':
        return dryRun;
      case 'check_message':
        return { problems: [], languages: ['en-US', 'sv-SE'], messageWarningChars: 1000, messageMaxChars: 10000 };
      case 'run_batch':
        intention = args.intention as BatchIntention;
        return new Promise<BatchStatus>((resolve) => (finish = resolve));
      case 'batch_status':
        return status(intention!, state, done);
      case 'pause_batch':
        state = 'paused';
        return status(intention!, state, done);
      default:
        throw { code: 'internal', message: `not mocked: ${command}` };
    }
  });
  return {
    calls,
    intention: () => intention,
    progress: (count: number) => (done = count),
    finish: () => act(() => finish(status(intention!, 'finished', intention!.lines.length))),
  };
}

const rows = () => screen.getAllByTestId('dry-run-row');
const ticked = () => rows().filter((row) => (within(row).getByTestId('tick') as HTMLInputElement).checked).map((row) => row.dataset.line);

beforeEach(async () => {
  await i18n.changeLanguage('en');
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
});
afterEach(() => clearMocks());

async function toDryRun() {
  renderWithQueries(<BatchJourney profile={anna} onDone={() => {}} />);
  fireEvent.click(screen.getByTestId('choose-file'));
  expect(await screen.findByTestId('rejected-row')).toHaveTextContent(en.batch.rowProblems.notAUserPrincipalName);
  fireEvent.click(screen.getByTestId('start-dry-run'));
  await screen.findByTestId('dry-run-table');
}

describe('a batch', () => {
  it('ticks what the dry run lets through, filters, sorts, and keeps the ticks when coming back', async () => {
    const { calls } = rust();
    await toDryRun();
    expect(ticked()).toEqual(['2', '3', '4']);
    // Blocked and already-B2B rows cannot be ticked.
    const blocked = rows().find((row) => row.dataset.verdict === 'blocked')!;
    expect(within(blocked).getByTestId('tick')).toBeDisabled();
    expect(screen.getByTestId('to-batch-message')).toHaveTextContent('3 accounts');

    fireEvent.click(screen.getByTestId('filter-notReady'));
    expect(rows().map((row) => row.dataset.verdict)).toEqual(['blocked', 'alreadyB2b']);
    fireEvent.click(screen.getByTestId('filter-all'));

    // The blocked row says what to fix.
    fireEvent.click(within(blocked).getByTestId('row-details'));
    expect(screen.getByTestId('row-findings')).toHaveTextContent(en.batch.verdicts.blocked.body);
    expect(screen.getByTestId('check-emailDomain')).toBeInTheDocument();

    // Untick one; the message step and back keep it unticked, and nothing is read again.
    fireEvent.click(within(rows()[0]!).getByTestId('tick'));
    expect(ticked()).toEqual(['3', '4']);
    fireEvent.click(screen.getByTestId('to-batch-message'));
    expect(await screen.findByTestId('batch-message-screen')).toHaveTextContent('One invitation for 2 accounts');
    fireEvent.click(screen.getByTestId('back-to-dry-run'));
    await screen.findByTestId('dry-run-table');
    expect(ticked()).toEqual(['3', '4']);
    expect(calls.filter((c) => c.command === 'dry_run_batch')).toHaveLength(1);
  });

  it('sorts by name', async () => {
    rust();
    await toDryRun();
    fireEvent.click(screen.getByTestId('sort'));
    fireEvent.click(await screen.findByRole('option', { name: en.batch.dryRun.sorts.name }));
    // In English Å sorts as A: Åsa, Carl, Henrik, Karin, Oscar.
    expect(rows().map((row) => row.dataset.line)).toEqual(['3', '6', '4', '5', '2']);
  });

  it('starts the language from the ticked people, asks for the count, then runs with Pause and shows the result', async () => {
    const rs = rust();
    await toDryRun();
    fireEvent.click(screen.getByTestId('to-batch-message'));
    await screen.findByTestId('batch-message-screen');
    // Two of the three ticked have Swedish as their language.
    await waitFor(() => expect(screen.getByTestId('language')).toHaveTextContent('Swedish'));
    fireEvent.click(screen.getByTestId('send-email'));
    await waitFor(() => expect(screen.getByTestId('to-confirm')).toBeEnabled());
    fireEvent.click(screen.getByTestId('to-confirm'));

    const run = await screen.findByTestId('run-batch');
    expect(run).toBeDisabled();
    fireEvent.change(screen.getByTestId('confirm-count'), { target: { value: '4' } });
    expect(run).toBeDisabled();
    fireEvent.change(screen.getByTestId('confirm-count'), { target: { value: '3' } });
    expect(run).toBeEnabled();
    rs.progress(1);
    fireEvent.click(run);

    expect(rs.intention()).toMatchObject({ batchId: 'batch-1', lines: [2, 3, 4], confirmedCount: 3, message: { sendEmail: false, language: 'sv-SE' } });
    expect(await screen.findByTestId('batch-progress')).toHaveTextContent('1 of 3 done. About 3 minutes left.');
    fireEvent.click(screen.getByTestId('pause-batch'));
    expect(await screen.findByTestId('resume-batch')).toBeInTheDocument();
    expect(rs.calls.some((c) => c.command === 'pause_batch')).toBe(true);

    await rs.finish();
    expect(await screen.findByText(en.batch.run.ended.finished)).toBeInTheDocument();
    expect(screen.getAllByTestId('row-redeem-url')).toHaveLength(3);
    expect(screen.getByTestId('links-once')).toBeInTheDocument();
    expect(screen.getByTestId('export-result')).toBeInTheDocument();
    expect(screen.queryByTestId('pause-batch')).not.toBeInTheDocument();
  });

  it('says in words why a list cannot be used', async () => {
    mockIPC((command) => {
      if (command === 'import_batch_text') return { ...list, rows: [], rejected: [], problem: 'tooManyRows', rowCount: 612 };
      throw { code: 'internal', message: command };
    });
    renderWithQueries(<BatchJourney profile={anna} onDone={() => {}} />);
    fireEvent.change(screen.getByTestId('paste'), { target: { value: 'userPrincipalName\n…' } });
    fireEvent.click(screen.getByTestId('check-pasted'));
    expect(await screen.findByTestId('list-problem')).toHaveTextContent('The list has 612 accounts; Rehome converts at most 500 at a time.');
    expect(screen.queryByTestId('start-dry-run')).not.toBeInTheDocument();
  });

  it('continues an unfinished batch, with the message written again when the journal did not keep it', async () => {
    const calls: { command: string; args: Record<string, unknown> }[] = [];
    mockIPC((command, payload) => {
      calls.push({ command, args: (payload ?? {}) as Record<string, unknown> });
      if (command === 'check_message') return { problems: [], languages: ['en-US'], messageWarningChars: 1000, messageMaxChars: 10000 };
      if (command === 'continue_batch') return new Promise(() => {});
      if (command === 'batch_status') throw { code: 'invalidInput', message: 'not yet' };
      throw { code: 'internal', message: command };
    });
    const batch = { batchId: 'batch-9', createdAt: Date.UTC(2026, 11, 1, 9), adminUpn: anna.admin.userPrincipalName, tenantId: 't-1', total: 40, done: 12, messageNeeded: true };
    renderWithQueries(<BatchJourney profile={anna} resume={batch} onDone={() => {}} />);
    expect(await screen.findByTestId('batch-continue-screen')).toHaveTextContent('12 of 40 accounts are done.');
    fireEvent.change(screen.getByTestId('personal-message'), { target: { value: 'Välkommen tillbaka' } });
    await waitFor(() => expect(screen.getByTestId('to-confirm')).toBeEnabled());
    fireEvent.click(screen.getByTestId('to-confirm'));
    await screen.findByTestId('batch-starting');
    const sent = calls.find((c) => c.command === 'continue_batch')!;
    expect(sent.args).toMatchObject({ batchId: 'batch-9', message: { personalMessage: 'Välkommen tillbaka' } });
  });
});
