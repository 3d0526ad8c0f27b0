import {
  Body1,
  Button,
  Card,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { IpcError, ipc, type ConversionPlan, type ConversionResult } from '../../ipc';

const useStyles = makeStyles({
  link: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere', padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium },
  actions: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

/** Microsoft's redemption state in words (`result.state.<word>`), never its raw value. */
export function stateWord(state: string | null): 'pendingAcceptance' | 'accepted' | 'unknown' {
  if (state === 'PendingAcceptance') return 'pendingAcceptance';
  if (state === 'Accepted') return 'accepted';
  return 'unknown';
}

/** Step 7: what happened, the redemption link when no email went out, and what to do next. */
export function ResultScreen({
  plan,
  result,
  synced,
  onDone,
  onTryAgain,
}: {
  plan: ConversionPlan;
  result: ConversionResult;
  synced: boolean;
  onDone: () => void;
  /** Back to the confirmation with the same intention (when Rust says it is worth it). */
  onTryAgain: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const succeeded = result.outcome === 'succeeded';
  const teams = result.teamsLink;
  const [linkError, setLinkError] = useState<IpcError | null>(null);

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="result-screen" data-outcome={result.outcome}>
      <Title2 as="h1">
        {succeeded ? t(`result.done.${plan.kind}`, { name: plan.displayName }) : t(`result.title.${result.outcome}`, { name: plan.displayName })}
      </Title2>
      <MessageBar intent={succeeded ? 'success' : result.outcome === 'failed' ? 'error' : 'warning'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t(`result.summary.${result.outcome}`)}</MessageBarTitle>
          {succeeded && t(plan.message.sendEmail ? 'result.emailSent' : 'result.emailNotSent', { email: plan.email })}
          {!succeeded && plan.setMail && result.mailSet && t('result.mailWasSet', { email: plan.email })}
          {!succeeded && !result.invitationSent && t('result.notInvited')}
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
      {linkError && <ErrorMessage error={linkError} />}

      {succeeded && !plan.message.sendEmail && (
        <Card className={blocks.card} data-testid="redeem-link">
          <Subtitle2 as="h2">{t('result.link.title')}</Subtitle2>
          {result.redeemUrl ? (
            <>
              <Body1>{t('result.link.onlyOnce')}</Body1>
              <Body1 className={styles.link} data-testid="redeem-url">
                {result.redeemUrl}
              </Body1>
              <CopyButton text={result.redeemUrl} label={t('result.link.copy')} testId="copy-redeem-url" />
            </>
          ) : (
            <Body1>{t('result.link.lost')}</Body1>
          )}
        </Card>
      )}

      {succeeded && (
        <Card className={blocks.card} data-testid="next-steps">
          <Subtitle2 as="h2">{t('result.next.title')}</Subtitle2>
          <ol className={blocks.steps}>
            <li>
              {t('result.next.signIn', { email: plan.email })} <Link onClick={() => ipc.openExternal(teams).catch(setLinkError)} data-testid="open-teams">{teams}</Link>
            </li>
            {synced && <li>{t('result.next.onPremises')}</li>}
            {plan.kind === 'conversion' && <li>{t('result.next.member')}</li>}
            <li>{t('result.next.status', { state: t(`result.state.${stateWord(result.externalUserState)}`) })}</li>
          </ol>
        </Card>
      )}
      {result.requestIds.length > 0 && <Body1 data-testid="request-ids">{t('result.requestIds', { ids: result.requestIds.join(', ') })}</Body1>}
      {result.canTryAgain ? (
        <div className={styles.actions}>
          <Body1>{t('result.tryAgainHint')}</Body1>
          <div className={styles.buttons}>
            <Button appearance="primary" onClick={onTryAgain} data-testid="try-again">
              {t('result.tryAgain')}
            </Button>
            <Button onClick={onDone} data-testid="convert-another">
              {t('result.another')}
            </Button>
          </div>
        </div>
      ) : (
        <Button appearance="primary" onClick={onDone} className={blocks.back} data-testid="convert-another">
          {t('result.another')}
        </Button>
      )}
    </main>
  );
}
