import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { ipc, type IpcError, type UnfinishedBatch } from '../../ipc';
import { batchKeys, useUnfinishedBatches } from './queries';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** Batches the journal has accounts to do for (Rehome closed mid-run, or stopped): continue or discard. */
export function UnfinishedBatches({ tenantId, onContinue }: { tenantId: string; onContinue: (batch: UnfinishedBatch) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const queries = useQueryClient();
  const { data: batches, error } = useUnfinishedBatches();
  const [discardError, setDiscardError] = useState<IpcError | null>(null);

  const discard = (batch: UnfinishedBatch) =>
    ipc.discardBatch(batch.batchId).then(() => queries.invalidateQueries({ queryKey: batchKeys.unfinished }), setDiscardError);

  if (!batches?.length && !error) return null;
  return (
    <div className={styles.list} data-testid="unfinished-batches">
      {error && <ErrorMessage error={error} />}
      {discardError && <ErrorMessage error={discardError} />}
      {batches?.map((batch) => {
        const here = batch.tenantId.toLowerCase() === tenantId.toLowerCase();
        return (
          <MessageBar key={batch.batchId} intent="warning" layout="multiline" data-testid="unfinished-batch">
            <MessageBarBody>
              <MessageBarTitle>{t('batch.unfinished.title', { done: batch.done, total: batch.total })}</MessageBarTitle>
              {t('batch.unfinished.body', { when: new Date(batch.createdAt).toLocaleString(i18n.language), admin: batch.adminUpn })}{' '}
              {here ? t('batch.unfinished.continueHint') : t('batch.unfinished.otherOrganisation', { tenant: batch.tenantId })}
            </MessageBarBody>
            <MessageBarActions>
              {here && (
                <Button appearance="primary" onClick={() => onContinue(batch)} data-testid="continue-unfinished-batch">
                  {t('batch.unfinished.continue')}
                </Button>
              )}
              <Button onClick={() => discard(batch)} data-testid="discard-unfinished-batch">
                {t('batch.unfinished.discard')}
              </Button>
            </MessageBarActions>
          </MessageBar>
        );
      })}
    </div>
  );
}
