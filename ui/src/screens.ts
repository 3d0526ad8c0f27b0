// The screens that come after the start screen, each in a chunk of its own, so the first paint
// waits only for the start screen's code. Once that is painted, `preloadScreens` fetches the rest
// in the background (main.tsx), so a later screen opens at once.
import { lazy } from 'react';

import { loadLanguageMenu } from './components/LanguageMenu';

const chunks = {
  signedIn: () => import('./SignedIn'),
  home: () => import('./features/home/HomeScreen'),
  review: () => import('./features/review/ReviewScreen'),
  message: () => import('./features/convert/MessageScreen'),
  confirm: () => import('./features/convert/ConfirmScreen'),
  result: () => import('./features/convert/ResultScreen'),
  history: () => import('./features/history/HistoryScreen'),
  reverse: () => import('./features/reverse/ReverseJourney'),
  batch: () => import('./features/batch/BatchJourney'),
  settings: () => import('./features/settings/SettingsScreen'),
  waiting: () => import('./features/sign-in/WaitingScreen'),
  appRegistration: () => import('./features/sign-in/AppRegistrationScreen'),
};

// The signed-in part opens on home: both are fetched at once, not one after the other.
export const SignedIn = lazy(() =>
  Promise.all([chunks.signedIn(), chunks.home()]).then(([m]) => ({ default: m.SignedIn })),
);
export const HomeScreen = lazy(() => chunks.home().then((m) => ({ default: m.HomeScreen })));
export const ReviewScreen = lazy(() => chunks.review().then((m) => ({ default: m.ReviewScreen })));
export const MessageScreen = lazy(() => chunks.message().then((m) => ({ default: m.MessageScreen })));
export const ConfirmScreen = lazy(() => chunks.confirm().then((m) => ({ default: m.ConfirmScreen })));
export const ResultScreen = lazy(() => chunks.result().then((m) => ({ default: m.ResultScreen })));
export const HistoryScreen = lazy(() => chunks.history().then((m) => ({ default: m.HistoryScreen })));
export const ReverseJourney = lazy(() => chunks.reverse().then((m) => ({ default: m.ReverseJourney })));
export const BatchJourney = lazy(() => chunks.batch().then((m) => ({ default: m.BatchJourney })));
export const SettingsScreen = lazy(() => chunks.settings().then((m) => ({ default: m.SettingsScreen })));
export const WaitingScreen = lazy(() => chunks.waiting().then((m) => ({ default: m.WaitingScreen })));
export const AppRegistrationScreen = lazy(() =>
  chunks.appRegistration().then((m) => ({ default: m.AppRegistrationScreen })),
);

/** Fetches every screen's chunk; resolves when all are in (a failed one is fetched again when shown). */
export async function preloadScreens(): Promise<void> {
  await Promise.all([...Object.values(chunks), loadLanguageMenu].map((load) => load().catch(() => undefined)));
}
