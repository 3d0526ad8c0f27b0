import { FluentProvider, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';

import { AppHeader } from './components/AppHeader';
import { StartScreen } from './features/start/StartScreen';
import type { AppInfo, IpcError } from './ipc';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

/** `info` is this build as the Rust side reported it at start-up; `error` if it could not. */
export function App({ info, error }: { info?: AppInfo; error?: IpcError }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={webLightTheme} className={styles.root}>
      <AppHeader />
      <StartScreen info={info} error={error} />
    </FluentProvider>
  );
}
