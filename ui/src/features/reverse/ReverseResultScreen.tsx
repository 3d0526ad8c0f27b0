import {
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { IpcError, type ReversePlan, type ReverseResult } from '../../ipc';

const useStyles = makeStyles({
  secret: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase400,
    overflowWrap: 'anywhere',
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

/**
 * What happened: the user name the person signs in with now, the one-time password (shown here
 * and nowhere else – Rehome keeps it nowhere), and what to do next.
 */
export function ReverseResultScreen({
  plan,
  result,
  onDone,
  onTryAgain,
}: {
  plan: ReversePlan;
  result: ReverseResult;
  onDone: () => void;
  /** Back to the confirmation with the same intention (when Rust says it is worth it). */
  onTryAgain: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const succeeded = result.outcome === 'succeeded';
  const name = plan.displayName;
  const upn = result.userPrincipalName ?? plan.newUserPrincipalName ?? plan.userPrincipalName;
  const password = result.oneTimePassword;

  const summary = !succeeded
    ? t(`reverse.result.summary.${result.outcome}`)
    : result.verified
      ? t('reverse.result.summary.verified')
      : t('reverse.result.summary.notVerified');

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="reverse-result-screen" data-outcome={result.outcome}>
      <Title2 as="h1">{t(`reverse.result.title.${result.outcome}`, { name })}</Title2>
      <MessageBar intent={succeeded ? (result.verified ? 'success' : 'warning') : result.outcome === 'failed' ? 'error' : 'warning'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{summary}</MessageBarTitle>
          {result.confirmedByReading && t('reverse.result.confirmedByReading')}
        </MessageBarBody>
      </MessageBar>

      {result.refusal && (
        <Card className={blocks.card} data-testid="refusal" data-refusal={result.refusal}>
          <Subtitle2 as="h2">{t('result.why')}</Subtitle2>
          <Body1>{t(`refusal.${result.refusal}.cause`)}</Body1>
          <Body1>
            <strong>{t('result.fix')}</strong> {t(`refusal.${result.refusal}.fix`)}
          </Body1>
        </Card>
      )}
      {result.error && <ErrorMessage error={new IpcError(result.error)} />}

      {(succeeded || password) && (
        <Card className={blocks.card} data-testid="reverse-sign-in">
          <Subtitle2 as="h2">{t('reverse.result.signIn.title')}</Subtitle2>
          <Body1>{t(succeeded ? 'reverse.result.signIn.upn' : 'reverse.result.signIn.upnIfConverted')}</Body1>
          <Body1 className={styles.secret} data-testid="reverse-new-upn">
            {upn}
          </Body1>
          <CopyButton text={upn} label={t('reverse.result.signIn.copyUpn')} testId="copy-new-upn" />
          {plan.synced && <Body1>{t('reverse.result.signIn.synced')}</Body1>}
        </Card>
      )}

      {password && (
        <Card className={blocks.card} data-testid="one-time-password">
          <Subtitle2 as="h2">{t('reverse.result.password.title')}</Subtitle2>
          <Body1>{t(succeeded ? 'reverse.result.password.onlyOnce' : 'reverse.result.password.ifConverted')}</Body1>
          <Body1 className={styles.secret} data-testid="password-value">
            {password}
          </Body1>
          <CopyButton text={password} label={t('reverse.result.password.copy')} testId="copy-password" />
          <Body1>{t(result.forceChangePassword ? 'reverse.result.password.mustChange' : 'reverse.result.password.keeps')}</Body1>
        </Card>
      )}

      {succeeded && (
        <Card className={blocks.card} data-testid="reverse-next-steps">
          <Subtitle2 as="h2">{t('result.next.title')}</Subtitle2>
          <ol className={blocks.steps}>
            <li>{t(plan.synced ? 'reverse.result.next.tellSynced' : 'reverse.result.next.tell', { name, upn })}</li>
            <li>{t('reverse.result.next.licences')}</li>
            <li>{t('reverse.result.next.teams')}</li>
            <li>{t('reverse.result.next.history')}</li>
          </ol>
        </Card>
      )}

      {result.requestIds.length > 0 && <Body1 data-testid="request-ids">{t('result.requestIds', { ids: result.requestIds.join(', ') })}</Body1>}
      {result.canTryAgain ? (
        <div className={styles.actions}>
          <Body1>{t('reverse.result.tryAgainHint')}</Body1>
          <div className={styles.buttons}>
            <Button appearance="primary" onClick={onTryAgain} data-testid="try-again">
              {t('result.tryAgain')}
            </Button>
            <Button onClick={onDone} data-testid="reverse-done">
              {t('reverse.result.done')}
            </Button>
          </div>
        </div>
      ) : (
        <Button appearance="primary" onClick={onDone} className={blocks.back} data-testid="reverse-done">
          {t('reverse.result.done')}
        </Button>
      )}
    </main>
  );
}
