import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import en from '../../i18n/locales/en.json';
import type { SearchPage, UserRow } from '../../ipc';
import { SearchPanel } from './SearchPanel';
import { SEARCH_DELAY_MS } from './useUserSearch';

/** The clock is Vitest's: waiting is advancing it, so no test depends on how busy the machine is. */
const sleep = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

function row(name: string, extra: Partial<UserRow> = {}): UserRow {
  const alias = name.toLowerCase().replace(' ', '.');
  return {
    id: `id-${alias}`,
    displayName: name,
    userPrincipalName: `${alias}@contoso-sample.se`,
    mail: `${alias}@fabrikam.com`,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    externalUserState: null,
    creationType: null,
    accountEnabled: true,
    ...extra,
  };
}

const page = (rows: UserRow[], count: number | null = rows.length): SearchPage => ({ rows, count, nextLink: null });

/** The Rust side: `answer` decides each search; every query sent is recorded. */
function backend(answer: (query: string) => Promise<SearchPage> | SearchPage) {
  const queries: string[] = [];
  mockIPC((command, args) => {
    if (command !== 'search_users') return null;
    const query = (args as { query: string }).query;
    queries.push(query);
    return answer(query);
  });
  return queries;
}

function Harness({ onOpen = () => {} }: { onOpen?: (user: UserRow) => void }) {
  const [query, setQuery] = useState('');
  return <SearchPanel query={query} onQueryChange={setQuery} onOpen={onOpen} />;
}

const box = () => screen.getByTestId('search-box').querySelector('input') ?? screen.getByTestId('search-box');
const type = (text: string) => fireEvent.change(box(), { target: { value: text } });

beforeEach(async () => {
  await i18n.changeLanguage('en');
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe('SearchPanel', () => {
  it('sends one search for a burst of eight keystrokes typed 50 ms apart', async () => {
    const queries = backend(() => page([row('Oscar Ward')]));
    render(<Harness />);
    const typed = 'oscar wa';
    for (let i = 1; i <= typed.length; i++) {
      type(typed.slice(0, i));
      await sleep(50);
    }
    await sleep(SEARCH_DELAY_MS);
    expect(screen.getByText('Oscar Ward')).toBeInTheDocument();
    expect(queries.filter((q) => q.trim())).toEqual(['oscar wa']);
    expect(screen.getByTestId('result-count')).toHaveTextContent('Showing 1 of 1');
  });

  it("never shows a slower typist's older answer, even when it arrives last", async () => {
    let releaseOld: (page: SearchPage) => void = () => {};
    backend((query) =>
      query === 'an' ? new Promise<SearchPage>((resolve) => (releaseOld = resolve)) : page([row('Anna Lindqvist')]),
    );
    render(<Harness />);
    type('an');
    await sleep(SEARCH_DELAY_MS + 50);
    type('anna');
    await sleep(SEARCH_DELAY_MS);
    expect(screen.getByText('Anna Lindqvist')).toBeInTheDocument();
    releaseOld(page([row('Anders Berg'), row('Anneli Ek')]));
    await sleep(0);
    expect(screen.queryByText('Anders Berg')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('search-row')).toHaveLength(1);
  });

  it('ignores a superseded answer and explains a throttled one', async () => {
    backend((query) => {
      if (query === 'ol') throw { code: 'superseded', message: 'A newer search replaced this one.' };
      if (query === 'olle') throw { code: 'throttled', message: 'Too many requests' };
      return page([]);
    });
    render(<Harness />);
    type('ol');
    await sleep(SEARCH_DELAY_MS + 50);
    expect(screen.queryByTestId('error-message')).not.toBeInTheDocument();
    type('olle');
    await sleep(SEARCH_DELAY_MS);
    expect(screen.getByTestId('error-message')).toHaveAttribute('data-code', 'throttled');
    type('zz');
    await sleep(SEARCH_DELAY_MS);
    expect(screen.getByTestId('no-results')).toHaveTextContent('No one in the directory matches “zz”');
  });

  it('moves with the arrow keys, opens with Enter and clears with Esc', async () => {
    backend(() => page([row('Oscar Ward'), row('Åsa Ödman', { onPremisesSyncEnabled: true, accountEnabled: false })], 321));
    const onOpen = vi.fn();
    render(<Harness onOpen={onOpen} />);
    type('a');
    await sleep(SEARCH_DELAY_MS);
    expect(screen.getByText('Åsa Ödman')).toBeInTheDocument();
    expect(screen.getByTestId('result-count')).toHaveTextContent('Showing 2 of 321');
    const second = screen.getAllByTestId('search-row')[1]!;
    expect(second).toHaveTextContent(en.search.badge.synced);
    expect(second).toHaveTextContent(en.search.badge.disabled);
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(second).toHaveAttribute('aria-selected', 'true');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ displayName: 'Åsa Ödman' }));
    fireEvent.keyDown(box(), { key: 'Escape' });
    await sleep(0);
    expect(screen.queryByTestId('search-results')).not.toBeInTheDocument();
    expect(screen.getByText(en.search.hint)).toBeInTheDocument();
  });
});
