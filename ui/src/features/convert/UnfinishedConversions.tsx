import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { ipc, type EntryOutcome, type IpcError, type JournalEntry } from '../../ipc';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Conversions the app never finished (closed or crashed mid-way), each with "Check now". */
export function UnfinishedConversions() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [checked, setChecked] = useState<Record<number, EntryOutcome>>({});
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    ipc.unfinishedConversions().then(setEntries, (rejection: IpcError) => setError(rejection));
  }, []);

  const check = (entry: JournalEntry) =>
    ipc.reconcileConversion(entry.id).then(
      (outcome) => setChecked((c) => ({ ...c, [entry.id]: outcome })),
      (rejection: IpcError) => setError(rejection),
    );
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.language);

  if (!entries.length && !error) return null;
  return (
    <div className={styles.list} data-testid="unfinished">
      {error && <ErrorMessage error={error} />}
      {entries.map((entry) => {
        const outcome = checked[entry.id];
        return (
          <MessageBar key={entry.id} intent={outcome ? (outcome === 'succeeded' ? 'success' : 'info') : 'warning'} layout="multiline" data-testid="unfinished-entry">
            <MessageBarBody>
              <MessageBarTitle>{t('unfinished.title', { name: entry.userName, when: when(entry.startedAt) })}</MessageBarTitle>
              {outcome ? t(`unfinished.outcome.${outcome}`, { email: entry.email }) : t('unfinished.body', { email: entry.email })}
            </MessageBarBody>
            {!outcome && (
              <MessageBarActions>
                <Button onClick={() => check(entry)} data-testid="check-now">
                  {t('unfinished.checkNow')}
                </Button>
              </MessageBarActions>
            )}
          </MessageBar>
        );
      })}
    </div>
  );
}
