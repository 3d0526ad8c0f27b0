import { Image, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

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
});

export function AppHeader() {
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
      <LanguageMenu />
    </header>
  );
}
