import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import i18n from '../../i18n';
import { WaitingForMail } from './WaitingForMail';

describe('WaitingForMail', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    clearMocks();
  });

  it('counts down to the next attempt and asks Rust to stop waiting', async () => {
    const calls: unknown[] = [];
    mockIPC((command, args) => {
      calls.push([command, args]);
      return true;
    });
    render(<WaitingForMail wait={{ step: 'waitingForMail', seconds: 10, attempt: 2, attempts: 12 }} email="astrid.berg@northwind.example" userId="u-1" />);
    expect(screen.getByTestId('waiting-countdown')).toHaveTextContent('Next try in 10 seconds (attempt 2 of 12).');
    act(() => vi.advanceTimersByTime(9_000));
    expect(screen.getByTestId('waiting-countdown')).toHaveTextContent('Next try in 1 second (attempt 2 of 12).');
    act(() => vi.advanceTimersByTime(5_000));
    expect(screen.getByTestId('waiting-countdown')).toHaveTextContent('Next try in 0 seconds');

    fireEvent.click(screen.getByTestId('stop-waiting'));
    expect(calls).toEqual([['stop_waiting', { userId: 'u-1' }]]);
    expect(screen.getByTestId('stop-waiting')).toBeDisabled();
  });

  it('says so in Swedish', async () => {
    await i18n.changeLanguage('sv');
    render(<WaitingForMail wait={{ step: 'waitingForMail', seconds: 5, attempt: 1, attempts: 12 }} email="a@b.example" userId="u-1" />);
    expect(screen.getByTestId('waiting-countdown')).toHaveTextContent('Nytt försök om 5 sekunder (försök 1 av 12).');
    expect(screen.getByTestId('stop-waiting')).toHaveTextContent('Sluta vänta');
  });
});
