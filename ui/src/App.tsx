import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, useEffect, useRef } from 'react';

import { useAppTheme } from './theme';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { useSignIn } from './features/sign-in/useSignIn';
import { StartScreen } from './features/start/StartScreen';
// Every screen after the start screen loads on demand (screens.ts), the signed-in part too.
import { AppRegistrationScreen, SignedIn, WaitingScreen } from './screens';
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
  const look = useAppTheme();
  // Each screen starts at its top, however far the previous one was scrolled. Not the first: a
  // page starts at its top, and the prerendered start screen may have been scrolled already.
  const shownPhase = useRef(phase.kind);
  useEffect(() => {
    if (shownPhase.current === phase.kind) return;
    shownPhase.current = phase.kind;
    window.scrollTo(0, 0);
  }, [phase.kind]);

  return (
    <FluentProvider theme={look.theme}>
      {/* The frame is a div of its own: Fluent gives the provider's classes to the layer its menus
          and pop-ups open in, where a full-height background covered the whole app. */}
      <div className={styles.root} data-theme={look.name} data-testid="app-root">
        <AppHeader profile={phase.kind === 'signedIn' ? phase.profile : undefined} />
        <ErrorBoundary>
          {phase.kind === 'signedOut' && signIn.setup ? (
            // Outside the Suspense below: a prerendered start screen is hydrated with the page,
            // not after it as a Suspense boundary's content would be (main.tsx).
            <StartScreen
              info={info}
              error={error ?? phase.error}
              setup={signIn.setup}
              onSignIn={signIn.signIn}
              onTrySample={signIn.trySample}
              onAppRegistration={signIn.showAppRegistration}
              onKeepForThisRun={signIn.keepForThisRun}
            />
          ) : (
            // A later screen's code is fetched once the first screen is painted, so this is seldom seen.
            <Suspense
              fallback={
                <div className={styles.resuming}>
                  <Spinner label={t('app.loading')} data-testid="loading-screen" />
                </div>
              }
            >
              {(phase.kind === 'resuming' || phase.kind === 'signedOut') && (
                <div className={styles.resuming}>
                  <Spinner label={t('signIn.resuming')} data-testid="resuming" />
                </div>
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
              {phase.kind === 'signedIn' && <SignedIn profile={phase.profile} error={phase.error} onSignOut={signIn.signOut} />}
            </Suspense>
          )}
        </ErrorBoundary>
      </div>
    </FluentProvider>
  );
}
