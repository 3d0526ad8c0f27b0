import { Body1, Button, Title2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { useSurfaceStyles } from '../theme/surface';

const useStyles = makeStyles({
  main: { maxWidth: '720px', margin: '0 auto', padding: tokens.spacingHorizontalXXL },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  detail: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
});

function Fallback({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const surface = useSurfaceStyles();
  return (
    <main className={styles.main} data-testid="crash-screen">
      {/* A Card in look: this module is part of the first screen's code, Fluent's Card is not. */}
      <div role="group" className={mergeClasses(surface.card, styles.card)}>
        <Title2 as="h1">{t('crash.title')}</Title2>
        <Body1>{t('crash.body')}</Body1>
        <Body1 className={styles.detail} data-testid="crash-detail">
          {error.message}
        </Body1>
        <div>
          <Button appearance="primary" onClick={onRetry}>
            {t('crash.retry')}
          </Button>
        </div>
      </div>
    </main>
  );
}

/** A bug in a screen shows an explanation and a way back, never a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Rehome screen error', error, info.componentStack);
  }

  render() {
    if (this.state.error) return <Fallback error={this.state.error} onRetry={() => this.setState({ error: undefined })} />;
    return this.props.children;
  }
}
