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
import { ArrowLeftRegular, ArrowRightRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { ipc, toIpcError, type EntryKind, type IpcError, type Outcome, type Report, type UserRow } from '../../ipc';
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

/** Step 3: the eligibility report for one user, and step 4: the address to use. */
export function ReviewScreen({
  user,
  onBack,
  onContinue,
}: {
  user: UserRow;
  onBack: () => void;
  onContinue: (report: Report, kind: EntryKind) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(true);
  const latest = useRef(0);

  // Only the newest review is shown, however the answers arrive.
  const request = useCallback(
    (email: string | null) => {
      const mine = ++latest.current;
      ipc.reviewUser(user.id, email).then(
        (found) => {
          if (mine !== latest.current) return;
          setReport(found);
          setError(null);
          setBusy(false);
        },
        (rejection: unknown) => {
          if (mine !== latest.current) return;
          setError(toIpcError('review_user', rejection));
          setBusy(false);
        },
      );
    },
    [user.id],
  );
  const load = (email: string | null) => {
    setBusy(true);
    setError(null);
    request(email);
  };

  // Opening the user reviews the address the account already has.
  useEffect(() => request(user.mail), [request, user.mail]);

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
      {error && <ErrorMessage error={error} actions={<Button onClick={() => load(report?.email ?? user.mail)}>{t('review.retry')}</Button>} />}
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
          {report.outcome === 'alreadyB2b' && report.email && (
            <div className={styles.actions}>
              {report.user.externalUserState === 'PendingAcceptance' && report.email.toLowerCase() === (report.user.mail ?? '').toLowerCase() && (
                <Button appearance="primary" disabled={busy} onClick={() => onContinue(report, 'resend')} data-testid="to-resend">
                  {t('review.resend')}
                </Button>
              )}
              <Button disabled={busy} onClick={() => onContinue(report, 'resetRedemption')} data-testid="to-reset">
                {t('review.reset')}
              </Button>
            </div>
          )}
          <Card className={styles.card}>
            {report.outcome === 'alreadyB2b' && <Body1>{t('review.email.resetHint')}</Body1>}
            <EmailChooser key={report.email ?? ''} report={report} busy={busy} onCheck={load} />
          </Card>
        </>
      )}
    </main>
  );
}
