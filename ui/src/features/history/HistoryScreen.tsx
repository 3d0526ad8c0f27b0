import {
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  SearchBox,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, ArrowDownloadRegular, ArrowLeftRegular, DeleteRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { IpcError, ipc, type JournalEntry, type PlannedRequest, type Redemption, type UserRow } from '../../ipc';
import { queryKeys, useHistory } from '../../ipc/queries';

const useStyles = makeStyles({
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
  row: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  text: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  line: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: `${tokens.spacingVerticalS} 0`, '& dd': { margin: 0, overflowWrap: 'anywhere' }, '& dt': { color: tokens.colorNeutralForeground3 } },
  message: { whiteSpace: 'pre-wrap' },
});

type Filter = 'all' | 'pending' | 'accepted' | 'internal' | 'failed' | 'unfinished';
const FILTERS: Filter[] = ['all', 'pending', 'accepted', 'internal', 'failed', 'unfinished'];
const DAY_MS = 86_400_000;

/** The exact requests as they were sent, one after the other. */
function requestsText(requests: PlannedRequest[]) {
  return requests.map((r) => `${r.method} ${r.path}\n${r.body}`).join('\n\n');
}

/** The user of an entry as the review screen opens it (it reads the rest itself). */
function rowOf(entry: JournalEntry): UserRow {
  return {
    id: entry.userId,
    displayName: entry.userName,
    userPrincipalName: entry.userUpn,
    mail: entry.email,
    userType: null,
    onPremisesSyncEnabled: null,
    externalUserState: null,
    creationType: null,
    accountEnabled: null,
  };
}

/** The UPN a conversion back to internal gave the account (in its request; none when synced). */
function newUpnOf(entry: JournalEntry): string | null {
  try {
    const body = JSON.parse(entry.requests[0]?.body ?? '{}') as { userPrincipalName?: unknown };
    return typeof body.userPrincipalName === 'string' ? body.userPrincipalName : null;
  } catch {
    return null;
  }
}

/** What became of an entry: its redemption as last read, else as recorded at the time. */
function stateOf(entry: JournalEntry, read?: Redemption) {
  if (entry.outcome === null) return { kind: 'unfinished' as const };
  if (entry.outcome !== 'succeeded') return { kind: 'failed' as const };
  if (entry.kind === 'convertToInternal') return { kind: 'internal' as const, since: entry.finishedAt ?? entry.startedAt };
  const state = read ? read.state : entry.status;
  const since = read?.changedAt ? Date.parse(read.changedAt) : (entry.finishedAt ?? entry.startedAt);
  return state === 'Accepted' ? { kind: 'accepted' as const, since } : { kind: 'pending' as const, since };
}

/** Step 8: every conversion this workstation made, its redemption now, export and delete. */
export function HistoryScreen({
  onBack,
  onOpenUser,
  onUndoConversion,
}: {
  onBack: () => void;
  onOpenUser: (user: UserRow) => void;
  /** The way back for a user this computer converted. */
  onUndoConversion: (user: UserRow) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const history = useHistory();
  const queries = useQueryClient();
  const entries = history.data ?? null;
  const [read, setRead] = useState<Record<string, Redemption>>({});
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [actionError, setActionError] = useState<IpcError | null>(null);
  const error = actionError ?? history.error;
  // "Pending for N days" counts from when the screen opened.
  const [now] = useState(() => Date.now());

  const fail = (rejection: IpcError) => {
    setBusy(false);
    setActionError(rejection);
  };
  const refresh = (userIds: string[]) => {
    setBusy(true);
    ipc.refreshRedemption(userIds).then((found) => {
      setBusy(false);
      setRead((r) => ({ ...r, ...Object.fromEntries(found.map((f) => [f.userId, f])) }));
    }, fail);
  };
  const remove = (id: number) =>
    ipc.deleteHistoryEntry(id).then(() => {
      queries.setQueryData<JournalEntry[]>(queryKeys.history, (list) => list?.filter((e) => e.id !== id));
      setDeleting(null);
    }, fail);
  const exportCsv = () => ipc.exportHistory().then(setExported, fail);

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return (entries ?? []).filter((entry) => {
      const kind = stateOf(entry, read[entry.userId]).kind;
      const text = `${entry.userName} ${entry.userUpn} ${entry.email} ${entry.adminUpn}`.toLowerCase();
      return (filter === 'all' || kind === filter) && (!needle || text.includes(needle));
    });
  }, [entries, read, filter, query]);
  const pending = (entries ?? []).filter((e) => stateOf(e, read[e.userId]).kind === 'pending').map((e) => e.userId);
  // A conversion that a later one back to internal undid: no resend, reset or undo any more.
  const undone = (entry: JournalEntry) =>
    entry.kind === 'conversion' &&
    (entries ?? []).some((e) => e.kind === 'convertToInternal' && e.outcome === 'succeeded' && e.userId === entry.userId && e.startedAt > entry.startedAt);
  const date = (ms: number) => new Date(ms).toLocaleString(i18n.language);

  return (
    <main className={mergeClasses(page.page, page.wide, blocks.stack)} data-testid="history-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="history-back">
        {t('history.back')}
      </Button>
      <div className={styles.bar}>
        <Title2 as="h1" className={styles.grow}>
          {t('history.title')}
        </Title2>
        <Button icon={<ArrowClockwiseRegular />} disabled={busy || !pending.length} onClick={() => refresh(pending)} data-testid="refresh-pending">
          {t('history.refreshPending', { count: pending.length })}
        </Button>
        <Button icon={<ArrowDownloadRegular />} disabled={!entries?.length} onClick={exportCsv} data-testid="export">
          {t('history.export')}
        </Button>
      </div>
      {exported && (
        <MessageBar intent="success" data-testid="exported">
          <MessageBarBody>{t('history.exported', { path: exported })}</MessageBarBody>
        </MessageBar>
      )}
      {error && <ErrorMessage error={error} />}
      <div className={styles.bar}>
        <RadioGroup layout="horizontal" value={filter} onChange={(_, data) => setFilter(data.value as Filter)} aria-label={t('history.filter')}>
          {FILTERS.map((f) => (
            <Radio key={f} value={f} label={t(`history.filters.${f}`)} data-testid={`filter-${f}`} />
          ))}
        </RadioGroup>
        <SearchBox className={styles.grow} value={query} onChange={(_, data) => setQuery(data.value)} placeholder={t('history.search')} aria-label={t('history.search')} />
      </div>
      {entries && !shown.length && <Body1 data-testid="history-empty">{t(entries.length ? 'history.noMatch' : 'history.empty')}</Body1>}
      <ul className={styles.list}>
        {shown.map((entry) => {
          const state = stateOf(entry, read[entry.userId]);
          const days = state.kind === 'pending' ? Math.floor((now - state.since) / DAY_MS) : 0;
          const reverse = entry.kind === 'convertToInternal';
          const newUpn = reverse ? newUpnOf(entry) : null;
          const wasUndone = undone(entry);
          return (
            <li key={entry.id}>
              <Card className={styles.card} data-testid="history-entry" data-state={state.kind}>
                <div className={styles.row}>
                  <div className={styles.text}>
                    <Body1>
                      <strong>{entry.userName}</strong> · {reverse ? t('history.kind.convertToInternal') : entry.email}
                    </Body1>
                    <Caption1 className={styles.line}>
                      {t('history.line', { when: date(entry.startedAt), admin: entry.adminUpn, upn: entry.userUpn })}
                      {' · '}
                      {reverse
                        ? newUpn
                          ? t('history.newUpn', { upn: newUpn })
                          : t('history.upnKeptOnPremises')
                        : t(entry.sendEmail ? 'history.emailSent' : 'history.emailNotSent')}
                    </Caption1>
                    <Body1 data-testid="history-state">
                      {state.kind === 'pending' && t('history.state.pending', { count: days })}
                      {state.kind === 'accepted' && t('history.state.accepted', { date: date(state.since) })}
                      {state.kind === 'internal' && t('history.state.internal', { date: date(state.since) })}
                      {state.kind === 'failed' && t('history.state.failed')}
                      {state.kind === 'unfinished' && t('history.state.unfinished')}
                    </Body1>
                    {wasUndone && (
                      <Caption1 className={styles.line} data-testid="history-undone">
                        {t('history.undone')}
                      </Caption1>
                    )}
                  </div>
                  <div className={styles.bar}>
                    {state.kind === 'pending' && (
                      <Button size="small" icon={<ArrowClockwiseRegular />} disabled={busy} onClick={() => refresh([entry.userId])}>
                        {t('history.refresh')}
                      </Button>
                    )}
                    {(state.kind === 'pending' || state.kind === 'accepted') && !wasUndone && (
                      <Button size="small" onClick={() => onOpenUser(rowOf(entry))} data-testid="history-resend-reset">
                        {t('history.resendReset')}
                      </Button>
                    )}
                    {entry.kind === 'conversion' && entry.outcome === 'succeeded' && !wasUndone && (
                      <Button size="small" onClick={() => onUndoConversion(rowOf(entry))} data-testid="history-undo">
                        {t('history.undo')}
                      </Button>
                    )}
                    <Button size="small" onClick={() => setOpen(open === entry.id ? null : entry.id)} data-testid="history-open">
                      {t(open === entry.id ? 'history.close' : 'history.open')}
                    </Button>
                    <Button size="small" icon={<DeleteRegular />} onClick={() => setDeleting(entry.id)} aria-label={t('history.delete')} />
                  </div>
                </div>
                {deleting === entry.id && (
                  <div className={styles.bar}>
                    <Body1 className={styles.grow}>{t('history.deleteConfirm', { name: entry.userName })}</Body1>
                    <Button appearance="primary" onClick={() => remove(entry.id)} data-testid="history-delete-confirm">
                      {t('history.delete')}
                    </Button>
                    <Button onClick={() => setDeleting(null)}>{t('history.cancel')}</Button>
                  </div>
                )}
                {open === entry.id && (
                  <div data-testid="history-details">
                    <dl className={styles.facts}>
                      <dt>{t('history.record.kind')}</dt>
                      <dd>{t(`history.kind.${entry.kind}`)}</dd>
                      {reverse ? (
                        <>
                          <dt>{t('history.record.newUpn')}</dt>
                          <dd>{newUpn ?? t('history.upnKeptOnPremises')}</dd>
                          <dt>{t('history.record.mailAfter')}</dt>
                          <dd>{entry.email || '–'}</dd>
                          <dt>{t('history.record.mailSet')}</dt>
                          <dd>{t(entry.setMail ? 'history.record.yes' : 'history.record.no')}</dd>
                        </>
                      ) : (
                        <>
                          <dt>{t('history.record.language')}</dt>
                          <dd>{entry.language}</dd>
                          <dt>{t('history.record.cc')}</dt>
                          <dd>{entry.cc ?? '–'}</dd>
                          <dt>{t('history.record.landing')}</dt>
                          <dd>{entry.redirectUrl}</dd>
                          <dt>{t('history.record.mailSet')}</dt>
                          <dd>{t(entry.setMail ? 'history.record.yes' : 'history.record.no')}</dd>
                          <dt>{t('history.record.message')}</dt>
                          <dd className={styles.message}>{entry.personalMessage ?? t('history.record.notKept')}</dd>
                          <dt>{t('history.record.invitationId')}</dt>
                          <dd>{entry.invitationId ?? '–'}</dd>
                        </>
                      )}
                    </dl>
                    <Caption1>{t('history.requestIds', { ids: entry.requestIds.join(', ') || '–' })}</Caption1>
                    {entry.error && <ErrorMessage error={new IpcError(entry.error)} />}
                    <pre className={blocks.code}>{requestsText(entry.requests)}</pre>
                    <CopyButton text={requestsText(entry.requests)} label={t('history.copyRequests')} />
                  </div>
                )}
              </Card>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
