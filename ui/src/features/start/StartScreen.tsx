import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Radio,
  RadioGroup,
  Subtitle2,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowRightRegular, BeakerRegular, GlobeRegular, PhoneLaptopRegular, WindowConsoleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import type { AppInfo, IpcError } from '../../ipc';

/** The clouds an organisation can live in (PRODUCT.md, step 1); the sample directory is separate. */
const CLOUDS = [
  { id: 'global', label: 'start.cloud.global', hint: 'start.cloud.globalHint' },
  { id: 'usGov', label: 'start.cloud.usGov', hint: 'start.cloud.usGovHint' },
  { id: 'usGovDod', label: 'start.cloud.usGovDod', hint: 'start.cloud.usGovDodHint' },
  { id: 'china', label: 'start.cloud.china', hint: 'start.cloud.chinaHint' },
] as const;

type CloudId = (typeof CLOUDS)[number]['id'];

const useStyles = makeStyles({
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '1040px',
    margin: '0 auto',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
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
  methods: { display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: tokens.spacingVerticalS },
  methodRow: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  methodButton: { flexGrow: 1, justifyContent: 'flex-start' },
  sampleHeading: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  footer: { gridArea: 'footer', color: tokens.colorNeutralForeground3, textAlign: 'center' },
});

export function StartScreen({ info, error }: { info?: AppInfo; error?: IpcError }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [cloud, setCloud] = useState<CloudId>('global');

  const methods = [
    { id: 'browser', label: t('start.method.browser'), icon: <GlobeRegular />, primary: true },
    { id: 'device-code', label: t('start.method.deviceCode'), icon: <PhoneLaptopRegular />, primary: false },
    { id: 'azure-cli', label: t('start.method.azureCli'), icon: <WindowConsoleRegular />, primary: false },
  ];

  return (
    <main className={styles.main} data-testid="start-screen">
      <div className={styles.intro}>
        <Title2 as="h1" data-testid="start-title">
          {t('start.title')}
        </Title2>
        <Body1 className={styles.introText}>{t('start.intro')}</Body1>
        {error && <ErrorMessage error={error} />}
      </div>

      <Card className={mergeClasses(styles.card, styles.signIn)}>
        <Subtitle2 as="h2" id="cloud-label">
          {t('start.cloud.label')}
        </Subtitle2>
        <RadioGroup
          value={cloud}
          onChange={(_event, data) => setCloud(data.value as CloudId)}
          aria-labelledby="cloud-label"
        >
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

        <Subtitle2 as="h2">{t('start.method.label')}</Subtitle2>
        <div className={styles.methods}>
          {methods.map(({ id, label, icon, primary }) => (
            <div key={id} className={styles.methodRow}>
              <Button
                className={styles.methodButton}
                appearance={primary ? 'primary' : 'secondary'}
                icon={icon}
                size="large"
                disabled
                data-testid={`sign-in-${id}`}
              >
                {label}
              </Button>
              <Badge appearance="tint" color="informative">
                {t('start.comingSoon')}
              </Badge>
            </div>
          ))}
        </div>
      </Card>

      <Card className={mergeClasses(styles.card, styles.sample)}>
        <div className={styles.sampleHeading}>
          <BeakerRegular fontSize={24} aria-hidden />
          <Subtitle2 as="h2">{t('start.sample.title')}</Subtitle2>
        </div>
        <Body1>{t('start.sample.body')}</Body1>
        <div className={styles.methodRow}>
          <Button icon={<ArrowRightRegular />} iconPosition="after" disabled data-testid="try-sample">
            {t('start.sample.button')}
          </Button>
          <Badge appearance="tint" color="informative">
            {t('start.comingSoon')}
          </Badge>
        </div>
      </Card>

      <Caption1 className={styles.footer} data-testid="app-version">
        {info ? t('app.version', { version: info.version }) : '\u00a0'}
      </Caption1>
    </main>
  );
}
