import { type GriffelRenderer, RendererProvider } from '@fluentui/react-components';
import { StrictMode, useEffect } from 'react';

import { App } from './App';
import type { AppInfo, IpcError } from './ipc';

/**
 * The whole page: the same tree whether it is drawn in the page (main.tsx) or prerendered at
 * build time (prerender.tsx), so the prerendered start screen can be hydrated. `onCommitted` is
 * called once the page is React's (after its first commit, or after hydration).
 */
export function Root({
  renderer,
  info,
  error,
  onCommitted,
}: {
  renderer: GriffelRenderer;
  info?: AppInfo;
  error?: IpcError;
  onCommitted?: () => void;
}) {
  return (
    <StrictMode>
      <RendererProvider renderer={renderer}>
        <App info={info} error={error} />
        <Committed then={onCommitted} />
      </RendererProvider>
    </StrictMode>
  );
}

function Committed({ then }: { then?: () => void }) {
  useEffect(() => then?.(), [then]);
  return null;
}
