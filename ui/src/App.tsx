import { FluentProvider, Spinner, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { HomeScreen } from './features/home/HomeScreen';
import { AppRegistrationScreen } from './features/sign-in/AppRegistrationScreen';
import { WaitingScreen } from './features/sign-in/WaitingScreen';
import { useSignIn } from './features/sign-in/useSignIn';
import { StartScreen } from './features/start/StartScreen';
import type { AppInfo, IpcError } from './ipc';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  resuming: { flexGrow: 1, display: 'flex', alignItems: 'center', justifyContent: 'center' },
});

/** `info` is this build as the Rust side reported it at start-up; `error` if it could not. */
export function App({ info, error }: { info?: AppInfo; error?: IpcError }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const signIn = useSignIn();
  const { phase } = signIn;

  // Each screen starts at its top, however far the previous one was scrolled.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [phase.kind]);

  return (
    <FluentProvider theme={webLightTheme} className={styles.root}>
      <AppHeader profile={phase.kind === 'signedIn' ? phase.profile : undefined} />
      <ErrorBoundary>
      {(phase.kind === 'resuming' || (phase.kind === 'signedOut' && !signIn.setup)) && (
        <div className={styles.resuming}>
          <Spinner label={t('signIn.resuming')} data-testid="resuming" />
        </div>
      )}
      {phase.kind === 'signedOut' && signIn.setup && (
        <StartScreen
          info={info}
          error={error ?? phase.error}
          setup={signIn.setup}
          onSignIn={signIn.signIn}
          onTrySample={signIn.trySample}
          onAppRegistration={signIn.showAppRegistration}
          onKeepForThisRun={signIn.keepForThisRun}
        />
      )}
      {phase.kind === 'waiting' && (
        <WaitingScreen
          method={phase.method}
          sample={phase.sample}
          prompt={phase.prompt}
          promptedAt={phase.promptedAt}
          onCancel={signIn.cancel}
        />
      )}
      {phase.kind === 'appRegistration' && <AppRegistrationScreen setup={signIn.setup} onBack={signIn.backToStart} />}
      {phase.kind === 'signedIn' && <HomeScreen profile={phase.profile} error={phase.error} onSignOut={signIn.signOut} />}
      </ErrorBoundary>
    </FluentProvider>
  );
}
