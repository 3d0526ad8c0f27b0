import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

import type { IpcError } from '../ipc';

/** Shows an IPC error in the admin's language: the code picks the text, the message fills it in. */
export function ErrorMessage({ error }: { error: IpcError }) {
  const { t } = useTranslation();
  return (
    <MessageBar intent="error" data-testid="error-message">
      <MessageBarBody>
        <MessageBarTitle>{t('errors.title')}</MessageBarTitle>
        {t(`errors.${error.code}`, { message: error.message })}
      </MessageBarBody>
    </MessageBar>
  );
}
