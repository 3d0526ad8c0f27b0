import {
  Button,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  type MenuProps,
} from '@fluentui/react-components';
import { GlobeRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, changeLanguage, currentLanguage, type Language } from '../i18n';

export function LanguageMenu() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const onChange: MenuProps['onCheckedValueChange'] = (_event, { checkedItems }) => {
    const picked = checkedItems[0] as Language | undefined;
    if (picked) void changeLanguage(picked);
  };
  return (
    <Menu checkedValues={{ language: [language] }} onCheckedValueChange={onChange}>
      <MenuTrigger disableButtonEnhancement>
        <Button
          appearance="primary"
          icon={<GlobeRegular />}
          data-testid="language-menu"
          aria-label={t('language.menuLabel', { current: t(`language.${language}`) })}
        >
          {t(`language.${language}`)}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
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
