// i18next set-up: English and Swedish from day one. The language follows the operating system
// until the admin picks one in the app; the pick is remembered on this workstation.
// `initI18n` runs once, before the first render, with the system's languages.
// Each language is a chunk of its own, fetched when first needed: the active one at start, the
// other when the admin switches (i18next waits for it before it switches).
import i18n, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';

import { LANGUAGES, type Language, STORAGE_KEY, TRANSLATIONS, detectLanguage, isLanguage, readStoredLanguage } from './detect';

export { LANGUAGES, type Language, detectLanguage } from './detect';

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

export async function changeLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still switched for this run.
  }
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

/** Hands i18next a language's texts when it first asks for them. */
export const onDemand: BackendModule = {
  type: 'backend',
  callbackApi: false,
  init() {},
  read: (language: string) =>
    isLanguage(language)
      ? TRANSLATIONS[language]().then((module) => module.default)
      : Promise.reject(new Error(`Rehome has no ${language} texts`)),
};

/** `systemLanguages`: the OS locale (from Rust) first, then what the webview reports. */
export async function initI18n(systemLanguages: readonly string[]): Promise<void> {
  await i18n.use(onDemand).use(initReactI18next).init({
    lng: detectLanguage(readStoredLanguage(), systemLanguages),
    // No fallback language: it would be fetched too, and both languages have every key (the
    // translations test checks it).
    fallbackLng: false,
    supportedLngs: LANGUAGES,
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
    // Ask for the texts now, not after a timer: the first screen waits for them.
    initAsync: false,
  });
}

export default i18n;
