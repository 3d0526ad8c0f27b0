import {
  Body1,
  Button,
  Caption1,
  Card,
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
import { ArrowLeftRegular, ArrowRightRegular, PersonArrowLeftRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { type EntryKind, type Outcome, type Report, type UserRow } from '../../ipc';
import { useReview } from '../../ipc/queries';
import { UserBadges } from '../search/UserBadges';
import { CheckList } from './CheckList';
import { EmailChooser } from './EmailChooser';

const useStyles = makeStyles({
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  line: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

const INTENT: Record<Outcome, 'success' | 'warning' | 'error' | 'info'> = {
  ready: 'success',
  readyWithWarnings: 'warning',
  blocked: 'error',
  alreadyB2b: 'info',
};

/**
 * Step 3: the eligibility report for one user, and step 4: the address to use. `email` is the
 * address chosen before (coming back from the message step); by default the account's own.
 */
export function ReviewScreen({
  user,
  email: chosen,
  onBack,
  onContinue,
  onConvertToInternal,
}: {
  user: UserRow;
  email?: string | null;
  onBack: () => void;
  onContinue: (report: Report, kind: EntryKind) => void;
  /** An account that signs in externally can go back to being an internal member. */
  onConvertToInternal: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  // Opening the user reviews the address the account already has; choosing another reviews
  // that one (one round trip each, the newest shown). Reviews already read come from the cache.
  const [email, setEmail] = useState<string | null>(chosen === undefined ? user.mail : chosen);
  const review = useReview(user.id, email);
  const report = review.data ?? null;
  const error = review.error;
  const busy = review.isFetching;

  const shown = report?.user ?? user;
  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="review-screen">
      <Button className={blocks.back} icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} data-testid="back-to-search">
        {t('review.back')}
      </Button>
      <div className={styles.head}>
        <Title2 as="h1" data-testid="review-title">
          {shown.displayName}
        </Title2>
        <Caption1 className={styles.line}>{shown.userPrincipalName}</Caption1>
        <UserBadges user={shown} />
      </div>
      {error && <ErrorMessage error={error} actions={<Button onClick={() => void review.refetch()}>{t('review.retry')}</Button>} />}
      {busy && !report && <Spinner label={t('review.loading')} />}
      {report && (
        <>
          <MessageBar intent={INTENT[report.outcome]} layout="multiline" data-testid="review-outcome" data-outcome={report.outcome}>
            <MessageBarBody>
              <MessageBarTitle>{t(`review.outcome.${report.outcome}.title`)}</MessageBarTitle>
              {t(`review.outcome.${report.outcome}.body`)}
            </MessageBarBody>
          </MessageBar>
          <Card className={styles.card} data-testid="report">
            <Subtitle2 as="h2">{t('review.reportTitle')}</Subtitle2>
            {busy && <Spinner size="tiny" label={t('review.rechecking')} labelPosition="after" />}
            <Body1>{report.email ? t('review.reviewedFor', { email: report.email }) : t('review.noEmailYet')}</Body1>
            <CheckList checks={report.checks} />
          </Card>
          {(report.outcome === 'ready' || report.outcome === 'readyWithWarnings') && report.email && (
            <Button
              appearance="primary"
              icon={<ArrowRightRegular />}
              iconPosition="after"
              className={blocks.back}
              disabled={busy}
              onClick={() => onContinue(report, 'conversion')}
              data-testid="to-message"
            >
              {t('review.continue')}
            </Button>
          )}
          {report.outcome === 'alreadyB2b' && (
            <div className={styles.actions}>
              {report.email && report.user.externalUserState === 'PendingAcceptance' && report.email.toLowerCase() === (report.user.mail ?? '').toLowerCase() && (
                <Button appearance="primary" disabled={busy} onClick={() => onContinue(report, 'resend')} data-testid="to-resend">
                  {t('review.resend')}
                </Button>
              )}
              {report.email && (
                <Button disabled={busy} onClick={() => onContinue(report, 'resetRedemption')} data-testid="to-reset">
                  {t('review.reset')}
                </Button>
              )}
              {/* The way back: its own report says whether it can be done. */}
              <Button icon={<PersonArrowLeftRegular />} disabled={busy} onClick={onConvertToInternal} data-testid="to-reverse">
                {t('review.convertToInternal')}
              </Button>
            </div>
          )}
          <Card className={styles.card}>
            {report.outcome === 'alreadyB2b' && <Body1>{t('review.email.resetHint')}</Body1>}
            <EmailChooser key={report.email ?? ''} report={report} busy={busy} onCheck={setEmail} />
          </Card>
        </>
      )}
    </main>
  );
}
