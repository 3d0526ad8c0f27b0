import { Button, Tooltip } from '@fluentui/react-components';
import { CheckmarkRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Copies `text` to the clipboard and says so; if the clipboard refuses, says to copy by hand. */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  const tip = state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : label;
  return (
    <Tooltip content={tip} relationship="description" visible={state !== 'idle' ? true : undefined}>
      <Button
        icon={state === 'copied' ? <CheckmarkRegular /> : <CopyRegular />}
        onClick={copy}
        onBlur={() => setState('idle')}
        data-testid={testId}
      >
        {label}
      </Button>
    </Tooltip>
  );
}
