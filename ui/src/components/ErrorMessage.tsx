import {
  Button,
  Caption1,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { IpcError } from '../ipc';
import { CopyButton } from './CopyButton';

const useStyles = makeStyles({
  details: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground3,
  },
});

/** Answers that are a situation to choose in, not a failure: a warning with its own heading. */
const NOTICES: readonly string[] = ['keyringUnavailable', 'stoppedWaiting'];

/**
 * Shows an IPC error in the admin's language: the code picks the text (cause and what to do),
 * the message fills it in. What support needs (service code, request-id, date) is copyable.
 */
export function ErrorMessage({ error, actions }: { error: IpcError; actions?: ReactNode }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const details = error.details;
  const support = [
    details?.serviceCode && `${t('errors.serviceCode')}: ${details.serviceCode}`,
    details?.requestId && `${t('errors.requestId')}: ${details.requestId}`,
    details?.date && `${t('errors.date')}: ${details.date}`,
  ].filter(Boolean) as string[];
  const notice = NOTICES.includes(error.code);
  return (
    <MessageBar intent={notice ? 'warning' : 'error'} layout="multiline" data-testid="error-message" data-code={error.code}>
      <MessageBarBody>
        <MessageBarTitle>{notice ? t(`errors.notice.${error.code}`) : t('errors.title')}</MessageBarTitle>
        {t(`errors.${error.code}`, { message: error.message })}
        {support.length > 0 && (
          <div className={styles.details}>
            <Caption1>{t('errors.forSupport')}</Caption1>
            <Caption1 data-testid="error-details">{support.join(' · ')}</Caption1>
            <CopyButton text={[error.message, ...support].join('\n')} label={t('errors.copyDetails')} />
          </div>
        )}
      </MessageBarBody>
      {actions && <MessageBarActions>{actions}</MessageBarActions>}
    </MessageBar>
  );
}

/** The keyring cannot be used: explain, and offer this run only (never a file). */
export function KeyringOffer({ onKeep }: { onKeep: () => void }) {
  const { t } = useTranslation();
  return (
    <Button appearance="primary" onClick={onKeep} data-testid="keep-for-this-run">
      {t('signIn.keepForThisRun')}
    </Button>
  );
}
