// What the Rust side knew when it made the page (src-tauri/src/commands/app.rs, `start_facts`),
// there before any script runs: the first screen is drawn from it without a round trip.
import type { AppInfo, SignInSetup } from './ipc';

export interface StartFacts {
  appInfo: AppInfo;
  /** Only on the page's first load; a reload asks again. */
  signIn?: {
    setup: SignInSetup;
    /** False when Rust knows, without asking the keyring, that no sign-in is saved. */
    saved: boolean;
  };
}

/** The facts, or undefined in a page without them (a plain browser, the tests). */
export function startFacts(): StartFacts | undefined {
  return (globalThis as { __REHOME_START__?: StartFacts }).__REHOME_START__;
}

/** Nothing set up: what Rust reports with no settings, no deployed file and no environment. */
export const NOTHING_SET_UP: SignInSetup = {
  cloud: 'global',
  tenant: 'organizations',
  clientIds: [],
  deployedPaths: [],
  problems: [],
};
