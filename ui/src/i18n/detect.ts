// Which language Rehome speaks, and where its texts are, without i18next: the page's boot script (boot.ts) picks
// the prerendered start screen's language with it, and i18next (index.ts) starts in the same one.

export const LANGUAGES = ['en', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

export const STORAGE_KEY = 'rehome.language';

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language);
}

/** The remembered choice, else the first OS/browser language we have, else English. */
export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function readStoredLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage can be disabled; the OS language still applies
  }
}

/** Each language's texts, a chunk of its own (fetched once, however often asked for). */
export const TRANSLATIONS: Record<Language, () => Promise<{ default: object }>> = {
  en: () => import('./locales/en.json'),
  sv: () => import('./locales/sv.json'),
};
