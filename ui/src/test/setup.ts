import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll } from 'vitest';

import { initI18n } from '../i18n';

beforeAll(() => initI18n(['en']));
afterEach(() => cleanup());

// jsdom has no layout, so no ResizeObserver; Fluent's MessageBar needs the constructor to exist.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver;
