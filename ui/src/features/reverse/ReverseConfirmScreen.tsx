import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, PersonArrowLeftRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ExactRequests } from '../../components/ExactRequests';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { ipc, type IpcError, type ReversePlan, type ReverseIntention, type ReverseProgress, type ReverseReport, type ReverseResult } from '../../ipc';
import { useAfterReverse, useReversePreview } from './queries';

const useStyles = makeStyles({
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  confirm: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  field: { flexGrow: 1, minWidth: '280px' },
});

/**
 * What changes, what cannot simply be undone, the exact request and the PowerShell (as the
 * conversion's confirmation shows them); today's UPN typed to enable Convert.
 */
export function ReverseConfirmScreen({
  report,
  intention,
  retrying = false,
  onBack,
  onDone,
}: {
  report: ReverseReport;
  intention: ReverseIntention;
  /** Back after a failure Rust says may simply be tried again: the admin confirmed already. */
  retrying?: boolean;
  onBack: () => void;
  onDone: (result: ReverseResult, plan: ReversePlan) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const { data: preview, error: previewError } = useReversePreview(intention);
  const afterReverse = useAfterReverse();
  const upn = report.user.userPrincipalName;
  const [typed, setTyped] = useState(retrying ? upn : '');
  const [steps, setSteps] = useState<ReverseProgress[] | null>(null);
  const [convertError, setConvertError] = useState<IpcError | null>(null);
  const error = convertError ?? previewError;
  const plan = preview?.plan;
  const matches = typed.trim().toLowerCase() === upn.toLowerCase();
  const running = steps !== null && !error;
  const last = steps?.[steps.length - 1];

  const convert = () => {
    if (!plan) return;
    setSteps([]);
    setConvertError(null);
    ipc.convertToInternal(intention, (step) => setSteps((s) => [...(s ?? []), step])).then(
      (result) => {
        afterReverse(report.user.id);
        onDone(result, plan);
      },
      (rejection: IpcError) => setConvertError(rejection),
    );
  };
  const request = preview ? `${preview.request.method} ${preview.url}\n${preview.request.body}` : '';
  const newUpn = plan?.newUserPrincipalName ?? null;

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="reverse-confirm-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} disabled={running} className={blocks.back} data-testid="back-to-reverse-form">
        {t('reverse.confirm.back')}
      </Button>
      <div className={styles.title}>
        <Title2 as="h1">{t('reverse.confirm.title', { name: report.user.displayName })}</Title2>
        <Badge appearance="outline" color="informative">
          {t('reverse.previewBadge')}
        </Badge>
      </div>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('reverse.confirm.whatChanges')}</Subtitle2>
        {plan && (
          <ol className={blocks.steps} data-testid="reverse-steps">
            <li>{t('reverse.confirm.step.journal')}</li>
            {plan.synced ? (
              <li>{t('reverse.confirm.step.synced', { upn })}</li>
            ) : (
              <>
                <li>
                  {newUpn && newUpn.toLowerCase() !== upn.toLowerCase()
                    ? t('reverse.confirm.step.newUpn', { upn: newUpn, before: upn })
                    : t('reverse.confirm.step.sameUpn', { upn })}
                </li>
                <li>{t(plan.forceChangePassword ? 'reverse.confirm.step.passwordChange' : 'reverse.confirm.step.passwordKeep')}</li>
                {plan.newMail && <li>{t('reverse.confirm.step.newMail', { mail: plan.newMail })}</li>}
              </>
            )}
            <li>{t('reverse.confirm.step.signIn')}</li>
            <li>{t('reverse.confirm.step.verify')}</li>
          </ol>
        )}
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('reverse.confirm.cannotUndo')}</Subtitle2>
        <ul className={blocks.steps} data-testid="reverse-cannot-undo">
          <li>{t('reverse.confirm.oneWay')}</li>
          <li>{t('reverse.confirm.stays')}</li>
          <li>{t('reverse.confirm.knownIssues')}</li>
        </ul>
      </Card>

      <MessageBar intent="info" layout="multiline" data-testid="reverse-preview-api">
        <MessageBarBody>
          <MessageBarTitle>{t('reverse.previewBadge')}</MessageBarTitle>
          {t('reverse.confirm.previewApi')}
        </MessageBarBody>
      </MessageBar>

      <ExactRequests
        requests={preview ? [{ method: preview.request.method, text: request, testId: 'reverse-request' }] : []}
        note={plan?.setsPassword && <Caption1 className={blocks.hint}>{t('reverse.confirm.passwordHidden')}</Caption1>}
        powershell={preview?.powershell}
      />

      {error && <ErrorMessage error={error} />}

      <Card className={blocks.card}>
        <div className={styles.confirm}>
          <Field className={styles.field} label={t('confirm.typeUpn', { upn })}>
            <Input value={typed} onChange={(_, data) => setTyped(data.value)} disabled={running} data-testid="confirm-upn" />
          </Field>
          <Button appearance="primary" icon={<PersonArrowLeftRegular />} disabled={!matches || running || !plan} onClick={convert} data-testid="convert-to-internal">
            {t('reverse.confirm.convert')}
          </Button>
        </div>
        {running && (
          <Spinner
            size="tiny"
            labelPosition="after"
            data-testid="progress"
            label={last ? t(`reverse.progress.${last.step}`, { seconds: last.step === 'throttled' ? Math.ceil(last.seconds) : 0 }) : t('confirm.progress.starting')}
          />
        )}
        <Body1>{t('confirm.oneClick')}</Body1>
      </Card>
    </main>
  );
}
