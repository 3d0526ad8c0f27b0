import { useCallback, useEffect, useRef, useState } from 'react';

import {
  type CloudId,
  type IpcError,
  type Profile,
  type SignInMethod,
  type SignInPrompt,
  type SignInRequest,
  type SignInSetup,
  ipc,
} from '../../ipc';
import { currentLanguage } from '../../i18n';
import { NOTHING_SET_UP, startFacts } from '../../start';

/** Where the admin is in signing in. */
export type Phase =
  | { kind: 'resuming' }
  | { kind: 'signedOut'; error?: IpcError }
  | { kind: 'waiting'; method: SignInMethod; sample: boolean; prompt?: SignInPrompt; promptedAt?: number }
  | { kind: 'signedIn'; profile: Profile; error?: IpcError }
  | { kind: 'appRegistration' };

export interface SignInChoice {
  method: SignInMethod;
  cloud: CloudId;
  tenant: string;
  clientId: string;
}


/** The sign-in journey: resume on start, the three methods, the sample, cancel, sign out. */
export function useSignIn() {
  // With nothing saved (Rust knew it without the keyring), the start screen is the first screen.
  const [start] = useState(() => startFacts()?.signIn);
  const [phase, setPhase] = useState<Phase>(start?.saved === false ? { kind: 'signedOut' } : { kind: 'resuming' });
  const [setup, setSetup] = useState<SignInSetup | undefined>(start?.setup);
  const lastRequest = useRef<SignInRequest>(undefined);

  useEffect(() => {
    if (start?.saved === false) return;
    if (!start) {
      ipc.signInSetup().then(setSetup, (error: IpcError) => {
        setSetup(NOTHING_SET_UP); // the settings could not be read
        setPhase({ kind: 'signedOut', error });
      });
    }
    ipc.resumeSignIn().then(
      (profile) => setPhase(profile ? { kind: 'signedIn', profile } : { kind: 'signedOut' }),
      (error: IpcError) => setPhase({ kind: 'signedOut', error }),
    );
  }, [start]);

  const run = useCallback(async (request: SignInRequest) => {
    lastRequest.current = request;
    const sample = request.cloud === 'sample';
    setPhase({ kind: 'waiting', method: request.method, sample });
    try {
      const profile = await ipc.signIn(request, (prompt) =>
        setPhase({ kind: 'waiting', method: request.method, sample, prompt, promptedAt: Date.now() }),
      );
      setPhase({ kind: 'signedIn', profile });
    } catch (error) {
      const failure = error as IpcError;
      // Cancelling is the admin's own choice: back to the start, no error to read.
      setPhase({ kind: 'signedOut', error: failure.code === 'signInCancelled' ? undefined : failure });
    }
  }, []);

  /** Signs in to the chosen organisation, remembering a changed tenant or client ID. */
  const signIn = useCallback(
    async ({ method, cloud, tenant, clientId }: SignInChoice) => {
      const known = setup?.clientIds.find((entry) => entry.cloud === cloud)?.clientId ?? '';
      if (clientId.trim() !== known || tenant.trim() !== setup?.tenant || cloud !== setup?.cloud) {
        const settings = { cloud, tenant: tenant.trim(), clientIds: clientId.trim() ? { [cloud]: clientId.trim() } : {} };
        try {
          setSetup(await ipc.saveSignInSettings(settings));
        } catch (error) {
          setPhase({ kind: 'signedOut', error: error as IpcError });
          return;
        }
      }
      await run({ method, cloud, tenant, clientId: clientId.trim() || undefined, language: currentLanguage() });
    },
    [run, setup],
  );

  const trySample = useCallback(
    (method: SignInMethod = 'browser') =>
      run({ method, cloud: 'sample', tenant: 'organizations', language: currentLanguage() }),
    [run],
  );

  /** The keyring is unavailable: stay signed in for this run, then try the same sign-in again. */
  const keepForThisRun = useCallback(async () => {
    await ipc.keepSignInForThisRun();
    if (lastRequest.current) await run(lastRequest.current);
    else setPhase({ kind: 'signedOut' });
  }, [run]);

  const cancel = useCallback(() => void ipc.cancelSignIn(), []);

  const signOut = useCallback(async () => {
    try {
      await ipc.signOut();
      setPhase({ kind: 'signedOut' });
    } catch (error) {
      setPhase((current) => (current.kind === 'signedIn' ? { ...current, error: error as IpcError } : current));
    }
  }, []);

  const showAppRegistration = useCallback(() => setPhase({ kind: 'appRegistration' }), []);
  const backToStart = useCallback(() => setPhase({ kind: 'signedOut' }), []);

  return { phase, setup, signIn, trySample, keepForThisRun, cancel, signOut, showAppRegistration, backToStart };
}
