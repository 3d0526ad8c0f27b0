// The signed-in part of the app: search, review, convert, history, settings, batch. Its own chunk
// (screens.ts), so the start screen's code does not wait for it or for react-query.
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { createQueryClient } from './ipc/queries';
import { newMessage } from './features/convert/message';
import {
  BatchJourney,
  ConfirmScreen,
  HistoryScreen,
  HomeScreen,
  MessageScreen,
  ResultScreen,
  ReverseJourney,
  ReviewScreen,
  SettingsScreen,
} from './screens';
import type {
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
    message: newMessage(report.suggestedLanguage),
  };
}

/** The signed-in part: search, review, message, confirm, result. Its state ends with the sign-in. */
export function SignedIn(props: { profile: Profile; error?: IpcError; onSignOut: () => void }) {
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
