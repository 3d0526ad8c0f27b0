import {
  Body1,
  Button,
  Card,
  Field,
  Input,
  Spinner,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, PersonArrowRightRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ExactRequests } from '../../components/ExactRequests';
import { WaitingForMail } from './WaitingForMail';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { ipc, type ConversionPlan, type ConversionResult, type Intention, type IpcError, type Progress, type Report } from '../../ipc';
import { useAfterWrite, usePreview } from '../../ipc/queries';

const useStyles = makeStyles({
  confirm: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  field: { flexGrow: 1, minWidth: '280px' },
});

/** Step 6: what will happen, what cannot be undone, the exact requests; type the UPN to convert. */
export function ConfirmScreen({
  intention,
  report,
  retrying = false,
  onBack,
  onDone,
}: {
  intention: Intention;
  report: Report;
  /** Trying again after a failure Rust says is worth retrying: the admin confirmed already. */
  retrying?: boolean;
  onBack: () => void;
  onDone: (result: ConversionResult, plan: ConversionPlan) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const { data: preview, error: previewError } = usePreview(intention);
  const afterWrite = useAfterWrite();
  const [typed, setTyped] = useState(retrying ? report.user.userPrincipalName : '');
  const [steps, setSteps] = useState<Progress[] | null>(null);
  const [convertError, setConvertError] = useState<IpcError | null>(null);
  const error = convertError ?? previewError;

  // What Rust decided from the review; until it answers, what the admin chose.
  const plan = preview?.plan;
  const upn = report.user.userPrincipalName;
  const email = plan?.email ?? report.email ?? '';
  const synced = report.user.onPremisesSyncEnabled === true;
  const matches = typed.trim().toLowerCase() === upn.toLowerCase();
  const running = steps !== null && !error;
  const convert = () => {
    if (!plan) return;
    setSteps([]);
    setConvertError(null);
    ipc.convertUser(intention, (step) => setSteps((s) => [...(s ?? []), step])).then(
      (result) => {
        afterWrite(report.user.id);
        onDone(result, plan);
      },
      (rejection: IpcError) => setConvertError(rejection),
    );
  };
  const last = steps?.[steps.length - 1];

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="confirm-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} disabled={running} className={blocks.back} data-testid="back-to-message">
        {t('confirm.back')}
      </Button>
      <Title2 as="h1">{t(`confirm.heading.${intention.kind}`, { name: report.user.displayName })}</Title2>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('confirm.whatHappens')}</Subtitle2>
        <ol className={blocks.steps} data-testid="confirm-steps">
          {plan?.setMail && <li>{t('confirm.step.setMail', { email })}</li>}
          {intention.kind === 'resetRedemption' && <li>{t('confirm.step.reset', { email })}</li>}
          <li>{t(intention.message.sendEmail ? 'confirm.step.inviteWithEmail' : 'confirm.step.inviteWithoutEmail', { email })}</li>
          <li>{t('confirm.step.verify')}</li>
        </ol>
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('confirm.cannotUndo')}</Subtitle2>
        {intention.kind === 'conversion' ? (
          <ul className={blocks.steps}>
            <li>{t('confirm.oneWay')}</li>
            <li>{t('confirm.stays')}</li>
            <li>{t('confirm.password')}</li>
            {synced && <li>{t('confirm.synced')}</li>}
          </ul>
        ) : (
          <ul className={blocks.steps}>
            {intention.kind === 'resetRedemption' && <li>{t('confirm.resetStops')}</li>}
            <li>{t('confirm.stays')}</li>
          </ul>
        )}
      </Card>

      <ExactRequests
        requests={(preview?.requests ?? []).map((request) => ({
          method: request.method,
          text: `${request.method} ${request.path}\n${request.body}`,
          testId: `request-${request.method}`,
        }))}
        powershell={preview?.powershell}
      />

      {error && <ErrorMessage error={error} />}

      <Card className={blocks.card}>
        <div className={styles.confirm}>
          <Field className={styles.field} label={t('confirm.typeUpn', { upn })}>
            <Input value={typed} onChange={(_, data) => setTyped(data.value)} disabled={running} data-testid="confirm-upn" />
          </Field>
          <Button appearance="primary" icon={<PersonArrowRightRegular />} disabled={!matches || running || !preview} onClick={convert} data-testid="convert">
            {t('confirm.convert')}
          </Button>
        </div>
        {running && last?.step === 'waitingForMail' ? (
          <WaitingForMail key={last.attempt} wait={last} email={email} userId={report.user.id} />
        ) : (
          running && (
            <Spinner size="tiny" labelPosition="after" data-testid="progress" label={last ? t(`confirm.progress.${last.step}`, { seconds: last.step === 'throttled' ? last.seconds : 0 }) : t('confirm.progress.starting')} />
          )
        )}
        <Body1>{t('confirm.oneClick')}</Body1>
      </Card>
    </main>
  );
}
