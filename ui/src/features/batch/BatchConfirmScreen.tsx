import { Body1, Button, Card, Field, Input, Subtitle2, Title2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, PeopleSwapRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useBlockStyles, usePageStyles } from '../../components/page';
import type { BatchIntention, DryRun, MessageSettings } from '../../ipc';

const useStyles = makeStyles({
  confirm: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  field: { flexGrow: 1, minWidth: '280px' },
});

/** What the run will do to how many, what cannot be undone; type the number of accounts to start. */
export function BatchConfirmScreen({
  dryRun,
  lines,
  message,
  onBack,
  onConfirm,
}: {
  dryRun: DryRun;
  lines: number[];
  message: MessageSettings;
  onBack: () => void;
  onConfirm: (intention: BatchIntention) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const [typed, setTyped] = useState('');
  const count = lines.length;
  const chosen = dryRun.rows.filter((row) => lines.includes(row.row.line) && row.report);
  const setsMail = chosen.filter((row) => row.report?.setsMail).length;
  const synced = chosen.filter((row) => row.report?.user.onPremisesSyncEnabled === true).length;
  const matches = typed.trim() === String(count);

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="batch-confirm-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-batch-message">
        {t('batch.confirm.back')}
      </Button>
      <Title2 as="h1">{t('batch.confirm.title', { count })}</Title2>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('confirm.whatHappens')}</Subtitle2>
        <ol className={blocks.steps} data-testid="batch-steps">
          <li>{t('batch.confirm.readAgain')}</li>
          {setsMail > 0 && <li>{t('batch.confirm.setMail', { count: setsMail })}</li>}
          <li>{t(message.sendEmail ? 'batch.confirm.inviteWithEmail' : 'batch.confirm.inviteWithoutEmail', { count })}</li>
          <li>{t('batch.confirm.paced')}</li>
          <li>{t('batch.confirm.controls')}</li>
        </ol>
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('confirm.cannotUndo')}</Subtitle2>
        <ul className={blocks.steps}>
          <li>{t('confirm.oneWay')}</li>
          <li>{t('confirm.stays')}</li>
          <li>{t('confirm.password')}</li>
          {synced > 0 && <li>{t('batch.confirm.synced', { count: synced })}</li>}
        </ul>
      </Card>

      <Card className={blocks.card}>
        <div className={styles.confirm}>
          <Field className={styles.field} label={t('batch.confirm.typeCount', { count })}>
            <Input value={typed} onChange={(_, data) => setTyped(data.value)} inputMode="numeric" data-testid="confirm-count" />
          </Field>
          <Button
            appearance="primary"
            icon={<PeopleSwapRegular />}
            disabled={!matches}
            onClick={() => onConfirm({ batchId: dryRun.batchId, lines, message, confirmedCount: count })}
            data-testid="run-batch"
          >
            {t('batch.confirm.run', { count })}
          </Button>
        </div>
        <Body1>{t('batch.confirm.once')}</Body1>
      </Card>
    </main>
  );
}
