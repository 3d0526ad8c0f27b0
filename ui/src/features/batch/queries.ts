/**
 * A batch's server state, keyed like ipc/queries.ts: the dry run of a checked list (read once:
 * going back to it reads nothing again), the run's status while it runs, and the batches the
 * journal says were left unfinished.
 */
import { useQuery } from '@tanstack/react-query';

import { ipc, type IpcError, type MessageSettings } from '../../ipc';

export const batchKeys = {
  dryRun: (listId: string) => ['batch', 'dryRun', listId] as const,
  status: (batchId: string) => ['batch', 'status', batchId] as const,
  unfinished: ['batch', 'unfinished'] as const,
  messageCheck: (message: MessageSettings) => ['batch', 'messageCheck', message] as const,
};

/** How often the run's progress is read from Rust (a local call, no request to Microsoft). */
const STATUS_EVERY_MS = 700;

/** Every row of the list reviewed, twenty reads to a round trip; nothing is written. */
export function useDryRun(listId: string) {
  return useQuery<Awaited<ReturnType<typeof ipc.dryRunBatch>>, IpcError>({
    queryKey: batchKeys.dryRun(listId),
    queryFn: () => ipc.dryRunBatch(listId),
    staleTime: Infinity,
  });
}

/** The run as it stands, read again while `live`. */
export function useBatchStatus(batchId: string, live: boolean) {
  return useQuery<Awaited<ReturnType<typeof ipc.batchStatus>>, IpcError>({
    queryKey: batchKeys.status(batchId),
    queryFn: () => ipc.batchStatus(batchId),
    refetchInterval: live ? STATUS_EVERY_MS : false,
    placeholderData: (previous) => previous,
  });
}

export function useUnfinishedBatches() {
  return useQuery<Awaited<ReturnType<typeof ipc.unfinishedBatches>>, IpcError>({
    queryKey: batchKeys.unfinished,
    queryFn: ipc.unfinishedBatches,
  });
}

/** Rust's rules on the batch's one message (a local check), with the language list and limits. */
export function useMessageCheck(message: MessageSettings) {
  return useQuery<Awaited<ReturnType<typeof ipc.checkMessage>>, IpcError>({
    queryKey: batchKeys.messageCheck(message),
    queryFn: () => ipc.checkMessage(message),
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}
