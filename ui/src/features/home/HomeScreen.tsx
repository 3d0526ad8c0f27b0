import {
  Badge,
  Body1,
  Button,
  Caption1,
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
import {
  BeakerRegular,
  CheckmarkCircleRegular,
  HistoryRegular,
  InfoRegular,
  PeopleListRegular,
  SettingsRegular,
  SignOutRegular,
} from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { usePageStyles } from '../../components/page';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { Capability, IpcError, Profile, UnfinishedBatch, UserRow } from '../../ipc';
import { UnfinishedBatches } from '../batch/UnfinishedBatches';
import { UnfinishedConversions } from '../convert/UnfinishedConversions';
import { SearchPanel } from '../search/SearchPanel';

const useStyles = makeStyles({
  main: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
    gridTemplateAreas: '"top top" "search search" "who can"',
    alignItems: 'start',
    gap: tokens.spacingHorizontalXL,
    '@media (max-width: 860px)': { gridTemplateColumns: 'minmax(0, 1fr)', gridTemplateAreas: '"top" "search" "who" "can"' },
  },
  top: { gridArea: 'top', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  titleRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1 },
  who: { gridArea: 'who' },
  can: { gridArea: 'can' },
  search: { gridArea: 'search', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  batch: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalS },
  facts: { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  item: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start' },
  yes: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, fontSize: '20px' },
  no: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, fontSize: '20px' },
  note: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0, fontSize: '20px' },
  gaps: { margin: `${tokens.spacingVerticalXS} 0`, paddingLeft: tokens.spacingHorizontalL },
});

/** Advice, never a gate: what the roles suggest is a note, not a "no". */
const TONE: Record<Capability, 'yes' | 'note'> = {
  convertUsers: 'yes',
  resendInvitations: 'yes',
  resetRedemption: 'yes',
  convertLikelyRefused: 'note',
  convertMayBeRefused: 'note',
  personalMessageDropped: 'note',
  rolesUnknown: 'note',
};

/** Signed in: find the user (step 2); who, where, and what this account can do here. */
export function HomeScreen({
  profile,
  error,
  onSignOut,
  query,
  onQueryChange,
  onOpenUser,
  onHistory,
  onSettings,
  onBatch,
}: {
  profile: Profile;
  error?: IpcError;
  onSignOut: () => void;
  query: string;
  onQueryChange: (query: string) => void;
  onOpenUser: (user: UserRow) => void;
  onHistory: () => void;
  onSettings: () => void;
  /** The second entrance: a list of accounts, or an unfinished batch to continue. */
  onBatch: (resume?: UnfinishedBatch) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const page = usePageStyles();
  const practice = profile.cloud === 'sample';
  const roleNames = profile.roles.length ? profile.roles.map((role) => t(`home.role.${role}`)).join(', ') : t('home.role.none');
  const roles = profile.rolesFrom === 'unknown' ? t('home.role.unknown') : `${roleNames} (${t(`home.rolesFrom.${profile.rolesFrom}`)})`;
  const icon = { yes: CheckmarkCircleRegular, note: InfoRegular };
  const gaps = profile.missingPermissions;

  return (
    <main className={mergeClasses(page.page, page.wide, styles.main)} data-testid="home-screen">
      <div className={styles.top}>
        <div className={styles.titleRow}>
          <Title2 as="h1" className={styles.grow} data-testid="home-title">
            {t('home.title', { name: profile.admin.displayName || profile.admin.userPrincipalName })}
          </Title2>
          <Button icon={<HistoryRegular />} onClick={onHistory} data-testid="open-history">
            {t('home.history')}
          </Button>
          <Button icon={<SettingsRegular />} onClick={onSettings} data-testid="open-settings">
            {t('home.settings')}
          </Button>
          <Button icon={<SignOutRegular />} onClick={onSignOut} data-testid="sign-out">
            {t('home.signOut')}
          </Button>
        </div>
        {practice && (
          <MessageBar intent="info" icon={<BeakerRegular />} data-testid="practice-notice">
            <MessageBarBody>{t('home.practice')}</MessageBarBody>
          </MessageBar>
        )}
        {error && <ErrorMessage error={error} />}
        <UnfinishedConversions />
        <UnfinishedBatches tenantId={profile.organisation.tenantId} onContinue={onBatch} />
      </div>

      <div className={styles.search}>
        <SearchPanel query={query} onQueryChange={onQueryChange} onOpen={onOpenUser} />
        <div className={styles.batch}>
          <Body1>{t('home.batchHint')}</Body1>
          <Button icon={<PeopleListRegular />} onClick={() => onBatch()} data-testid="open-batch">
            {t('home.batch')}
          </Button>
        </div>
      </div>

      <Card className={mergeClasses(styles.card, styles.who)}>
        <Subtitle2 as="h2">{t('home.who')}</Subtitle2>
        <dl className={styles.facts}>
          <dt className={styles.term}>{t('home.admin')}</dt>
          <dd className={styles.value} data-testid="admin-name">
            {profile.admin.displayName}
          </dd>
          <dt className={styles.term}>{t('home.upn')}</dt>
          <dd className={styles.value} data-testid="admin-upn">
            {profile.admin.userPrincipalName}
          </dd>
          <dt className={styles.term}>{t('home.roles')}</dt>
          <dd className={styles.value} data-testid="admin-roles">
            {roles}
          </dd>
          <dt className={styles.term}>{t('home.organisation')}</dt>
          <dd className={styles.value} data-testid="org-name">
            {profile.organisation.displayName}{' '}
            {practice && (
              <Badge appearance="tint" color="brand">
                {t('home.practiceBadge')}
              </Badge>
            )}
          </dd>
          <dt className={styles.term}>{t('home.tenantId')}</dt>
          <dd className={styles.value} data-testid="tenant-id">
            {profile.organisation.tenantId}
          </dd>
          <dt className={styles.term}>{t('home.cloud')}</dt>
          <dd className={styles.value} data-testid="cloud">
            {t(`home.cloudName.${profile.cloud}`)}
          </dd>
          <dt className={styles.term}>{t('home.method')}</dt>
          <dd className={styles.value}>{t(`home.methodName.${profile.method}`)}</dd>
        </dl>
      </Card>

      <Card className={mergeClasses(styles.card, styles.can)} data-testid="capabilities">
        <Subtitle2 as="h2">{t('home.whatYouCanDo')}</Subtitle2>
        <ul className={styles.list}>
          {profile.capabilities.map((capability) => {
            const tone = TONE[capability];
            const Icon = icon[tone];
            return (
              <li key={capability} className={styles.item} data-testid={`capability-${capability}`}>
                <Icon className={styles[tone]} aria-hidden />
                <Body1>{t(`home.capability.${capability}`)}</Body1>
              </li>
            );
          })}
        </ul>
        {gaps === null ? (
          <Caption1 data-testid="permissions-unknown">{t('home.permissions.unknown')}</Caption1>
        ) : (
          gaps.length > 0 && (
            <MessageBar intent="warning" layout="multiline" data-testid="missing-permissions">
              <MessageBarBody>
                <MessageBarTitle>{t('home.permissions.title')}</MessageBarTitle>
                <ul className={styles.gaps}>
                  {gaps.map((gap) => (
                    <li key={gap.feature} data-testid={`missing-${gap.feature}`}>
                      {t('home.permissions.missing', { feature: t(`home.permissions.feature.${gap.feature}`), permission: gap.permission })}
                    </li>
                  ))}
                </ul>
                {t('home.permissions.fix')}
              </MessageBarBody>
            </MessageBar>
          )
        )}
      </Card>

    </main>
  );
}
