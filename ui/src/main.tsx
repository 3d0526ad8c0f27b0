import './index.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { initI18n } from './i18n';
import { type AppInfo, type IpcError, ipc } from './ipc';

// Ask the Rust side first (a local call, no network): the system language decides the UI's
// language before anything is drawn, so a Swedish workstation never flashes English.
const appInfo: { info?: AppInfo; error?: IpcError } = await ipc.appInfo().then(
  (info) => ({ info }),
  (error: IpcError) => ({ error }),
);
const systemLocale = appInfo.info?.systemLocale;
await initI18n([...(systemLocale ? [systemLocale] : []), ...navigator.languages]);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App {...appInfo} />
    </StrictMode>,
  );
}
