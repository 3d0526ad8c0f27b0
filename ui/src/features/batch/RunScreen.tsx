import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowLeftRegular, PauseRegular, PlayRegular, StopRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { IpcError, ipc, type BatchRow, type BatchStatus, type RowState } from '../../ipc';
import { stateWord } from '../convert/ResultScreen';
import { batchKeys, useBatchStatus } from './queries';

const useStyles = makeStyles({
  counts: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'center' },
  tableWrap: { overflowX: 'auto' },
  line: { width: '56px' },
  // The outcome holds the most (state, link, request IDs): it gets what the others leave.
  column: { width: '26%' },
  email: { overflowWrap: 'anywhere' },
  who: { display: 'flex', flexDirection: 'column', overflowWrap: 'anywhere' },
  outcome: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, alignItems: 'flex-start' },
  linkRow: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  copy: { flexShrink: 0, whiteSpace: 'nowrap' },
  link: { minWidth: 0, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
});

/** A run as the journey started it; Rust's final answer (or why nothing was sent) arrives later. */
export type Run = {
  batchId: string;
  total: number;
  final: BatchStatus | null;
  error: IpcError | null;
  /** Back to where it was started from, when nothing was sent. */
  back?: () => void;
};

const STATE_BADGE: Record<RowState, 'success' | 'danger' | 'warning' | 'informative' | 'brand' | 'subtle'> = {
  queued: 'subtle',
  running: 'brand',
  waitingForMail: 'warning',
  converted: 'success',
  failed: 'danger',
  unknown: 'warning',
  skipped: 'informative',
};

/** The counts shown, in this order (those at zero are left out). */
const COUNTS = ['converted', 'failed', 'unknown', 'skipped', 'waiting', 'running', 'queued'] as const;

/** The run while it goes (counts, time left, Pause, Resume, Stop) and its result once it ends. */
export function RunScreen({ run, onDone }: { run: Run; onDone: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const queries = useQueryClient();
  const live = !run.final && !run.error;
  const { data: polled } = useBatchStatus(run.batchId, live);
  const [actionError, setActionError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const status = run.final ?? polled;

  // Rust answers with an error only when nothing was sent: what was polled before is moot.
  if (run.error || !status) {
    return (
      <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="batch-run-screen">
        <Title2 as="h1">{run.error ? t('batch.run.nothingSent') : t('batch.run.title', { count: run.total })}</Title2>
        {run.error ? (
          <>
            <ErrorMessage error={run.error} />
            <div className={styles.buttons}>
              {run.back && (
                <Button icon={<ArrowLeftRegular />} onClick={run.back} data-testid="batch-back">
                  {t('batch.confirm.backFromRun')}
                </Button>
              )}
              <Button onClick={onDone} data-testid="batch-done">
                {t('batch.back')}
              </Button>
            </div>
          </>
        ) : (
          <Spinner label={t('batch.run.starting')} data-testid="batch-starting" />
        )}
      </main>
    );
  }

  const act = (action: (batchId: string) => Promise<BatchStatus>) =>
    action(status.batchId).then((answer) => queries.setQueryData(batchKeys.status(status.batchId), answer), setActionError);
  const finished = status.state === 'finished' || status.state === 'stopped';
  const done = status.converted + status.failed + status.unknown + status.skipped;
  const links = !status.sendEmail && status.rows.some((row) => row.redeemUrl);
  const exportResult = () => ipc.exportBatchResult(status.batchId).then(setSaved, setActionError);

  return (
    <main className={mergeClasses(page.page, page.wide, blocks.stack)} data-testid="batch-run-screen" data-state={status.state}>
      <Title2 as="h1">{finished ? t(`batch.run.ended.${status.state}`) : t('batch.run.title', { count: status.total })}</Title2>

      <Card className={blocks.card}>
        <ProgressBar value={status.total ? done / status.total : 0} thickness="large" aria-label={t('batch.run.progress', { done, total: status.total })} />
        <Body1 data-testid="batch-progress">
          {t('batch.run.progress', { done, total: status.total })}
          {!finished && status.secondsLeft !== null && ` ${timeLeft(t, status.secondsLeft)}`}
        </Body1>
        <div className={styles.counts} data-testid="batch-counts">
          {COUNTS.map(
            (key) =>
              status[key] > 0 && (
                <Badge key={key} appearance="tint" color={STATE_BADGE[key === 'waiting' ? 'waitingForMail' : key]} data-testid={`count-${key}`}>
                  {t(`batch.run.counts.${key}`, { count: status[key] })}
                </Badge>
              ),
          )}
        </div>
        {!finished && <Body1>{t(`batch.runStates.${status.state}`)}</Body1>}
        {status.reason && <ErrorMessage error={new IpcError(status.reason)} />}
        {actionError && <ErrorMessage error={actionError} />}
        {!finished && (
          <div className={styles.buttons}>
            {status.state === 'paused' ? (
              <Button appearance="primary" icon={<PlayRegular />} onClick={() => act(ipc.resumeBatch)} data-testid="resume-batch">
                {t('batch.run.resume')}
              </Button>
            ) : (
              <Button icon={<PauseRegular />} disabled={status.state !== 'running'} onClick={() => act(ipc.pauseBatch)} data-testid="pause-batch">
                {t('batch.run.pause')}
              </Button>
            )}
            <Button icon={<StopRegular />} disabled={status.state === 'stopping'} onClick={() => act(ipc.stopBatch)} data-testid="stop-batch">
              {t('batch.run.stop')}
            </Button>
            {status.state === 'stopping' && <Spinner size="tiny" label={t('batch.runStates.stopping')} />}
          </div>
        )}
      </Card>

      {links && (
        <MessageBar intent="warning" layout="multiline" data-testid="links-once">
          <MessageBarBody>
            <MessageBarTitle>{t('result.link.title')}</MessageBarTitle>
            {t('batch.run.linksOnce')}
          </MessageBarBody>
        </MessageBar>
      )}

      <div className={styles.tableWrap}>
        <Table size="small" aria-label={t('batch.run.table')} data-testid="batch-rows">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.line}>{t('batch.column.line')}</TableHeaderCell>
              <TableHeaderCell className={styles.column}>{t('batch.column.account')}</TableHeaderCell>
              <TableHeaderCell className={styles.column}>{t('batch.column.email')}</TableHeaderCell>
              <TableHeaderCell>{t('batch.column.outcome')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {status.rows.map((row) => (
              <TableRow key={row.line} data-testid="batch-row" data-line={row.line} data-state={row.state}>
                <TableCell>{row.line}</TableCell>
                <TableCell>
                  <div className={styles.who}>
                    <Body1>{row.displayName}</Body1>
                    <Caption1>{row.userPrincipalName}</Caption1>
                  </div>
                </TableCell>
                <TableCell className={styles.email}>{row.email}</TableCell>
                <TableCell>
                  <RowOutcome row={row} sendEmail={status.sendEmail} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>

      {finished && (
        <>
          {saved && <Caption1 data-testid="result-saved">{t('batch.savedTo', { path: saved })}</Caption1>}
          <Body1>{t('batch.run.inHistory')}</Body1>
          <div className={styles.buttons}>
            <Button icon={<ArrowDownloadRegular />} onClick={exportResult} data-testid="export-result">
              {t('batch.run.export')}
            </Button>
            <Button appearance="primary" onClick={onDone} data-testid="batch-done">
              {t('batch.back')}
            </Button>
          </div>
        </>
      )}
    </main>
  );
}

/** "About 3 minutes left" – never seconds: the pace is an estimate. */
function timeLeft(t: (key: string, values?: Record<string, unknown>) => string, seconds: number) {
  return seconds < 60 ? t('batch.run.underAMinute') : t('batch.run.minutesLeft', { count: Math.ceil(seconds / 60) });
}

function RowOutcome({ row, sendEmail }: { row: BatchRow; sendEmail: boolean }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.outcome}>
      <Badge appearance="tint" color={STATE_BADGE[row.state]} data-testid="row-state">
        {t(`batch.rowStates.${row.state}`)}
      </Badge>
      {row.state === 'converted' && (
        <Caption1>
          {sendEmail && row.invitationSent && `${t('batch.run.emailed')} `}
          {row.externalUserState && t('batch.run.now', { state: t(`result.state.${stateWord(row.externalUserState)}`) })}
        </Caption1>
      )}
      {row.redeemUrl && (
        <div className={styles.linkRow}>
          <Caption1 className={styles.link} data-testid="row-redeem-url">
            {row.redeemUrl}
          </Caption1>
          <span className={styles.copy}>
            <CopyButton text={row.redeemUrl} label={t('result.link.copy')} testId="copy-row-link" />
          </span>
        </div>
      )}
      {row.refusal && <Caption1 data-testid="row-refusal">{`${t(`refusal.${row.refusal}.cause`)} ${t(`refusal.${row.refusal}.fix`)}`}</Caption1>}
      {row.error && !row.refusal && <Caption1 data-testid="row-error">{t(`errors.${row.error.code}`, { message: row.error.message })}</Caption1>}
      {row.skippedBecause && <Caption1>{t(`batch.verdicts.${row.skippedBecause}.body`, { line: '' })}</Caption1>}
      {row.requestIds.length > 0 && <Caption1 className={styles.link}>{t('result.requestIds', { ids: row.requestIds.join(', ') })}</Caption1>}
    </div>
  );
}
