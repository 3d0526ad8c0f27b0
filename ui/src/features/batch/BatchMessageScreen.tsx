import { Body1, Button, Title2, mergeClasses } from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { useBlockStyles, usePageStyles } from '../../components/page';
import type { MessageSettings, Profile } from '../../ipc';
import { MessageEditor } from '../convert/MessageEditor';
import { useMessageCheck } from './queries';

/** One invitation for every ticked account: the editor of a single conversion, checked by Rust. */
export function BatchMessageScreen({
  count,
  message,
  profile,
  onChange,
  onBack,
  onNext,
}: {
  count: number;
  message: MessageSettings;
  profile: Profile;
  onChange: (message: MessageSettings) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const { data: check, error } = useMessageCheck(message);

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="batch-message-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-dry-run">
        {t('batch.message.back')}
      </Button>
      <Title2 as="h1">{t('batch.message.title', { count })}</Title2>
      <Body1>{t('batch.message.intro')}</Body1>
      <MessageEditor
        message={message}
        profile={profile}
        recipient={t('batch.message.to')}
        check={check}
        error={error}
        onChange={onChange}
        onNext={onNext}
      />
    </main>
  );
}
