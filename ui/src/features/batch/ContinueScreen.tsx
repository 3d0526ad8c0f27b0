import { Body1, Button, Card, Title2, mergeClasses } from '@fluentui/react-components';
import { ArrowLeftRegular, PlayRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useBlockStyles, usePageStyles } from '../../components/page';
import type { MessageSettings, Profile, UnfinishedBatch } from '../../ipc';
import { MessageEditor } from '../convert/MessageEditor';
import { newMessage } from '../convert/message';
import { useMessageCheck } from './queries';

/**
 * Taking up a batch the journal has accounts to do for: what happens next, and – when Settings
 * kept no message bodies – the message written again.
 */
export function ContinueScreen({
  batch,
  profile,
  onBack,
  onContinue,
}: {
  batch: UnfinishedBatch;
  profile: Profile;
  onBack: () => void;
  onContinue: (message: MessageSettings | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const [message, setMessage] = useState(() => newMessage('en-US'));
  const { data: check, error } = useMessageCheck(message);
  const when = new Date(batch.createdAt).toLocaleString(i18n.language);

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="batch-continue-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-search">
        {t('batch.back')}
      </Button>
      <Title2 as="h1">{t('batch.continue.title', { when })}</Title2>
      <Card className={blocks.card}>
        <Body1>{t('batch.continue.done', { done: batch.done, total: batch.total })}</Body1>
        <Body1>{t('batch.continue.how')}</Body1>
      </Card>
      {batch.messageNeeded ? (
        <>
          <Body1>{t('batch.continue.writeAgain')}</Body1>
          <MessageEditor
            message={message}
            profile={profile}
            recipient={t('batch.message.to')}
            check={check}
            error={error}
            nextLabel={t('batch.continue.go')}
            onChange={setMessage}
            onNext={() => onContinue(message)}
          />
        </>
      ) : (
        <Button appearance="primary" icon={<PlayRegular />} className={blocks.back} onClick={() => onContinue(null)} data-testid="continue-batch">
          {t('batch.continue.go')}
        </Button>
      )}
    </main>
  );
}
