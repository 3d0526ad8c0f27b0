import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { CopyButton } from './CopyButton';
import { useBlockStyles } from './page';

const useStyles = makeStyles({
  request: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginBottom: tokens.spacingVerticalM },
});

/** One request as the confirmation shows it: its text, and the test id of its block. */
export interface ShownRequest {
  method: string;
  text: string;
  testId: string;
}

/**
 * The confirmations' "exact requests": each request with Copy, an optional note after them, and
 * the same in PowerShell – folded until the admin opens it.
 */
export function ExactRequests({ requests, note, powershell }: { requests: ShownRequest[]; note?: ReactNode; powershell?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  return (
    <Accordion collapsible>
      <AccordionItem value="requests">
        <AccordionHeader data-testid="show-requests">{t('confirm.showRequests')}</AccordionHeader>
        <AccordionPanel>
          {requests.map((request) => (
            <div key={request.testId} className={styles.request}>
              <pre className={blocks.code} data-testid={request.testId}>
                {request.text}
              </pre>
              <CopyButton text={request.text} label={t('confirm.copyRequest', { method: request.method })} />
            </div>
          ))}
          {note}
          {powershell !== undefined && (
            <div className={styles.request}>
              <Caption1>{t('confirm.powershell')}</Caption1>
              <pre className={blocks.code} data-testid="powershell">
                {powershell}
              </pre>
              <CopyButton text={powershell} label={t('confirm.copyPowershell')} />
            </div>
          )}
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}
