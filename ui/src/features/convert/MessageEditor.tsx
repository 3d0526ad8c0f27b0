import {
  Body1,
  Button,
  Caption1,
  Card,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Switch,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowRightRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles } from '../../components/page';
import { TemplatePicker } from './TemplatePicker';
import type { IpcError, MessageCheck, MessageSettings, Profile } from '../../ipc';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, justifyContent: 'space-between', flexWrap: 'wrap' },
  mail: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, backgroundColor: tokens.colorNeutralBackground1 },
  body: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  accept: { alignSelf: 'flex-start', pointerEvents: 'none' },
});

/**
 * The invitation – email or not, language, personal message, CC, where the person lands – with
 * an approximate preview and the button onwards. One person's conversion and a batch share it;
 * `check` is Rust's verdict on the settings (with the language list and limits).
 */
export function MessageEditor({
  message,
  profile,
  recipient,
  check,
  error,
  nextLabel,
  onChange,
  onNext,
}: {
  message: MessageSettings;
  profile: Profile;
  /** Who the preview says it goes to. */
  recipient: string;
  check: MessageCheck | undefined;
  error: IpcError | null;
  nextLabel?: string;
  onChange: (message: MessageSettings) => void;
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const problems = check?.problems ?? [];
  const set = (change: Partial<MessageSettings>) => onChange({ ...message, ...change });
  const languageName = (tag: string) => new Intl.DisplayNames([i18n.language], { type: 'language' }).of(tag) ?? tag;
  const length = [...message.personalMessage].length;
  const dropsMessage = profile.capabilities.includes('personalMessageDropped');
  const landingKind = message.landing.kind;
  const customUrl = message.landing.kind === 'custom' ? message.landing.url : '';
  const domain = profile.organisation.defaultDomain ?? profile.organisation.displayName;

  return (
    <>
      {error && <ErrorMessage error={error} />}
      <Card className={blocks.card}>
        <TemplatePicker message={message} onPick={(picked) => onChange(picked)} />
        <Switch
          checked={message.sendEmail}
          onChange={(_, data) => set({ sendEmail: data.checked })}
          label={t('message.sendEmail')}
          data-testid="send-email"
        />
        {!message.sendEmail && (
          <MessageBar intent="warning" data-testid="no-email-warning">
            <MessageBarBody>{t('message.noEmailWarning')}</MessageBarBody>
          </MessageBar>
        )}
        <Field
          label={t('message.language')}
          hint={message.personalMessage.trim() ? `${t('message.languageIgnored')} ${t('message.languageList')}` : t('message.languageList')}
          validationState={problems.includes('languageUnknown') ? 'error' : 'none'}
          validationMessage={problems.includes('languageUnknown') ? t('message.problem.languageUnknown') : undefined}
        >
          <Dropdown
            value={languageName(message.language)}
            selectedOptions={[message.language]}
            onOptionSelect={(_, data) => data.optionValue && set({ language: data.optionValue })}
            data-testid="language"
          >
            {(check?.languages ?? [message.language]).map((tag) => (
              <Option key={tag} value={tag} text={languageName(tag)}>
                {`${languageName(tag)} (${tag})`}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field
          label={t('message.personal')}
          hint={t('message.personalHint', { count: length })}
          validationState={problems.includes('messageTooLong') ? 'error' : check && length > check.messageWarningChars ? 'warning' : 'none'}
          validationMessage={
            problems.includes('messageTooLong')
              ? t('message.problem.messageTooLong', { max: check?.messageMaxChars })
              : check && length > check.messageWarningChars
                ? t('message.longWarning', { count: check.messageWarningChars })
                : undefined
          }
        >
          <Textarea value={message.personalMessage} onChange={(_, data) => set({ personalMessage: data.value })} resize="vertical" rows={5} data-testid="personal-message" />
        </Field>
        {dropsMessage && message.personalMessage.trim() && (
          <MessageBar intent="warning" data-testid="message-dropped">
            <MessageBarBody>{t('message.dropped')}</MessageBarBody>
          </MessageBar>
        )}
        <Field
          label={t('message.cc')}
          hint={t('message.ccHint')}
          validationState={problems.includes('ccNotAnAddress') ? 'error' : 'none'}
          validationMessage={problems.includes('ccNotAnAddress') ? t('message.problem.ccNotAnAddress') : undefined}
        >
          <Input value={message.cc ?? ''} onChange={(_, data) => set({ cc: data.value || null })} type="email" data-testid="cc" />
        </Field>
        <Field label={t('message.landing')}>
          <RadioGroup
            value={landingKind}
            onChange={(_, data) => set({ landing: data.value === 'custom' ? { kind: 'custom', url: customUrl } : { kind: data.value as 'myApps' | 'teams' } })}
          >
            <Radio value="myApps" label={t('message.landingMyApps')} />
            <Radio value="teams" label={t('message.landingTeams')} />
            <Radio value="custom" label={t('message.landingCustom')} data-testid="landing-custom" />
          </RadioGroup>
        </Field>
        {landingKind === 'custom' && (
          <Field
            label={t('message.customUrl')}
            validationState={problems.includes('landingNotHttps') ? 'error' : 'none'}
            validationMessage={problems.includes('landingNotHttps') ? t('message.problem.landingNotHttps') : undefined}
          >
            <Input value={customUrl} onChange={(_, data) => set({ landing: { kind: 'custom', url: data.value } })} type="url" data-testid="custom-url" />
          </Field>
        )}
      </Card>

      <Card className={blocks.card} data-testid="email-preview">
        <Subtitle2 as="h2">{t('message.preview.title')}</Subtitle2>
        <Caption1 className={blocks.hint}>{t('message.preview.approximation')}</Caption1>
        {message.sendEmail ? (
          <div className={styles.mail}>
            <Body1>
              <strong>{t('message.preview.subject', { admin: profile.admin.displayName, domain })}</strong>
            </Body1>
            <Caption1 className={blocks.hint}>{recipient}</Caption1>
            {message.personalMessage.trim() && !dropsMessage && <Body1 className={styles.body}>{message.personalMessage}</Body1>}
            <Button appearance="primary" className={styles.accept} tabIndex={-1} aria-hidden>
              {t('message.preview.accept')}
            </Button>
          </div>
        ) : (
          <Body1>{t('message.preview.noEmail')}</Body1>
        )}
      </Card>

      <div className={styles.row}>
        <span />
        <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" disabled={!check || error !== null || problems.length > 0} onClick={onNext} data-testid="to-confirm">
          {nextLabel ?? t('message.next')}
        </Button>
      </div>
    </>
  );
}
