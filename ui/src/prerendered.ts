// The start screen as it is drawn with nothing set up, prerendered at build time (prerender.tsx)
// into the page as one <template> per language, shown by boot.ts before the app's code has loaded
// and then hydrated by main.tsx. Whatever else the start screen would show is drawn by React.
import { type Language, detectLanguage, readStoredLanguage } from './i18n/detect';
import type { SignInSetup } from './ipc';
import { NOTHING_SET_UP, type StartFacts, startFacts } from './start';
import { lookFor, storedAppearance, systemLookNow } from './theme/look';

export const templateId = (language: Language) => `start-${language}`;

/** The parts of the setup the start screen draws (the deployed paths are on another screen). */
const drawn = (setup: SignInSetup) => JSON.stringify([setup.cloud, setup.tenant, setup.clientIds, setup.problems]);

/**
 * True when the first screen drawn from these facts is the prerendered start screen word for
 * word: nothing saved to resume, nothing set up, and the build the template was made by
 * (`version`, from the template).
 */
export function drawsPrerendered(facts: StartFacts | undefined, version: string | undefined): boolean {
  const signIn = facts?.signIn;
  return !!signIn && !signIn.saved && facts.appInfo.version === version && drawn(signIn.setup) === drawn(NOTHING_SET_UP);
}

/** The languages the app starts in, best first: the OS locale (from Rust), then the webview's. */
export function systemLanguages(systemLocale: string | null | undefined): string[] {
  return [...(systemLocale ? [systemLocale] : []), ...navigator.languages];
}

/**
 * Puts the prerendered start screen in `root`, in the language and look the app itself would
 * choose, if it is what the app would draw first. Returns the language it is in, or null.
 */
export function showPrerendered(root: HTMLElement, facts: StartFacts | undefined = startFacts()): Language | null {
  const language = detectLanguage(readStoredLanguage(), systemLanguages(facts?.appInfo.systemLocale));
  const template = document.getElementById(templateId(language));
  if (!(template instanceof HTMLTemplateElement) || !drawsPrerendered(facts, template.dataset.version)) return null;
  const look = lookFor(storedAppearance(), systemLookNow());
  const html = document.documentElement;
  html.lang = language;
  // The theme's colours come from the page's stylesheet for this look until Fluent's own are in.
  html.dataset.look = look;
  if (facts?.appInfo.os === 'linux') html.dataset.os = 'linux';
  html.style.colorScheme = look === 'light' ? 'light' : 'dark';
  const screen = template.content.cloneNode(true) as DocumentFragment;
  // The one attribute of the page that says the look (React does not correct attributes it hydrates).
  screen.querySelector<HTMLElement>('[data-theme]')?.setAttribute('data-theme', look);
  root.replaceChildren(screen);
  root.dataset.prerendered = language;
  return language;
}

/** The prerendered screen has been hydrated: Fluent's theme is in, the page's own look rules go. */
export function prerenderedTakenOver(root: HTMLElement) {
  const html = document.documentElement;
  delete html.dataset.look;
  delete html.dataset.os;
  for (const template of document.querySelectorAll('template[id^="start-"]')) template.remove();
  root.dataset.prerendered = 'hydrated';
}

/** What the admin did on the prerendered screen before the app's code listened. */
export interface HeldInput {
  /** Once hydrated: stops holding, tells the app of each field and radio changed meanwhile,
   * then makes each held click again, each after the app has handled the last. */
  release(): void;
}

/**
 * Holds what the admin does on the prerendered screen until the app's code has taken it over,
 * so nothing done in that moment is lost or half done. Fields and radios work at once (they are
 * the browser's own) and what is in them is handed to the app; a click on a button or link is
 * held – also while React hydrates, which it does in slices, between which a click would reach
 * elements it does not know yet – and made again. Focus and scrolling need no code.
 */
export function holdInput(root: HTMLElement): HeldInput {
  const clicks: HTMLElement[] = [];
  const onClick = (event: MouseEvent) => {
    const action = event.target instanceof Element ? event.target.closest<HTMLElement>('button, a') : null;
    if (!action) return;
    event.preventDefault();
    // React listens on the root too, once hydrating: it must not see the click twice.
    event.stopImmediatePropagation();
    clicks.push(action);
  };
  // Fluent draws its focus rings on attributes its own code sets (on the control, and on each
  // element around it that draws the ring for it, like a radio's); until that code is there,
  // they are set where the browser would show keyboard focus.
  const ringed = (target: EventTarget | null) => {
    const around: Element[] = [];
    for (let at = target instanceof Element ? target.parentElement : null; at && at !== root; at = at.parentElement) around.push(at);
    return around;
  };
  const onFocusIn = (event: FocusEvent) => {
    if (!(event.target instanceof HTMLElement) || !event.target.matches(':focus-visible')) return;
    event.target.setAttribute(FOCUS_VISIBLE, '');
    for (const element of ringed(event.target)) element.setAttribute(FOCUS_WITHIN, '');
  };
  const onFocusOut = (event: FocusEvent) => {
    if (!(event.target instanceof HTMLElement)) return;
    event.target.removeAttribute(FOCUS_VISIBLE);
    for (const element of ringed(event.target)) element.removeAttribute(FOCUS_WITHIN);
  };
  const listeners = [
    ['click', onClick],
    ['focusin', onFocusIn],
    ['focusout', onFocusOut],
  ] as const;
  for (const [type, listener] of listeners) root.addEventListener(type, listener as EventListener, true);
  return {
    release() {
      for (const [type, listener] of listeners) root.removeEventListener(type, listener as EventListener, true);
      for (const element of root.querySelectorAll(`[${FOCUS_VISIBLE}], [${FOCUS_WITHIN}]`)) {
        element.removeAttribute(FOCUS_VISIBLE);
        element.removeAttribute(FOCUS_WITHIN);
      }
      const steps = [...handOverEdits(root), ...clicks.map((action) => () => now(root, action).click())];
      const next = () => {
        steps.shift()?.();
        if (steps.length > 0) setTimeout(next);
      };
      setTimeout(next);
    },
  };
}

/** The attributes Fluent's focus polyfills set (@fluentui/react-tabster). */
const FOCUS_VISIBLE = 'data-fui-focus-visible';
const FOCUS_WITHIN = 'data-fui-focus-within';

/**
 * React hydrates a field as the admin left it, but its state is still what was prerendered (the
 * field's default, which React has just set from that state): each field and radio changed is
 * put back through React's value tracker, then changed again the way typing or a click does, so
 * React hears it. Returns those steps.
 */
function handOverEdits(root: HTMLElement): (() => void)[] {
  const edited = [...root.querySelectorAll('input')].filter((input) =>
    isCheckable(input) ? input.checked !== input.defaultChecked : input.value !== input.defaultValue,
  );
  return edited.flatMap((input): (() => void)[] => {
    // A radio unticked because another was ticked needs nothing of its own.
    if (input.type === 'radio' && !input.checked) return [];
    if (isCheckable(input)) {
      return [
        () => {
          const box = now(root, input);
          box.checked = box.defaultChecked;
          box.click();
        },
      ];
    }
    const typed = input.value;
    return [
      () => {
        const field = now(root, input);
        field.value = field.defaultValue;
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(field, typed);
        field.dispatchEvent(new Event('input', { bubbles: true }));
      },
    ];
  });
}

/** The element as it is now: the same one once hydrated, or its redrawn twin (by test id) if
 * React had to draw the page itself. */
function now<T extends HTMLElement>(root: HTMLElement, element: T): T {
  if (element.isConnected) return element;
  const id = element.dataset.testid;
  return (id && root.querySelector<T>(`[data-testid="${id}"]`)) || element;
}

const isCheckable = (input: HTMLInputElement) => input.type === 'radio' || input.type === 'checkbox';
