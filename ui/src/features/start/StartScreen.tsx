import {
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowRightRegular,
  BeakerRegular,
  GlobeRegular,
  PhoneLaptopRegular,
  WindowConsoleRegular,
} from '@fluentui/react-icons';
import { type ReactElement, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { usePageStyles } from '../../components/page';
import { useSurfaceStyles } from '../../theme/surface';
import { ErrorMessage, KeyringOffer } from '../../components/ErrorMessage';
import type { AppInfo, CloudId, IpcError, SignInMethod, SignInSetup } from '../../ipc';
import type { SignInChoice } from '../sign-in/useSignIn';

/** The clouds an organisation can live in (PRODUCT.md, step 1); the sample directory is separate. */
const CLOUDS = [
  { id: 'global', label: 'start.cloud.global', hint: 'start.cloud.globalHint' },
  { id: 'usGov', label: 'start.cloud.usGov', hint: 'start.cloud.usGovHint' },
  { id: 'usGovDod', label: 'start.cloud.usGovDod', hint: 'start.cloud.usGovDodHint' },
  { id: 'china', label: 'start.cloud.china', hint: 'start.cloud.chinaHint' },
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const useStyles = makeStyles({
  main: {
    display: 'grid',
    // Sign-in and the sample directory side by side, so neither is below the fold.
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    gridTemplateAreas: '"intro intro" "signin sample" "footer footer"',
    alignContent: 'start',
    alignItems: 'start',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalXL,
    '@media (max-width: 860px)': {
      gridTemplateColumns: 'minmax(0, 1fr)',
      gridTemplateAreas: '"intro" "signin" "sample" "footer"',
    },
  },
  intro: { gridArea: 'intro', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  introText: { color: tokens.colorNeutralForeground2, maxWidth: '80ch' },
  signIn: { gridArea: 'signin' },
  sample: { gridArea: 'sample', backgroundColor: tokens.colorBrandBackground2 },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  fields: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM },
  methods: { display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: tokens.spacingVerticalS },
  methodButton: { justifyContent: 'flex-start' },
  sampleHeading: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  footer: { gridArea: 'footer', color: tokens.colorNeutralForeground3, textAlign: 'center' },
});

interface Props {
  info?: AppInfo;
  error?: IpcError;
  /** Where the settings came from; the fields start from it. */
  setup: SignInSetup;
  onSignIn: (choice: SignInChoice) => void;
  onTrySample: (method?: SignInMethod) => void;
  onAppRegistration: () => void;
  onKeepForThisRun: () => void;
}

export function StartScreen({ info, error, setup, onSignIn, onTrySample, onAppRegistration, onKeepForThisRun }: Props) {
  const { t } = useTranslation();
  const styles = useStyles();
  const page = usePageStyles();
  const surface = useSurfaceStyles();
  const [cloud, setCloud] = useState<CloudId>(setup.cloud === 'sample' ? 'global' : setup.cloud);
  const [tenant, setTenant] = useState(setup.tenant);
  const [clientIds, setClientIds] = useState<Partial<Record<CloudId, string>>>(() =>
    Object.fromEntries(setup.clientIds.map((entry) => [entry.cloud, entry.clientId])),
  );

  const clientId = clientIds[cloud] ?? '';
  const configured = setup.clientIds.find((entry) => entry.cloud === cloud);
  const clientIdValid = GUID.test(clientId.trim());
  const source =
    configured && configured.clientId === clientId.trim()
      ? t(`start.clientId.source.${configured.source}`, { path: configured.path ?? '' })
      : undefined;

  const methods: { id: SignInMethod; testId: string; icon: ReactElement; needsClientId: boolean }[] = [
    { id: 'browser', testId: 'sign-in-browser', icon: <GlobeRegular />, needsClientId: true },
    { id: 'deviceCode', testId: 'sign-in-device-code', icon: <PhoneLaptopRegular />, needsClientId: true },
    { id: 'azureCli', testId: 'sign-in-azure-cli', icon: <WindowConsoleRegular />, needsClientId: false },
  ];

  return (
    <main className={mergeClasses(page.page, page.wide, styles.main)} data-testid="start-screen">
      <div className={styles.intro}>
        <Title2 as="h1" data-testid="start-title">
          {t('start.title')}
        </Title2>
        <Body1 className={styles.introText}>{t('start.intro')}</Body1>
        {error && (
          <ErrorMessage
            error={error}
            actions={error.code === 'keyringUnavailable' ? <KeyringOffer onKeep={onKeepForThisRun} /> : undefined}
          />
        )}
        {setup.problems.map((problem) => (
          <MessageBar key={problem.path} intent="warning" data-testid="config-problem">
            <MessageBarBody>{t('start.configProblem', { path: problem.path, message: problem.message })}</MessageBarBody>
          </MessageBar>
        ))}
      </div>

      {/* Cards in look (theme/surface.ts): Fluent's Card would set up Tabster before the first paint. */}
      <div role="group" className={mergeClasses(surface.card, styles.card, styles.signIn)}>
        <Subtitle2 as="h2" id="cloud-label">
          {t('start.cloud.label')}
        </Subtitle2>
        <RadioGroup value={cloud} onChange={(_event, data) => setCloud(data.value as CloudId)} aria-labelledby="cloud-label">
          {CLOUDS.map(({ id, label, hint }) => (
            <Radio
              key={id}
              value={id}
              data-testid={`cloud-${id}`}
              label={
                <>
                  {t(label)}
                  <br />
                  <Caption1>{t(hint)}</Caption1>
                </>
              }
            />
          ))}
        </RadioGroup>

        <div className={styles.fields}>
          <Field label={t('start.tenant.label')} hint={t('start.tenant.hint')}>
            <Input value={tenant} onChange={(_e, data) => setTenant(data.value)} data-testid="tenant" />
          </Field>
          <Field
            label={t('start.clientId.label')}
            hint={source}
            validationState={clientId && !clientIdValid ? 'error' : 'none'}
            validationMessage={clientId && !clientIdValid ? t('errors.invalidClientId') : undefined}
          >
            <Input
              value={clientId}
              placeholder="00000000-0000-0000-0000-000000000000"
              onChange={(_e, data) => setClientIds((ids) => ({ ...ids, [cloud]: data.value }))}
              data-testid="client-id"
            />
          </Field>
        </div>
        {!clientId && (
          // Multiline from the start: the prerendered page has no code to measure it with.
          <MessageBar intent="info" layout="multiline" data-testid="client-id-missing">
            <MessageBarBody>
              {t('start.clientId.missing')}{' '}
              <Link onClick={onAppRegistration} data-testid="app-registration-link">
                {t('start.clientId.setUp')}
              </Link>
            </MessageBarBody>
          </MessageBar>
        )}

        <Subtitle2 as="h2">{t('start.method.label')}</Subtitle2>
        <div className={styles.methods}>
          {methods.map(({ id, testId, icon, needsClientId }) => (
            <Button
              key={id}
              className={styles.methodButton}
              appearance={id === 'browser' ? 'primary' : 'secondary'}
              icon={icon}
              size="large"
              disabled={needsClientId && !clientIdValid}
              onClick={() => onSignIn({ method: id, cloud, tenant, clientId })}
              data-testid={testId}
            >
              {t(`start.method.${id}`)}
            </Button>
          ))}
        </div>
      </div>

      <div role="group" className={mergeClasses(surface.card, styles.card, styles.sample)}>
        <div className={styles.sampleHeading}>
          <BeakerRegular fontSize={24} aria-hidden />
          <Subtitle2 as="h2">{t('start.sample.title')}</Subtitle2>
        </div>
        <Body1>{t('start.sample.body')}</Body1>
        <Button
          appearance="primary"
          icon={<ArrowRightRegular />}
          iconPosition="after"
          onClick={() => onTrySample('browser')}
          data-testid="try-sample"
        >
          {t('start.sample.button')}
        </Button>
        <Link onClick={() => onTrySample('deviceCode')} data-testid="try-sample-device-code">
          {t('start.sample.withCode')}
        </Link>
      </div>

      <Caption1 className={styles.footer} data-testid="app-version">
        {info ? t('app.version', { version: info.version }) : '\u00a0'}
      </Caption1>
    </main>
  );
}
