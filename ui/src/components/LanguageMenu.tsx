import { Button } from '@fluentui/react-components';
import { GlobeRegular } from '@fluentui/react-icons';
import { type KeyboardEvent, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

import { currentLanguage } from '../i18n';

// Fluent's Menu (its positioning code, and Tabster, which it sets up as it mounts) would cost the
// first paint more than the rest of the header. So the button is here from the start and the
// menu's code is fetched after the first screen is painted (`loadLanguageMenu`, from
// preloadScreens), or at the first click, whichever comes first. The button itself never changes.
type Popup = typeof import('./LanguageMenuPopup');
let popup: Popup | undefined;
const listeners = new Set<() => void>();

export async function loadLanguageMenu(): Promise<void> {
  if (popup) return;
  popup = await import('./LanguageMenuPopup');
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function LanguageMenu() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const loaded = useSyncExternalStore(subscribe, () => popup, () => popup);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  const show = () => {
    setOpen(true);
    void loadLanguageMenu();
  };
  // As Fluent's MenuTrigger: a click toggles, Arrow Down opens.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      show();
    }
  };
  return (
    <>
      <Button
        ref={button}
        id={id}
        appearance="primary"
        icon={<GlobeRegular />}
        data-testid="language-menu"
        aria-haspopup="menu"
        aria-expanded={open || undefined}
        aria-label={t('language.menuLabel', { current: t(`language.${language}`) })}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={onKeyDown}
      >
        {t(`language.${language}`)}
      </Button>
      {loaded && <loaded.LanguageMenuPopup trigger={button} language={language} open={open} onOpenChange={setOpen} />}
    </>
  );
}
