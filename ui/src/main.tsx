import { createDOMRenderer } from '@fluentui/react-components';
import { type Root as ReactRoot, createRoot, hydrateRoot } from 'react-dom/client';

import { Root } from './Root';
import { initI18n } from './i18n';
import { type AppInfo, type IpcError, ipc } from './ipc';
import { afterPaint } from './painted';
import { type HeldInput, prerenderedTakenOver, systemLanguages } from './prerendered';
import { preloadScreens } from './screens';
import { startFacts } from './start';

/**
 * Draws the app in `root`, or – when boot.ts showed the prerendered start screen (`held` is the
 * input held on it) – hydrates that screen, then gives the app what the admin did meanwhile.
 */
export async function start(root: HTMLElement, held: HeldInput | null): Promise<ReactRoot> {
  // The system language decides the UI's language before anything is drawn, so a Swedish
  // workstation never flashes English. Rust hands it over with the page (start.ts); only a page
  // without it (the UI in a plain browser) asks, which costs a round trip.
  const facts = startFacts();
  const appInfo: { info?: AppInfo; error?: IpcError } = facts
    ? { info: facts.appInfo }
    : await ipc.appInfo().then(
        (info) => ({ info }),
        (error: IpcError) => ({ error }),
      );
  await initI18n(systemLanguages(appInfo.info?.systemLocale));
  // Griffel's styles: those the page was built with are taken over, not inserted again.
  const renderer = createDOMRenderer();

  if (held) {
    let done = false;
    const hydrated = () => {
      if (done) return;
      done = true;
      prerenderedTakenOver(root);
      // Outside React's commit, so each replayed event is handled (and drawn) before the next.
      setTimeout(() => held.release());
      ipc.firstScreenReady().catch(() => undefined);
      void preloadScreens();
    };
    return hydrateRoot(root, <Root renderer={renderer} {...appInfo} onCommitted={hydrated} />, {
      // React then draws the page itself; what was held is replayed on the new elements.
      onRecoverableError: (error) => console.error('The prerendered start screen could not be hydrated', error),
    });
  }
  whenFirstScreenPainted(root, () => {
    // Rust logs how long the start took (for support, and `make bench`); a page without
    // Rust has nobody to tell.
    ipc
      .firstScreenShown()
      .then(() => ipc.firstScreenReady())
      .catch(() => undefined);
    void preloadScreens();
  });
  const drawn = createRoot(root);
  drawn.render(<Root renderer={renderer} {...appInfo} />);
  return drawn;
}

/**
 * Calls `then` once the first real screen – the start screen, or home when a sign-in resumed,
 * never the spinner before them – has been painted.
 */
function whenFirstScreenPainted(root: HTMLElement, then: () => void) {
  const firstScreens = '[data-testid="start-screen"], [data-testid="home-screen"]';
  const observer = new MutationObserver(() => {
    if (!root.querySelector(firstScreens)) return;
    observer.disconnect();
    afterPaint(then);
  });
  observer.observe(root, { childList: true, subtree: true });
}
