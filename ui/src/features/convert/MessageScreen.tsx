import { Button, Title2, mergeClasses } from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { useBlockStyles, usePageStyles } from '../../components/page';
import type { Intention, MessageSettings, Profile, Report } from '../../ipc';
import { usePreview } from '../../ipc/queries';
import { MessageEditor } from './MessageEditor';

/** Step 5: the invitation for one person, checked by Rust against the plan of their review. */
export function MessageScreen({
  intention,
  report,
  profile,
  onChange,
  onBack,
  onNext,
}: {
  intention: Intention;
  report: Report;
  profile: Profile;
  onChange: (message: MessageSettings) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const { data: preview, error } = usePreview(intention);

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="message-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-review">
        {t('message.back')}
      </Button>
      <Title2 as="h1">{t('message.title', { name: report.user.displayName })}</Title2>
      <MessageEditor
        message={intention.message}
        profile={profile}
        recipient={t('message.preview.to', { email: report.email ?? '' })}
        check={preview}
        error={error}
        onChange={onChange}
        onNext={onNext}
      />
    </main>
  );
}
