import {
  Body1,
  Button,
  Caption1,
  Card,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { usePageStyles } from '../../components/page';
import { CopyButton } from '../../components/CopyButton';
import { ErrorMessage } from '../../components/ErrorMessage';
import { type AppRegistration, type IpcError, type SignInSetup, ipc } from '../../ipc';

const useStyles = makeStyles({
  main: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalS },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    overflowX: 'auto',
    margin: 0,
  },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

/** "Set up your organisation's app registration": the exact values, and a manifest to paste. */
export function AppRegistrationScreen({ setup, onBack }: { setup?: SignInSetup; onBack: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const page = usePageStyles();
  const [registration, setRegistration] = useState<AppRegistration>();
  const [error, setError] = useState<IpcError>();
  useEffect(() => {
    ipc.appRegistration().then(setRegistration, setError);
  }, []);
  const example = JSON.stringify({ cloud: 'global', tenant: 'contoso.onmicrosoft.com', clientIds: { global: '00000000-0000-0000-0000-000000000000' } }, null, 2);

  return (
    <main className={mergeClasses(page.page, page.medium, styles.main)} data-testid="app-registration-screen">
      <div>
        <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack} data-testid="back">
          {t('appRegistration.back')}
        </Button>
      </div>
      <Title2 as="h1">{t('appRegistration.title')}</Title2>
      <Body1>{t('appRegistration.intro')}</Body1>
      {error && <ErrorMessage error={error} />}

      <Card className={styles.card}>
        <Subtitle2 as="h2">{t('appRegistration.steps.title')}</Subtitle2>
        <ol className={styles.steps}>
          <li>{t('appRegistration.steps.register')}</li>
          <li>{t('appRegistration.steps.platform', { uri: registration?.redirectUri ?? 'http://localhost' })}</li>
          <li>{t('appRegistration.steps.rolesClaim')}</li>
          <li>{t('appRegistration.steps.publicClient')}</li>
          <li>{t('appRegistration.steps.permissions')}</li>
          <li>{t('appRegistration.steps.consent')}</li>
          <li>{t('appRegistration.steps.clientId')}</li>
        </ol>
      </Card>

      {registration && (
        <Card className={styles.card}>
          <Subtitle2 as="h2">{t('appRegistration.permissions.title')}</Subtitle2>
          <Table size="small" aria-label={t('appRegistration.permissions.title')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('appRegistration.permissions.name')}</TableHeaderCell>
                <TableHeaderCell>{t('appRegistration.permissions.why')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {registration.permissions.map((permission) => (
                <TableRow key={permission.id} data-testid={`permission-${permission.name}`}>
                  <TableCell className={styles.mono}>{permission.name}</TableCell>
                  <TableCell>
                    {t(`appRegistration.why.${permission.name.replace(/\./g, '_')}`)}
                    {permission.adminConsent && ` ${t('appRegistration.permissions.adminConsent')}`}
                    {permission.optional && ` ${t('appRegistration.permissions.optional')}`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      )}

      {registration && (
        <Card className={styles.card}>
          <Subtitle2 as="h2">{t('appRegistration.manifest.title')}</Subtitle2>
          <Caption1>{t('appRegistration.manifest.hint')}</Caption1>
          <pre className={styles.code} data-testid="manifest">
            {registration.manifest}
          </pre>
          <div>
            <CopyButton text={registration.manifest} label={t('appRegistration.manifest.copy')} testId="copy-manifest" />
          </div>
        </Card>
      )}

      <Card className={styles.card}>
        <Subtitle2 as="h2">{t('appRegistration.deploy.title')}</Subtitle2>
        <Body1>{t('appRegistration.deploy.body')}</Body1>
        <ul className={styles.steps}>
          {setup?.deployedPaths.map((path) => (
            <li key={path} className={styles.mono}>
              {path}
            </li>
          ))}
        </ul>
        <pre className={styles.code}>{example}</pre>
        <Caption1>{t('appRegistration.deploy.env')}</Caption1>
      </Card>
    </main>
  );
}
