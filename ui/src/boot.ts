// The page's first script, and a small one. With nothing set up and nothing saved, it shows the
// start screen prerendered into the page (prerendered.ts) at once; once it is painted it tells
// Rust and loads the app's code (main.tsx), which takes the screen over without redrawing it
// (loaded any sooner, the code runs before WebKit paints); what the admin clicks or types in
// between is held and replayed. Otherwise the app's code draws the first screen.

// The app's few page-wide rules, in the page before the first paint.
import './index.css';

import { TRANSLATIONS } from './i18n/detect';
import { ipc } from './ipc';
import { afterPaint } from './painted';
import { holdInput, showPrerendered } from './prerendered';

const root = document.getElementById('root');
const language = root && showPrerendered(root);
if (root && language) {
  const held = holdInput(root);
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    TRANSLATIONS[language]().catch(() => undefined); // beside the code, not after it
    void import('./main').then(({ start }) => start(root, held));
  };
  afterPaint(() => {
    ipc.firstScreenShown().catch(() => undefined);
    load();
  });
  // A window that is not shown (minimised, on another workspace) never paints: load anyway.
  setTimeout(load, 1000);
} else if (root) {
  void import('./main').then(({ start }) => start(root, null));
}
