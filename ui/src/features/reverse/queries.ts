/**
 * The way back's server state, keyed like ipc/queries.ts: the report per user, and the live
 * checks of a typed UPN or email (a local call in Rust, no request to Microsoft).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';

import { ipc, type IpcError, type ReverseIntention, type TenantDomain } from '../../ipc';
import { useAfterWrite } from '../../ipc/queries';

/** As long as Rust keeps a report before reading the user again (REVIEW_MAX_AGE). */
const REPORT_FRESH_MS = 5 * 60 * 1000;

export const reverseKeys = {
  report: (userId: string) => ['reverse', 'report', userId] as const,
  preview: (intention: ReverseIntention) => ['reverse', 'preview', intention] as const,
  upnProblem: (upn: string, domains: TenantDomain[]) => ['reverse', 'upnProblem', upn, domains] as const,
  mailProblem: (mail: string, domains: TenantDomain[]) => ['reverse', 'mailProblem', mail, domains] as const,
};

/** The way back's own report for one user (one round trip; Rust keeps it by `reviewId`). */
export function useReverseReport(userId: string) {
  return useQuery<Awaited<ReturnType<typeof ipc.reviewReverse>>, IpcError>({
    queryKey: reverseKeys.report(userId),
    queryFn: () => ipc.reviewReverse(userId),
    staleTime: REPORT_FRESH_MS,
  });
}

/** The exact request and the PowerShell Rust plans for this intention. */
export function useReversePreview(intention: ReverseIntention) {
  return useQuery<Awaited<ReturnType<typeof ipc.previewReverse>>, IpcError>({
    queryKey: reverseKeys.preview(intention),
    queryFn: () => ipc.previewReverse(intention),
  });
}

/** What is wrong with the typed UPN; `data` is null when nothing is. */
export function useUpnProblem(upn: string, domains: TenantDomain[]) {
  return useQuery<Awaited<ReturnType<typeof ipc.reverseUpnProblem>>, IpcError>({
    queryKey: reverseKeys.upnProblem(upn, domains),
    queryFn: () => ipc.reverseUpnProblem(upn, domains),
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}

/** What is wrong with the typed email; off while the admin keeps today's. */
export function useMailProblem(mail: string, domains: TenantDomain[], enabled: boolean) {
  return useQuery<Awaited<ReturnType<typeof ipc.reverseMailProblem>>, IpcError>({
    queryKey: reverseKeys.mailProblem(mail, domains),
    queryFn: () => ipc.reverseMailProblem(mail, domains),
    staleTime: Infinity,
    placeholderData: (previous) => previous,
    enabled,
  });
}

/** After the conversion: the user's reports and History are read again when next shown. */
export function useAfterReverse() {
  const client = useQueryClient();
  const afterWrite = useAfterWrite();
  return (userId: string) => {
    afterWrite(userId);
    void client.invalidateQueries({ queryKey: reverseKeys.report(userId) });
  };
}
