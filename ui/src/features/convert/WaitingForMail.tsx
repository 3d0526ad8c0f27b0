import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ipc, type Progress } from '../../ipc';

type Wait = Extract<Progress, { step: 'waitingForMail' }>;

const useStyles = makeStyles({
  countdown: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
});

/**
 * Microsoft's invitation service does not see the email Rehome just set yet (it can take a few
 * minutes): a countdown to the next attempt, and a way to stop. Mounted once per attempt.
 */
export function WaitingForMail({ wait, email, userId }: { wait: Wait; email: string; userId: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [left, setLeft] = useState(Math.ceil(wait.seconds));
  const [stopping, setStopping] = useState(false);
  const bar = useRef<HTMLDivElement>(null);

  // The admin is looking at the Convert button, above: bring the wait and its Stop into view.
  useEffect(() => {
    bar.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);

  useEffect(() => {
    const timer = window.setInterval(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const stop = () => {
    setStopping(true);
    // The conversion itself answers with what happened; a refused stop changes nothing.
    void ipc.stopWaiting(userId).catch(() => setStopping(false));
  };

  return (
    <MessageBar ref={bar} intent="info" layout="multiline" data-testid="waiting-for-mail">
      <MessageBarBody>
        <MessageBarTitle>{t('confirm.waitingForMail.title')}</MessageBarTitle>
        {t('confirm.waitingForMail.body', { email })}
        <div className={styles.countdown}>
          <Spinner size="extra-tiny" />
          <span data-testid="waiting-countdown" aria-live="polite">
            {t('confirm.waitingForMail.countdown', { count: left, attempt: wait.attempt, attempts: wait.attempts })}
          </span>
        </div>
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={stop} disabled={stopping} data-testid="stop-waiting">
          {t('confirm.waitingForMail.stop')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
