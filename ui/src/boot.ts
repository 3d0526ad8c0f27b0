// The page's first script, and a small one. With nothing set up and nothing saved, it shows the
// start screen prerendered into the page (prerendered.ts) at once; once it is painted it tells
// Rust and loads the app's code (main.tsx), which takes the screen over without redrawing it
// (loaded any sooner, the code runs before WebKit paints); what the admin clicks or types in
// between is held and replayed. Otherwise the app's code draws the first screen.
import { TRANSLATIONS } from './i18n/detect';
import { ipc } from './ipc';
import { afterPaint } from './painted';
import { holdInput, showPrerendered } from './prerendered';

const root = document.getElementById('root');
const language = root && showPrerendered(root);
if (root && language) {
  const held = holdInput(root);
  afterPaint(() => {
    ipc.firstScreenShown().catch(() => undefined);
    void TRANSLATIONS[language](); // beside the code, not after it
    void import('./main').then(({ start }) => start(root, held));
  });
} else if (root) {
  void import('./main').then(({ start }) => start(root, null));
}
