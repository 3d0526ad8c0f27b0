import { Badge, Image, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

import type { Profile } from '../ipc';
import { LanguageMenu } from './LanguageMenu';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { display: 'flex', flexDirection: 'column' },
  spacer: { flexGrow: 1 },
  tagline: { color: tokens.colorNeutralForegroundOnBrand },
  account: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end' },
});

/** The brand, who is signed in where (practice clearly marked), and the language menu. */
export function AppHeader({ profile }: { profile?: Profile }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <Image src="/icon.png" alt="" width={32} height={32} />
      <div className={styles.brand}>
        <Text weight="semibold" size={400}>
          {t('app.name')}
        </Text>
        <Text size={200} className={styles.tagline}>
          {t('app.tagline')}
        </Text>
      </div>
      <div className={styles.spacer} />
      {profile?.cloud === 'sample' && (
        <Badge appearance="filled" color="warning" size="large" data-testid="practice-badge">
          {t('home.practiceBadge')}
        </Badge>
      )}
      {profile && (
        <div className={styles.account} data-testid="header-account">
          <Text weight="semibold">{profile.admin.displayName || profile.admin.userPrincipalName}</Text>
          <Text size={200} className={styles.tagline}>
            {profile.organisation.displayName}
          </Text>
        </div>
      )}
      <LanguageMenu />
    </header>
  );
}
