import { FluentProvider, Spinner, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { HomeScreen } from './features/home/HomeScreen';
import { ReviewScreen } from './features/review/ReviewScreen';
import { AppRegistrationScreen } from './features/sign-in/AppRegistrationScreen';
import { WaitingScreen } from './features/sign-in/WaitingScreen';
import { useSignIn } from './features/sign-in/useSignIn';
import { StartScreen } from './features/start/StartScreen';
import type { AppInfo, IpcError, Profile, UserRow } from './ipc';

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
      {phase.kind === 'signedIn' && <SignedIn profile={phase.profile} error={phase.error} onSignOut={signIn.signOut} />}
      </ErrorBoundary>
    </FluentProvider>
  );
}

/** The signed-in part: search (step 2) and review (steps 3–4). Its state ends with the sign-in. */
function SignedIn({ profile, error, onSignOut }: { profile: Profile; error?: IpcError; onSignOut: () => void }) {
  const [reviewing, setReviewing] = useState<UserRow | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [reviewing]);

  if (reviewing) return <ReviewScreen user={reviewing} onBack={() => setReviewing(null)} />;
  return (
    <HomeScreen
      profile={profile}
      error={error}
      onSignOut={onSignOut}
      query={query}
      onQueryChange={setQuery}
      onOpenUser={setReviewing}
    />
  );
}
