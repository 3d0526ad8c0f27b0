import {
  Body1,
  Button,
  Caption1,
  Card,
  Radio,
  RadioGroup,
  Subtitle2,
  Switch,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, FolderOpenRegular, SignOutRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { LANGUAGES, changeLanguage, currentLanguage, type Language } from '../../i18n';
import { ipc, type IpcError, type Profile } from '../../ipc';
import { queryKeys, useSettingsOverview, useSignInSetup } from '../../ipc/queries';
import { APPEARANCES, changeAppearance, useAppearance, useSystemLook, type Appearance } from '../../theme';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  path: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
});

/** Step 9: where you are signed in, the interface language and look, what the journal keeps, sign out. */
export function SettingsScreen({ profile, onBack, onSignOut }: { profile: Profile; onBack: () => void; onSignOut: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const queries = useQueryClient();
  const { data: overview, error: overviewError } = useSettingsOverview();
  const { data: setup, error: setupError } = useSignInSetup();
  const appearance = useAppearance();
  const { forcedColors } = useSystemLook();
  const [saveError, setSaveError] = useState<IpcError | null>(null);
  const error = saveError ?? overviewError ?? setupError;
  const fail = (rejection: IpcError) => setSaveError(rejection);

  const keepBodies = (keep: boolean) => {
    if (!overview) return;
    const preferences = { ...overview.preferences, keepMessageBodies: keep };
    ipc.savePreferences(preferences).then(() => queries.setQueryData(queryKeys.settings, { ...overview, preferences }), fail);
  };
  const clientId = profile.cloud === 'sample' ? t('settings.sampleClientId') : (setup?.clientIds.find((c) => c.cloud === profile.cloud)?.clientId ?? '–');

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="settings-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="settings-back">
        {t('settings.back')}
      </Button>
      <Title2 as="h1">{t('settings.title')}</Title2>
      {error && <ErrorMessage error={error} />}

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('settings.signIn')}</Subtitle2>
        <dl className={styles.facts}>
          <dt className={styles.term}>{t('home.cloud')}</dt>
          <dd className={styles.value}>{t(`home.cloudName.${profile.cloud}`)}</dd>
          <dt className={styles.term}>{t('home.organisation')}</dt>
          <dd className={styles.value}>{profile.organisation.displayName}</dd>
          <dt className={styles.term}>{t('home.tenantId')}</dt>
          <dd className={styles.value}>{profile.organisation.tenantId}</dd>
          <dt className={styles.term}>{t('settings.clientId')}</dt>
          <dd className={styles.value} data-testid="settings-client-id">
            {clientId}
          </dd>
        </dl>
        <Caption1 className={blocks.hint}>{t('settings.signInHint')}</Caption1>
        <Button icon={<SignOutRegular />} onClick={onSignOut} className={blocks.back} data-testid="settings-sign-out">
          {t('home.signOut')}
        </Button>
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('settings.language')}</Subtitle2>
        <RadioGroup value={currentLanguage()} onChange={(_, data) => void changeLanguage(data.value as Language)} aria-label={t('settings.language')}>
          {LANGUAGES.map((code) => (
            <Radio key={code} value={code} label={t(`language.${code}`)} data-testid={`settings-language-${code}`} />
          ))}
        </RadioGroup>
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('settings.appearance.title')}</Subtitle2>
        <RadioGroup value={appearance} onChange={(_, data) => changeAppearance(data.value as Appearance)} aria-label={t('settings.appearance.title')}>
          {APPEARANCES.map((value) => (
            <Radio key={value} value={value} label={t(`settings.appearance.${value}`)} data-testid={`settings-appearance-${value}`} />
          ))}
        </RadioGroup>
        <Caption1 className={blocks.hint}>{t('settings.appearance.hint')}</Caption1>
        {forcedColors && (
          <Caption1 className={blocks.hint} data-testid="appearance-forced-colors">
            {t('settings.appearance.forcedColors')}
          </Caption1>
        )}
      </Card>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('settings.journal')}</Subtitle2>
        <Body1>{t('settings.journalIntro')}</Body1>
        <Switch
          checked={overview?.preferences.keepMessageBodies ?? true}
          disabled={!overview}
          onChange={(_, data) => keepBodies(data.checked)}
          label={t('settings.keepBodies')}
          data-testid="keep-bodies"
        />
        <Caption1 className={blocks.hint}>{t('settings.keepBodiesHint')}</Caption1>
        {overview && (
          <Body1 className={styles.path} data-testid="journal-file">
            {overview.journalFile}
          </Body1>
        )}
        <Button icon={<FolderOpenRegular />} onClick={() => ipc.openJournalFolder().catch(fail)} className={blocks.back} data-testid="open-journal-folder">
          {t('settings.openFolder')}
        </Button>
      </Card>
    </main>
  );
}
