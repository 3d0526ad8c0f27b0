// The way back (issue 16): an account that signs in externally becomes an internal member
// again. Its own report, the form, the confirmation and the result, one after the other; the
// one-time password lives only in the result step's state and is gone when the admin leaves it.
import { useEffect, useState } from 'react';

import type { ReverseIntention, ReversePlan, ReverseReport, ReverseResult, UserRow } from '../../ipc';
import { ReverseConfirmScreen } from './ReverseConfirmScreen';
import { ReverseFormScreen } from './ReverseFormScreen';
import { ReverseReportScreen } from './ReverseReportScreen';
import { ReverseResultScreen } from './ReverseResultScreen';

type Step =
  | { kind: 'report' }
  | { kind: 'form' | 'confirm'; report: ReverseReport; intention: ReverseIntention; retrying?: boolean }
  | { kind: 'result'; report: ReverseReport; intention: ReverseIntention; plan: ReversePlan; result: ReverseResult };

/** What the form starts with: today's UPN when it can stay, "must change" on, today's email. */
export function firstIntention(report: ReverseReport): ReverseIntention {
  return {
    reviewId: report.reviewId,
    userPrincipalName: report.synced ? null : (report.upnPrefill ?? ''),
    forceChangePassword: report.forceChangePasswordDefault,
    mail: null,
  };
}

export function ReverseJourney({
  user,
  from,
  onBack,
  onDone,
}: {
  user: UserRow;
  /** Where the admin came from (the user's review, or History): Back leads there. */
  from: 'review' | 'history';
  onBack: () => void;
  onDone: () => void;
}) {
  const [step, setStep] = useState<Step>({ kind: 'report' });

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [step.kind]);

  switch (step.kind) {
    case 'report':
      return (
        <ReverseReportScreen
          user={user}
          backLabel={from}
          onBack={onBack}
          onContinue={(report) => setStep({ kind: 'form', report, intention: firstIntention(report) })}
        />
      );
    case 'form':
      return (
        <ReverseFormScreen
          report={step.report}
          intention={step.intention}
          onChange={(intention) => setStep({ ...step, intention })}
          onBack={() => setStep({ kind: 'report' })}
          onNext={() => setStep({ ...step, kind: 'confirm' })}
        />
      );
    case 'confirm':
      return (
        <ReverseConfirmScreen
          key={step.retrying ? 'again' : 'first'}
          report={step.report}
          intention={step.intention}
          retrying={step.retrying}
          onBack={() => setStep({ ...step, kind: 'form', retrying: false })}
          onDone={(result, plan) => setStep({ kind: 'result', report: step.report, intention: step.intention, plan, result })}
        />
      );
    case 'result':
      return (
        <ReverseResultScreen
          plan={step.plan}
          result={step.result}
          onDone={onDone}
          onTryAgain={() => setStep({ kind: 'confirm', report: step.report, intention: step.intention, retrying: true })}
        />
      );
  }
}
