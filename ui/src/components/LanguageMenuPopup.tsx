// The language menu's list: Fluent's Menu, with its positioning and keyboard handling. A chunk of
// its own, fetched after the first screen is painted (LanguageMenu.tsx).
import {
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  useMenuContext_unstable,
  type MenuProps,
} from '@fluentui/react-components';
import { type RefObject, useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, changeLanguage, type Language } from '../i18n';

interface Props {
  /** The header's language button: the menu opens below it and gives the focus back to it. */
  trigger: RefObject<HTMLButtonElement | null>;
  language: Language;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function LanguageMenuPopup({ trigger, language, open, onOpenChange }: Props) {
  const { t } = useTranslation();
  const onChange: MenuProps['onCheckedValueChange'] = (_event, { checkedItems }) => {
    const picked = checkedItems[0] as Language | undefined;
    if (picked) void changeLanguage(picked);
  };
  return (
    <Menu
      open={open}
      onOpenChange={(_event, data) => onOpenChange(data.open)}
      checkedValues={{ language: [language] }}
      onCheckedValueChange={onChange}
    >
      <Trigger element={trigger} />
      <MenuPopover>
        <MenuList aria-labelledby={trigger.current?.id}>
          {LANGUAGES.map((code) => (
            <MenuItemRadio key={code} name="language" value={code} data-testid={`language-option-${code}`}>
              {t(`language.${code}`)}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/**
 * Tells the Menu which element is its trigger, as a MenuTrigger would: it is placed below it,
 * a click on it is not a click outside, and the focus returns to it when the menu closes.
 */
function Trigger({ element }: { element: RefObject<HTMLButtonElement | null> }) {
  const triggerRef = useMenuContext_unstable((context) => context.triggerRef);
  useLayoutEffect(() => {
    const setTrigger = triggerRef as unknown as (node: HTMLElement | null) => void;
    setTrigger(element.current);
  }, [triggerRef, element]);
  return null;
}
