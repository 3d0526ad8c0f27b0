import {
  Body1,
  Button,
  Caption1,
  Card,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { usePageStyles } from '../../components/page';
import { CopyButton } from '../../components/CopyButton';
import type { SignInMethod, SignInPrompt } from '../../ipc';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXXL, gap: tokens.spacingVerticalL },
  heading: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1 },
  code: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeHero900,
    lineHeight: tokens.lineHeightHero900,
    fontWeight: tokens.fontWeightSemibold,
    letterSpacing: '0.15em',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Seconds left until `promptedAt + seconds`, ticking once a second. */
function useSecondsLeft(promptedAt: number | undefined, seconds: number | undefined) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (promptedAt === undefined || seconds === undefined) return 0;
  return Math.max(0, Math.round((promptedAt + seconds * 1000 - now) / 1000));
}

function minutesAndSeconds(total: number) {
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

interface Props {
  method: SignInMethod;
  sample: boolean;
  prompt?: SignInPrompt;
  promptedAt?: number;
  onCancel: () => void;
}

/** While a sign-in waits for the admin: the browser tab, the code on another device, or az. */
export function WaitingScreen({ method, sample, prompt, promptedAt, onCancel }: Props) {
  const { t } = useTranslation();
  const styles = useStyles();
  const page = usePageStyles();
  const deviceCode = prompt?.kind === 'deviceCode' ? prompt : undefined;
  const browser = prompt?.kind === 'browser' ? prompt : undefined;
  const left = useSecondsLeft(promptedAt, deviceCode?.expiresInSeconds);

  return (
    <main className={mergeClasses(page.page, page.narrow)} data-testid="waiting-screen" data-method={method}>
      <Card className={styles.card}>
        <div className={styles.heading}>
          <Spinner size="small" aria-hidden />
          <Title2 as="h1" data-testid="waiting-title">
            {t(`waiting.${method}.title`)}
          </Title2>
        </div>

        {method === 'browser' && (
          <>
            <Body1>{t(sample ? 'waiting.browser.sampleBody' : 'waiting.browser.body')}</Body1>
            {browser && !browser.opened && (
              <MessageBar intent="warning" data-testid="browser-not-opened">
                <MessageBarBody>{t('waiting.browser.notOpened')}</MessageBarBody>
              </MessageBar>
            )}
            {browser && (
              <>
                <Caption1>{t('waiting.browser.copyHint')}</Caption1>
                <div className={styles.row}>
                  <Input className={styles.grow} readOnly value={browser.url} aria-label={t('waiting.browser.address')} />
                  <CopyButton text={browser.url} label={t('waiting.browser.copy')} testId="copy-sign-in-url" />
                </div>
              </>
            )}
            <Caption1 className={styles.muted}>{t('waiting.browser.timeout')}</Caption1>
          </>
        )}

        {method === 'deviceCode' && deviceCode && (
          <>
            <Body1>{t('waiting.deviceCode.step1', { url: deviceCode.verificationUri })}</Body1>
            <Body1>{t('waiting.deviceCode.step2')}</Body1>
            <div className={styles.row}>
              <Text className={styles.code} data-testid="device-code">
                {deviceCode.userCode}
              </Text>
              <CopyButton text={deviceCode.userCode} label={t('waiting.deviceCode.copy')} testId="copy-device-code" />
            </div>
            <Body1 data-testid="device-code-countdown" aria-live="off">
              {left > 0 ? t('waiting.deviceCode.expiresIn', { time: minutesAndSeconds(left) }) : t('waiting.deviceCode.expired')}
            </Body1>
            <Caption1 className={styles.muted}>{t('waiting.deviceCode.policyNote')}</Caption1>
          </>
        )}

        {method === 'azureCli' && <Body1>{t('waiting.azureCli.body')}</Body1>}

        <div className={styles.row}>
          <Button onClick={onCancel} data-testid="cancel-sign-in" disabled={method === 'azureCli'}>
            {t('waiting.cancel')}
          </Button>
        </div>
      </Card>
    </main>
  );
}
