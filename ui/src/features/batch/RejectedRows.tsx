import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

import type { RejectedRow } from '../../ipc';

const useStyles = makeStyles({
  line: { width: '72px' },
  value: { overflowWrap: 'anywhere' },
});

/** The list's rows that are left out, each with its line in the file and why. */
export function RejectedRows({ rows }: { rows: RejectedRow[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <Table size="small" aria-label={t('batch.rejected.title', { count: rows.length })} data-testid="rejected-rows">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.line}>{t('batch.column.line')}</TableHeaderCell>
          <TableHeaderCell>{t('batch.column.value')}</TableHeaderCell>
          <TableHeaderCell>{t('batch.column.why')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={`${row.line}-${row.problem}`} data-testid="rejected-row" data-line={row.line} data-problem={row.problem}>
            <TableCell>{row.line}</TableCell>
            <TableCell className={styles.value}>{row.value}</TableCell>
            <TableCell>
              {t(`batch.rowProblems.${row.problem}`, { line: row.firstLine ?? '' })}
              {row.emailProblem && ` ${t(`review.email.problem.${row.emailProblem}`)}`}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
