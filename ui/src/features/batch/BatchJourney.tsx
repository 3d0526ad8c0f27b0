// A careful batch (issue 17): the list, the dry run, one message, the confirmation, the run and
// its result – or an unfinished batch taken up again. One person at a time stays the default
// journey; this is the second entrance on the home screen.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';

import type { BatchStatus, DryRun, ImportedList, IpcError, MessageSettings, Profile, UnfinishedBatch } from '../../ipc';
import { ipc } from '../../ipc';
import { useAfterWrite } from '../../ipc/queries';
import { newMessage } from '../convert/message';
import { BatchConfirmScreen } from './BatchConfirmScreen';
import { BatchMessageScreen } from './BatchMessageScreen';
import { ContinueScreen } from './ContinueScreen';
import { DryRunScreen, firstTicked, type Ticks } from './DryRunScreen';
import { ImportScreen } from './ImportScreen';
import { batchKeys } from './queries';
import { RunScreen, type Run } from './RunScreen';

type Step =
  | { kind: 'import' }
  | { kind: 'dryRun'; list: ImportedList }
  | { kind: 'message' | 'confirm'; list: ImportedList; dryRun: DryRun }
  // A batch left unfinished (Rehome closed mid-run, or stopped), taken up from the home screen.
  | { kind: 'continue'; batch: UnfinishedBatch }
  | { kind: 'run'; run: Run };

/** The message a batch starts with: email on, the language most of the ticked people have. */
export function firstMessage(dryRun: DryRun, lines: number[]): MessageSettings {
  const counts = new Map<string, number>();
  for (const row of dryRun.rows) {
    if (!row.report || !lines.includes(row.row.line)) continue;
    counts.set(row.report.suggestedLanguage, (counts.get(row.report.suggestedLanguage) ?? 0) + 1);
  }
  const language = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'en-US';
  return newMessage(language);
}

export function BatchJourney({ profile, resume, onDone }: { profile: Profile; resume?: UnfinishedBatch; onDone: () => void }) {
  const [step, setStep] = useState<Step>(resume ? { kind: 'continue', batch: resume } : { kind: 'import' });
  // The ticked lines of a dry run; going back to it keeps them.
  const [ticks, setTicks] = useState<Ticks | null>(null);
  const ticked = ticks?.lines ?? [];
  const [message, setMessage] = useState<MessageSettings | null>(null);
  const queries = useQueryClient();
  const tick = useCallback(
    (lines: number[], on: boolean) =>
      setTicks((now) => now && { ...now, lines: on ? [...new Set([...now.lines, ...lines])] : now.lines.filter((line) => !lines.includes(line)) }),
    [],
  );
  const read = useCallback(
    (dryRun: DryRun) => setTicks((now) => (now?.batchId === dryRun.batchId ? now : { batchId: dryRun.batchId, lines: firstTicked(dryRun) })),
    [],
  );
  const afterWrite = useAfterWrite();

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [step.kind]);

  /** Shows the run at once; Rust's answer arrives when the batch finished or stopped. */
  const start = (batchId: string, total: number, send: () => Promise<BatchStatus>, back?: () => void) => {
    const run: Run = { batchId, total, final: null, error: null, back };
    setStep({ kind: 'run', run });
    const settle = (change: Partial<Run>) =>
      setStep((now) => (now.kind === 'run' && now.run.batchId === batchId ? { kind: 'run', run: { ...now.run, ...change } } : now));
    send()
      .then(
        (final) => {
          // Accounts written to are read again when next reviewed; History shows them.
          for (const row of final.rows) if (row.journalId !== null) afterWrite(row.userId);
          settle({ final });
        },
        (error: IpcError) => settle({ error }),
      )
      .finally(() => void queries.invalidateQueries({ queryKey: batchKeys.unfinished }));
  };

  switch (step.kind) {
    case 'import':
      return <ImportScreen practice={profile.cloud === 'sample'} onBack={onDone} onNext={(list) => setStep({ kind: 'dryRun', list })} />;
    case 'dryRun':
      return (
        <DryRunScreen
          list={step.list}
          ticks={ticks}
          onTick={tick}
          onRead={read}
          onBack={() => setStep({ kind: 'import' })}
          onNext={(dryRun) => {
            setMessage((kept) => kept ?? firstMessage(dryRun, ticked));
            setStep({ kind: 'message', list: step.list, dryRun });
          }}
        />
      );
    case 'message':
      return (
        <BatchMessageScreen
          count={ticked.length}
          message={message ?? firstMessage(step.dryRun, ticked)}
          profile={profile}
          onChange={setMessage}
          onBack={() => setStep({ kind: 'dryRun', list: step.list })}
          onNext={() => setStep({ ...step, kind: 'confirm' })}
        />
      );
    case 'continue': {
      const { batch } = step;
      return (
        <ContinueScreen
          batch={batch}
          profile={profile}
          onBack={onDone}
          onContinue={(written) =>
            start(batch.batchId, batch.total, () => ipc.continueBatch(batch.batchId, written), () => setStep({ kind: 'continue', batch }))
          }
        />
      );
    }
    case 'confirm':
      return (
        <BatchConfirmScreen
          dryRun={step.dryRun}
          lines={ticked}
          message={message ?? firstMessage(step.dryRun, ticked)}
          onBack={() => setStep({ ...step, kind: 'message' })}
          onConfirm={(intention) =>
            start(intention.batchId, intention.lines.length, () => ipc.runBatch(intention), () => setStep({ ...step, kind: 'confirm' }))
          }
        />
      );
    case 'run':
      return <RunScreen run={step.run} onDone={onDone} />;
  }
}
