import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';

import { createQueryClient } from '../ipc/queries';

/** Renders `ui` as the signed-in app does: with a fresh cache of Rust's answers. */
export function renderWithQueries(ui: ReactElement) {
  return render(<QueryClientProvider client={createQueryClient()}>{ui}</QueryClientProvider>);
}
