import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  wrap: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  status: { color: tokens.colorNeutralForeground3 },
});

/** Copies `text` to the clipboard and says so beside the button; if the clipboard refuses, says
 * to copy by hand. (No tooltip: a stuck tooltip layer once covered the whole window.) */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  return (
    <span className={styles.wrap}>
      <Button icon={state === 'copied' ? <CheckmarkRegular /> : <CopyRegular />} onClick={copy} data-testid={testId}>
        {label}
      </Button>
      <Caption1 className={styles.status} role="status">
        {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : ''}
      </Caption1>
    </span>
  );
}
