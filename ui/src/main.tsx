import './index.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { initI18n } from './i18n';
import { type AppInfo, type IpcError, ipc } from './ipc';
import { preloadScreens } from './screens';
import { startFacts } from './start';

// The system language decides the UI's language before anything is drawn, so a Swedish
// workstation never flashes English. Rust hands it over with the page (start.ts); only a page
// without it (the UI in a plain browser) asks, which costs a round trip.
const given = startFacts()?.appInfo;
const appInfo: { info?: AppInfo; error?: IpcError } = given
  ? { info: given }
  : await ipc.appInfo().then(
      (info) => ({ info }),
      (error: IpcError) => ({ error }),
    );
const systemLocale = appInfo.info?.systemLocale;
await initI18n([...(systemLocale ? [systemLocale] : []), ...navigator.languages]);

const root = document.getElementById('root');
if (root) {
  whenFirstScreenPainted(root, () => {
    // Rust logs how long the start took (for support, and `make bench`); a page without
    // Rust has nobody to tell.
    ipc.firstScreenShown().catch(() => undefined);
    void preloadScreens();
  });
  createRoot(root).render(
    <StrictMode>
      <App {...appInfo} />
    </StrictMode>,
  );
}

/**
 * Calls `then` once the first real screen – the start screen, or home when a sign-in resumed,
 * never the spinner before them – has been painted: two animation frames after it is in the page.
 */
function whenFirstScreenPainted(root: HTMLElement, then: () => void) {
  const firstScreens = '[data-testid="start-screen"], [data-testid="home-screen"]';
  const observer = new MutationObserver(() => {
    if (!root.querySelector(firstScreens)) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(then));
  });
  observer.observe(root, { childList: true, subtree: true });
}
