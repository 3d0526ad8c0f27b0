import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

import type { UserRow } from '../../ipc';

const useStyles = makeStyles({
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
});

/** Where the account comes from, member or guest, its B2B state, and whether it is disabled. */
export function UserBadges({ user }: { user: Pick<UserRow, 'onPremisesSyncEnabled' | 'userType' | 'externalUserState' | 'accountEnabled'> }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const synced = user.onPremisesSyncEnabled === true;
  const guest = user.userType === 'Guest';
  return (
    <span className={styles.badges}>
      <Badge appearance="tint" color={synced ? 'warning' : 'informative'}>
        {t(synced ? 'search.badge.synced' : 'search.badge.cloudOnly')}
      </Badge>
      <Badge appearance="tint" color={guest ? 'important' : 'informative'}>
        {t(guest ? 'search.badge.guest' : 'search.badge.member')}
      </Badge>
      {user.externalUserState === 'PendingAcceptance' && (
        <Badge appearance="tint" color="brand">
          {t('search.badge.pending')}
        </Badge>
      )}
      {user.externalUserState === 'Accepted' && (
        <Badge appearance="tint" color="success">
          {t('search.badge.accepted')}
        </Badge>
      )}
      {user.accountEnabled === false && (
        <Badge appearance="tint" color="danger">
          {t('search.badge.disabled')}
        </Badge>
      )}
    </span>
  );
}
