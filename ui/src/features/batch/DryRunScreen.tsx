import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Checkbox,
  Dropdown,
  Field,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
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
import { ArrowDownloadRegular, ArrowLeftRegular, ArrowRightRegular } from '@fluentui/react-icons';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { ipc, type DryRun, type DryRunRow, type ImportedList, type IpcError, type RowVerdict } from '../../ipc';
import { CheckList } from '../review/CheckList';
import { RejectedRows } from './RejectedRows';
import { useDryRun } from './queries';

const useStyles = makeStyles({
  summary: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'center' },
  tools: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-end', justifyContent: 'space-between' },
  tableWrap: { overflowX: 'auto' },
  tick: { width: '44px' },
  line: { width: '56px' },
  who: { display: 'flex', flexDirection: 'column', overflowWrap: 'anywhere' },
  email: { overflowWrap: 'anywhere' },
  details: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, justifyContent: 'space-between', flexWrap: 'wrap', alignItems: 'center' },
});

/** The verdicts a run can convert (Rust's `RowVerdict::allows`). */
export const CONVERTIBLE: RowVerdict[] = ['ready', 'readyWithWarnings'];

/** Ticked from the start: every row the dry run lets through (the notes are one filter away). */
export function firstTicked(dryRun: DryRun): number[] {
  return dryRun.rows.filter((row) => CONVERTIBLE.includes(row.verdict)).map((row) => row.row.line);
}

/** The lines ticked in one dry run. */
export interface Ticks {
  batchId: string;
  lines: number[];
}
const ORDER: RowVerdict[] = ['ready', 'readyWithWarnings', 'blocked', 'alreadyB2b', 'upnDoesNotMatch', 'duplicate', 'notFound', 'couldNotRead'];
const BADGE: Record<RowVerdict, 'success' | 'warning' | 'danger' | 'informative'> = {
  ready: 'success',
  readyWithWarnings: 'warning',
  blocked: 'danger',
  alreadyB2b: 'informative',
  notFound: 'danger',
  couldNotRead: 'warning',
  duplicate: 'informative',
  upnDoesNotMatch: 'danger',
};

const FILTERS = ['all', 'ready', 'readyWithWarnings', 'notReady'] as const;
const SORTS = ['line', 'name', 'verdict'] as const;
type Filter = (typeof FILTERS)[number];
type Sort = (typeof SORTS)[number];

const matches = (filter: Filter, row: DryRunRow) =>
  filter === 'all' || (filter === 'notReady' ? !CONVERTIBLE.includes(row.verdict) : row.verdict === filter);
const nameOf = (row: DryRunRow) => row.report?.user.displayName ?? row.row.userPrincipalName ?? row.row.objectId ?? '';

/** Every row reviewed (nothing written): tick, filter, sort, read each row's findings, export. */
export function DryRunScreen({
  list,
  ticks,
  onTick,
  onRead,
  onBack,
  onNext,
}: {
  list: ImportedList;
  /** The ticks the journey keeps; until it keeps this dry run's, the first ticks are shown (never a table without them). */
  ticks: Ticks | null;
  /** Ticks or unticks these lines (stable across renders: the rows are memoised). */
  onTick: (lines: number[], on: boolean) => void;
  /** The dry run arrived (the journey ticks the rows it lets through the first time). */
  onRead: (dryRun: DryRun) => void;
  onBack: () => void;
  onNext: (dryRun: DryRun) => void;
}) {
  const { t } = useTranslation();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const { data: dryRun, error, refetch, isFetching } = useDryRun(list.listId);

  useEffect(() => {
    if (dryRun) onRead(dryRun);
  }, [dryRun, onRead]);

  return (
    <main className={mergeClasses(page.page, dryRun ? page.wide : page.medium, blocks.stack)} data-testid="batch-dry-run-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-import">
        {t('batch.dryRun.back')}
      </Button>
      <Title2 as="h1">{t('batch.dryRun.title')}</Title2>
      {dryRun ? (
        <DryRunFound dryRun={dryRun} ticked={ticks?.batchId === dryRun.batchId ? ticks.lines : firstTicked(dryRun)} onTick={onTick} onNext={() => onNext(dryRun)} />
      ) : error ? (
        <>
          <ErrorMessage error={error} />
          <Button className={blocks.back} disabled={isFetching} onClick={() => void refetch()} data-testid="dry-run-again">
            {t('review.retry')}
          </Button>
        </>
      ) : (
        <Spinner label={t('batch.dryRun.reading', { count: list.rows.length })} data-testid="dry-run-reading" />
      )}
    </main>
  );
}

/** The dry run's summary, its table and the way on. */
function DryRunFound({
  dryRun,
  ticked,
  onTick,
  onNext,
}: {
  dryRun: DryRun;
  ticked: number[];
  onTick: (lines: number[], on: boolean) => void;
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<Sort>('line');
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = useCallback((line: number) => setOpen((now) => new Set(now.has(line) ? [...now].filter((l) => l !== line) : [...now, line])), []);
  const [saved, setSaved] = useState<string | null>(null);
  const [exportError, setExportError] = useState<IpcError | null>(null);

  const shown = useMemo(() => {
    const rows = dryRun.rows.filter((row) => matches(filter, row));
    const by = {
      line: (a: DryRunRow, b: DryRunRow) => a.row.line - b.row.line,
      name: (a: DryRunRow, b: DryRunRow) => nameOf(a).localeCompare(nameOf(b), i18n.language) || a.row.line - b.row.line,
      verdict: (a: DryRunRow, b: DryRunRow) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || a.row.line - b.row.line,
    }[sort];
    return rows.sort(by);
  }, [dryRun, filter, sort, i18n.language]);

  const tickedSet = useMemo(() => new Set(ticked), [ticked]);
  const shownConvertible = shown.filter((row) => CONVERTIBLE.includes(row.verdict)).map((row) => row.row.line);
  const shownTicked = shownConvertible.filter((line) => tickedSet.has(line));
  const counts: Record<Filter, number> = {
    all: dryRun.rows.length,
    ready: dryRun.ready,
    readyWithWarnings: dryRun.readyWithWarnings,
    notReady: dryRun.notReady,
  };
  const exportDryRun = () => ipc.exportBatchDryRun(dryRun.batchId).then(setSaved, setExportError);

  return (
    <>
      <Card className={blocks.card} data-testid="dry-run-summary">
        <Subtitle2 as="h2">{t('batch.dryRun.found')}</Subtitle2>
        <div className={styles.summary}>
          <Badge appearance="tint" color="success" data-testid="count-ready">{t('batch.dryRun.ready', { count: dryRun.ready })}</Badge>
          <Badge appearance="tint" color="warning" data-testid="count-warnings">{t('batch.dryRun.readyWithWarnings', { count: dryRun.readyWithWarnings })}</Badge>
          <Badge appearance="tint" color="danger" data-testid="count-not-ready">{t('batch.dryRun.notReady', { count: dryRun.notReady })}</Badge>
        </div>
        <Body1 data-testid="dry-run-reads">{t('batch.dryRun.reads', { reads: dryRun.reads, count: dryRun.roundTrips })}</Body1>
      </Card>

      <div className={styles.tools}>
        <Field label={t('batch.dryRun.filter')}>
          <RadioGroup layout="horizontal" value={filter} onChange={(_, data) => setFilter(data.value as Filter)}>
            {FILTERS.map((f) => (
              <Radio key={f} value={f} label={t(`batch.dryRun.filters.${f}`, { count: counts[f] })} data-testid={`filter-${f}`} />
            ))}
          </RadioGroup>
        </Field>
        <Field label={t('batch.dryRun.sort')} orientation="horizontal">
          <Dropdown value={t(`batch.dryRun.sorts.${sort}`)} selectedOptions={[sort]} onOptionSelect={(_, data) => setSort(data.optionValue as Sort)} data-testid="sort">
            {SORTS.map((s) => (
              <Option key={s} value={s}>
                {t(`batch.dryRun.sorts.${s}`)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>

      <div className={styles.tableWrap}>
        <Table size="small" aria-label={t('batch.dryRun.table')} data-testid="dry-run-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.tick}>
                <Checkbox
                  checked={shownTicked.length === 0 ? false : shownTicked.length === shownConvertible.length ? true : 'mixed'}
                  disabled={shownConvertible.length === 0}
                  onChange={(_, data) => onTick(shownConvertible, data.checked === true)}
                  aria-label={t('batch.dryRun.tickShown')}
                  data-testid="tick-shown"
                />
              </TableHeaderCell>
              <TableHeaderCell className={styles.line}>{t('batch.column.line')}</TableHeaderCell>
              <TableHeaderCell>{t('batch.column.account')}</TableHeaderCell>
              <TableHeaderCell>{t('batch.column.email')}</TableHeaderCell>
              <TableHeaderCell>{t('batch.column.verdict')}</TableHeaderCell>
              <TableHeaderCell>
                {t('batch.column.details')}
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((row) => (
              <DryRunTableRow key={row.row.line} row={row} ticked={tickedSet.has(row.row.line)} expanded={open.has(row.row.line)} onTick={onTick} onToggle={toggle} />
            ))}
          </TableBody>
        </Table>
      </div>
      {shown.length === 0 && <Body1>{t('batch.dryRun.noneShown')}</Body1>}

      {dryRun.rejected.length > 0 && (
        <Card className={blocks.card}>
          <Subtitle2 as="h2">{t('batch.rejected.title', { count: dryRun.rejected.length })}</Subtitle2>
          <RejectedRows rows={dryRun.rejected} />
        </Card>
      )}

      {exportError && <ErrorMessage error={exportError} />}
      {saved && <Caption1 data-testid="dry-run-saved">{t('batch.savedTo', { path: saved })}</Caption1>}
      <div className={styles.row}>
        <Button icon={<ArrowDownloadRegular />} onClick={exportDryRun} data-testid="export-dry-run">
          {t('batch.dryRun.export')}
        </Button>
        <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" disabled={ticked.length === 0} onClick={onNext} data-testid="to-batch-message">
          {t('batch.dryRun.next', { count: ticked.length })}
        </Button>
      </div>
    </>
  );
}

/**
 * One account's row (and its findings when open). Memoised: ticking one of a few hundred rows
 * draws that row again, not the table.
 */
const DryRunTableRow = memo(function DryRunTableRow({
  row,
  ticked,
  expanded,
  onTick,
  onToggle,
}: {
  row: DryRunRow;
  ticked: boolean;
  expanded: boolean;
  onTick: (lines: number[], on: boolean) => void;
  onToggle: (line: number) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const line = row.row.line;
  return (
    <>
      <TableRow data-testid="dry-run-row" data-line={line} data-verdict={row.verdict}>
        <TableCell>
          <Checkbox
            checked={ticked}
            disabled={!CONVERTIBLE.includes(row.verdict)}
            onChange={(_, data) => onTick([line], data.checked === true)}
            aria-label={t('batch.dryRun.tick', { line, name: nameOf(row) })}
            data-testid="tick"
          />
        </TableCell>
        <TableCell>{line}</TableCell>
        <TableCell>
          <div className={styles.who}>
            <Body1>{nameOf(row)}</Body1>
            <Caption1>{row.report?.user.userPrincipalName ?? row.row.userPrincipalName ?? row.row.objectId}</Caption1>
          </div>
        </TableCell>
        <TableCell className={styles.email}>{row.report?.email ?? row.row.email ?? ''}</TableCell>
        <TableCell>
          <Badge appearance="tint" color={BADGE[row.verdict]} data-testid="verdict">
            {t(`batch.verdicts.${row.verdict}.label`)}
          </Badge>
        </TableCell>
        <TableCell>
          <Button size="small" appearance="subtle" aria-expanded={expanded} onClick={() => onToggle(line)} data-testid="row-details">
            {t(expanded ? 'batch.dryRun.hideDetails' : 'batch.dryRun.showDetails')}
          </Button>
        </TableCell>
      </TableRow>
      {expanded && (
        <TableRow data-testid="row-findings">
          <TableCell colSpan={6}>
            <RowFindings row={row} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
});

/** What the row's review found: what blocks and what to know, or why it could not be reviewed. */
function RowFindings({ row }: { row: DryRunRow }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const notable = row.report?.checks.filter((check) => check.verdict !== 'passed' && check.verdict !== 'information') ?? [];
  return (
    <div className={styles.details}>
      <Body1>{t(`batch.verdicts.${row.verdict}.body`, { line: row.firstLine ?? '' })}</Body1>
      {notable.length > 0 && <CheckList checks={notable} />}
      {row.error && <Caption1>{t('report.because', { reason: t(`errors.${row.error.code}`, { message: row.error.message }) })}</Caption1>}
    </div>
  );
}
