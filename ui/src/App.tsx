import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect, useState } from 'react';

import { createQueryClient } from './ipc/queries';
import { useAppTheme } from './theme';
import { useTranslation } from 'react-i18next';

import { AppHeader } from './components/AppHeader';
import { ErrorBoundary } from './components/ErrorBoundary';
import { useSignIn } from './features/sign-in/useSignIn';
import { StartScreen } from './features/start/StartScreen';
// Every screen after the start screen loads on demand (screens.ts).
import {
  AppRegistrationScreen,
  BatchJourney,
  ConfirmScreen,
  HistoryScreen,
  HomeScreen,
  MessageScreen,
  ResultScreen,
  ReverseJourney,
  ReviewScreen,
  SettingsScreen,
  WaitingScreen,
} from './screens';
import type {
  AppInfo,
  ConversionPlan,
  ConversionResult,
  EntryKind,
  Intention,
  IpcError,
  Profile,
  Report,
  UnfinishedBatch,
  UserRow,
} from './ipc';

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
  // Each screen starts at its top, however far the previous one was scrolled.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [phase.kind]);

  return (
    <FluentProvider theme={look.theme} className={styles.root} data-theme={look.name} data-testid="app-root">
      <AppHeader profile={phase.kind === 'signedIn' ? phase.profile : undefined} />
      <ErrorBoundary>
      {/* A later screen's code is fetched once the first screen is painted, so this is seldom seen. */}
      <Suspense fallback={null}>
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
      </Suspense>
      </ErrorBoundary>
    </FluentProvider>
  );
}

/** Where the signed-in admin is in the journey (steps 2–7). */
type Step =
  | { kind: 'search' }
  | { kind: 'history' }
  | { kind: 'settings' }
  // A list of accounts at once (issue 17): import, dry run, message, confirm, run, result.
  | { kind: 'batch'; resume?: UnfinishedBatch }
  | { kind: 'review'; user: UserRow; email?: string | null }
  // The way back to internal, from a user's review or from History (its own steps inside).
  | { kind: 'reverse'; user: UserRow; from: 'review' | 'history' }
  | { kind: 'message' | 'confirm'; user: UserRow; report: Report; intention: Intention; retrying?: boolean }
  | { kind: 'result'; user: UserRow; report: Report; intention: Intention; plan: ConversionPlan; result: ConversionResult };

/**
 * What the admin asks for after a review: Microsoft's email on, the person's language, My Apps.
 * Rust builds the plan from the review it kept; the UI only says what it wants.
 */
function intentionFor(report: Report, kind: EntryKind): Intention {
  return {
    reviewId: report.reviewId,
    kind,
    message: { sendEmail: true, language: report.suggestedLanguage, personalMessage: '', cc: null, landing: { kind: 'myApps' } },
  };
}

/** The signed-in part: search, review, message, confirm, result. Its state ends with the sign-in. */
function SignedIn(props: { profile: Profile; error?: IpcError; onSignOut: () => void }) {
  // What Rust answered is cached for this sign-in only: a new sign-in starts empty, as Rust's
  // kept reviews do.
  const [queries] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queries}>
      <Journey {...props} />
    </QueryClientProvider>
  );
}

function Journey({ profile, error, onSignOut }: { profile: Profile; error?: IpcError; onSignOut: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'search' });
  const [query, setQuery] = useState('');

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [step.kind]);

  const toSearch = () => setStep({ kind: 'search' });
  switch (step.kind) {
    case 'review':
      return (
        <ReviewScreen
          user={step.user}
          email={step.email}
          onBack={toSearch}
          onContinue={(report, kind) => setStep({ kind: 'message', user: step.user, report, intention: intentionFor(report, kind) })}
          onConvertToInternal={() => setStep({ kind: 'reverse', user: step.user, from: 'review' })}
        />
      );
    case 'reverse':
      return (
        <ReverseJourney
          user={step.user}
          from={step.from}
          onBack={() => setStep(step.from === 'review' ? { kind: 'review', user: step.user } : { kind: 'history' })}
          onDone={toSearch}
        />
      );
    case 'message':
      return (
        <MessageScreen
          intention={step.intention}
          report={step.report}
          profile={profile}
          onChange={(message) => setStep({ ...step, intention: { ...step.intention, message } })}
          onBack={() => setStep({ kind: 'review', user: step.user, email: step.report.email })}
          onNext={() => setStep({ ...step, kind: 'confirm' })}
        />
      );
    case 'confirm':
      return (
        <ConfirmScreen
          key={step.retrying ? 'again' : 'first'}
          intention={step.intention}
          report={step.report}
          retrying={step.retrying}
          onBack={() => setStep({ ...step, kind: 'message', retrying: false })}
          onDone={(result, plan) => setStep({ ...step, kind: 'result', plan, result })}
        />
      );
    case 'result':
      return (
        <ResultScreen
          plan={step.plan}
          result={step.result}
          synced={step.report.user.onPremisesSyncEnabled === true}
          onDone={toSearch}
          onTryAgain={() => setStep({ kind: 'confirm', user: step.user, report: step.report, intention: step.intention, retrying: true })}
        />
      );
    case 'history':
      return (
        <HistoryScreen
          onBack={toSearch}
          onOpenUser={(user) => setStep({ kind: 'review', user })}
          onUndoConversion={(user) => setStep({ kind: 'reverse', user, from: 'history' })}
        />
      );
    case 'batch':
      return <BatchJourney profile={profile} resume={step.resume} onDone={toSearch} />;
    case 'settings':
      return <SettingsScreen profile={profile} onBack={toSearch} onSignOut={onSignOut} />;
    case 'search':
      return (
        <HomeScreen
          profile={profile}
          error={error}
          onSignOut={onSignOut}
          query={query}
          onQueryChange={setQuery}
          onOpenUser={(user) => setStep({ kind: 'review', user })}
          onHistory={() => setStep({ kind: 'history' })}
          onSettings={() => setStep({ kind: 'settings' })}
          onBatch={(resume) => setStep({ kind: 'batch', resume })}
        />
      );
  }
}
