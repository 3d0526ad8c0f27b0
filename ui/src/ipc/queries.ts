/**
 * Server state through TanStack Query: one key per thing Rust answers, so each screen reads the
 * same cache, a newer key's answer is the only one shown, and errors arrive as the `IpcError`
 * the doorway already made – never wrapped again.
 */
import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';

import { ipc, type IpcError, type Intention } from './index';

/** As long as Rust keeps a review before reading the user again (REVIEW_MAX_AGE). */
const REVIEW_FRESH_MS = 5 * 60 * 1000;

export const queryKeys = {
  review: (userId: string, email: string | null) => ['review', userId, email] as const,
  reviewsOf: (userId: string) => ['review', userId] as const,
  preview: (intention: Intention) => ['preview', intention] as const,
  history: ['history'] as const,
  templates: ['templates'] as const,
  settings: ['settings'] as const,
  signInSetup: ['signInSetup'] as const,
};

export function createQueryClient() {
  return new QueryClient({
    // Rust retries what is worth retrying (throttling) and says why anything else failed.
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
}

/** The eligibility report for one user and address; going back to it reads nothing again. */
export function useReview(userId: string, email: string | null) {
  return useQuery<Awaited<ReturnType<typeof ipc.reviewUser>>, IpcError>({
    queryKey: queryKeys.review(userId, email),
    queryFn: () => ipc.reviewUser(userId, email),
    staleTime: REVIEW_FRESH_MS,
    placeholderData: (previous) => previous,
  });
}

/** The plan Rust builds for this intention, with its requests and what the message lacks. */
export function usePreview(intention: Intention) {
  return useQuery<Awaited<ReturnType<typeof ipc.previewConversion>>, IpcError>({
    queryKey: queryKeys.preview(intention),
    queryFn: () => ipc.previewConversion(intention),
    placeholderData: (previous) => previous,
  });
}

export function useHistory() {
  return useQuery<Awaited<ReturnType<typeof ipc.history>>, IpcError>({ queryKey: queryKeys.history, queryFn: ipc.history });
}

export function useTemplates() {
  return useQuery<Awaited<ReturnType<typeof ipc.templates>>, IpcError>({ queryKey: queryKeys.templates, queryFn: ipc.templates });
}

export function useSettingsOverview() {
  return useQuery<Awaited<ReturnType<typeof ipc.settingsOverview>>, IpcError>({
    queryKey: queryKeys.settings,
    queryFn: ipc.settingsOverview,
  });
}

export function useSignInSetup() {
  return useQuery<Awaited<ReturnType<typeof ipc.signInSetup>>, IpcError>({
    queryKey: queryKeys.signInSetup,
    queryFn: ipc.signInSetup,
  });
}

/** After a write, what it changed is read again when next shown. */
export function useAfterWrite() {
  const client = useQueryClient();
  return (userId: string) => {
    void client.invalidateQueries({ queryKey: queryKeys.reviewsOf(userId) });
    void client.invalidateQueries({ queryKey: queryKeys.history });
  };
}
