import { useCallback, useEffect, useRef, useState } from 'react';

import { ipc, type IpcError, type UserRow } from '../../ipc';

/** How long typing must pause before a search is sent. */
export const SEARCH_DELAY_MS = 200;

export interface SearchState {
  status: 'idle' | 'searching' | 'done' | 'error';
  rows: UserRow[];
  count: number | null;
  nextLink: string | null;
  loadingMore: boolean;
  error?: IpcError;
}

const IDLE: SearchState = { status: 'idle', rows: [], count: null, nextLink: null, loadingMore: false };

/**
 * Results as the admin types: one request per pause in typing, and only the newest answer is
 * ever shown (Rust cancels the older request; `generation` guards against a late answer).
 */
export function useUserSearch(query: string) {
  const [state, setState] = useState<SearchState>(IDLE);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    if (!query.trim()) {
      // Clears in Rust too: whatever is still in flight is cancelled.
      ipc.searchUsers('').catch(() => undefined);
      return;
    }
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, status: 'searching', loadingMore: false }));
      ipc.searchUsers(query).then(
        (page) => {
          if (mine !== generation.current) return;
          setState({ status: 'done', rows: page.rows, count: page.count, nextLink: page.nextLink, loadingMore: false });
        },
        (error: IpcError) => {
          if (mine !== generation.current || error.code === 'superseded') return;
          setState({ ...IDLE, status: 'error', error });
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const showMore = useCallback(() => {
    const link = state.nextLink;
    if (!link || state.loadingMore) return;
    const mine = generation.current;
    setState((s) => ({ ...s, loadingMore: true }));
    ipc.moreUsers(link).then(
      (page) => {
        if (mine !== generation.current) return;
        setState((s) => ({ ...s, rows: [...s.rows, ...page.rows], nextLink: page.nextLink, loadingMore: false }));
      },
      (error: IpcError) => {
        if (mine !== generation.current || error.code === 'superseded') return;
        setState((s) => ({ ...s, loadingMore: false, error }));
      },
    );
  }, [state.nextLink, state.loadingMore]);

  // An empty box shows nothing, whatever an earlier query found.
  return { ...(query.trim() ? state : IDLE), showMore };
}
