// The page's first script, and a small one. With nothing set up and nothing saved, it shows the
// start screen prerendered into the page (prerendered.ts) at once, tells Rust it is on screen,
// and only then loads the app's code (main.tsx), which takes the screen over without redrawing
// it; what the admin clicks or types in between is held and replayed. Otherwise it loads the
// app's code straight away, and that draws the first screen.
import { TRANSLATIONS } from './i18n/detect';
import { ipc } from './ipc';
import { holdInput, showPrerendered } from './prerendered';

const root = document.getElementById('root');
const language = root && showPrerendered(root);
if (root && language) {
  const held = holdInput(root);
  const main = import('./main');
  void TRANSLATIONS[language]();
  // Two animation frames: the screen has been painted.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      ipc.firstScreenShown().catch(() => undefined);
      void main.then(({ start }) => start(root, held));
    }),
  );
} else if (root) {
  void import('./main').then(({ start }) => start(root, null));
}
