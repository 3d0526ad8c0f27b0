import {
  Badge,
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
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import type { ReverseCheck, ReverseOutcome, ReverseReport, UserRow } from '../../ipc';
import { CheckList } from '../review/CheckList';
import { UserBadges } from '../search/UserBadges';
import { useReverseReport } from './queries';

const useStyles = makeStyles({
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  line: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
});

const INTENT: Record<ReverseOutcome, 'success' | 'warning' | 'error'> = {
  ready: 'success',
  readyWithWarnings: 'warning',
  blocked: 'error',
};

/** Issuers Graph writes for the common external identities, said in words (DOMAIN.md §4.1). */
const ISSUERS: Record<string, string> = {
  ExternalAzureAD: 'externalAzureAd',
  MicrosoftAccount: 'microsoftAccount',
  mail: 'mail',
  'google.com': 'google',
  'facebook.com': 'facebook',
};

/** The way back's report: can this account become an internal member, and what to know first. */
export function ReverseReportScreen({
  user,
  backLabel,
  onBack,
  onContinue,
}: {
  user: UserRow;
  /** Where Back leads: the user's review, or History. */
  backLabel: 'review' | 'history';
  onBack: () => void;
  onContinue: (report: ReverseReport) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const review = useReverseReport(user.id);
  const report = review.data ?? null;
  const shown = report?.user ?? user;

  // The issuer in words where Graph's value is a known one (a SAML/WS-Fed issuer stays as it is).
  const worded = (check: ReverseCheck): ReverseCheck => {
    const issuer = check.values.issuer;
    const key = issuer === undefined ? undefined : ISSUERS[issuer];
    return key ? { ...check, values: { ...check.values, issuer: t(`reverse.issuer.${key}`) } } : check;
  };

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="reverse-report-screen">
      <Button className={blocks.back} icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} data-testid="reverse-back">
        {t(`reverse.back.${backLabel}`)}
      </Button>
      <div className={styles.head}>
        <div className={styles.title}>
          <Title2 as="h1" data-testid="reverse-title">
            {t('reverse.report.title', { name: shown.displayName })}
          </Title2>
          <Badge appearance="outline" color="informative" data-testid="preview-badge">
            {t('reverse.previewBadge')}
          </Badge>
        </div>
        <Caption1 className={styles.line}>{shown.userPrincipalName}</Caption1>
        <UserBadges user={shown} />
      </div>
      {review.error && <ErrorMessage error={review.error} actions={<Button onClick={() => void review.refetch()}>{t('review.retry')}</Button>} />}
      {review.isFetching && !report && <Spinner label={t('review.loading')} />}
      {report && (
        <>
          <MessageBar intent={INTENT[report.outcome]} layout="multiline" data-testid="reverse-outcome" data-outcome={report.outcome}>
            <MessageBarBody>
              <MessageBarTitle>{t(`reverse.outcome.${report.outcome}.title`)}</MessageBarTitle>
              {t(`reverse.outcome.${report.outcome}.body`)}
            </MessageBarBody>
          </MessageBar>
          <Card className={blocks.card} data-testid="reverse-report">
            <Subtitle2 as="h2">{t('reverse.report.checks')}</Subtitle2>
            <CheckList checks={report.checks.map(worded)} texts="reverse" />
          </Card>
          {report.outcome !== 'blocked' && (
            <Button
              appearance="primary"
              icon={<ArrowRightRegular />}
              iconPosition="after"
              className={blocks.back}
              onClick={() => onContinue(report)}
              data-testid="to-reverse-form"
            >
              {t('reverse.report.continue')}
            </Button>
          )}
        </>
      )}
    </main>
  );
}
