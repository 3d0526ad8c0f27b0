import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The attributes a person reads or hears; a literal in one of them is a missing translation. */
export const READABLE_ATTRIBUTES = ['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label'];

export default defineConfig(
  { ignores: ['dist/', '.prerender/', 'src/ipc/generated/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs['recommended-latest'].rules,
    languageOptions: { globals: globals.browser },
  },
  {
    // One doorway to the Rust side: only ui/src/ipc/ may import Tauri's packages.
    // Tests may play the Rust side with @tauri-apps/api/mocks.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ipc/**', 'src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tauri-apps/*'], message: 'Only ui/src/ipc/ talks to Tauri: call ipc.* from there.' },
          ],
        },
      ],
    },
  },
  {
    // Every string a person sees goes through i18next (English and Swedish).
    files: ['src/**/*.tsx'],
    ignores: ['src/**/*.test.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        { mode: 'jsx-only', 'jsx-attributes': { include: READABLE_ATTRIBUTES } },
      ],
    },
  },
  { files: ['*.config.*'], languageOptions: { globals: globals.node } },
  // Browser tests: Node code that also hands functions to the page (window, axe).
  { files: ['tests/**/*.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser, axe: 'readonly' } } },
);
