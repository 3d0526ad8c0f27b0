import {
  Body1,
  Button,
  Card,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Subtitle2,
  Switch,
  Title2,
  mergeClasses,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import type { ReverseIntention, ReverseReport } from '../../ipc';
import { useMailProblem, useUpnProblem } from './queries';

/**
 * The form: the new user name (checked as it is typed), whether the person must change the
 * password Rehome makes, and optionally a new email. A synced account has nothing to choose.
 * No password exists yet: Rust makes it when it converts, and the result shows it once.
 */
export function ReverseFormScreen({
  report,
  intention,
  onChange,
  onBack,
  onNext,
}: {
  report: ReverseReport;
  intention: ReverseIntention;
  onChange: (intention: ReverseIntention) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const user = report.user;
  const upn = intention.userPrincipalName ?? '';
  const newMail = intention.mail !== null;
  const mail = intention.mail ?? '';
  // Checked in Rust as typed (a local call, nothing goes to Microsoft); the answer for an older
  // value is shown while the newest is checked, but only the newest can enable Next.
  const upnCheck = useUpnProblem(upn, report.domains);
  const mailCheck = useMailProblem(mail, report.domains, newMail);
  const upnProblem = upnCheck.data;
  const mailProblem = mailCheck.data;
  const upnOk = !report.synced ? upnCheck.isSuccess && !upnCheck.isFetching && upnProblem === null : true;
  const mailOk = !newMail || (mailCheck.isSuccess && !mailCheck.isFetching && mailProblem === null);
  const managed = report.domains.filter((d) => d.signIn !== 'federated').map((d) => d.name);
  const set = (change: Partial<ReverseIntention>) => onChange({ ...intention, ...change });
  const checkError = upnCheck.error ?? mailCheck.error;
  const showUpnProblem = !report.synced && upnProblem && upnProblem !== 'empty';

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="reverse-form-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-reverse-report">
        {t('reverse.form.back')}
      </Button>
      <Title2 as="h1">{t('reverse.form.title', { name: user.displayName })}</Title2>
      {checkError && <ErrorMessage error={checkError} />}

      {report.synced ? (
        <Card className={blocks.card} data-testid="reverse-synced">
          <Subtitle2 as="h2">{t('reverse.form.synced.title')}</Subtitle2>
          <Body1>{t('reverse.form.synced.body', { upn: user.userPrincipalName })}</Body1>
          <Body1>{t('reverse.form.synced.password')}</Body1>
        </Card>
      ) : (
        <>
          <Card className={blocks.card}>
            <Subtitle2 as="h2">{t('reverse.form.upn.title')}</Subtitle2>
            <Field
              label={t('reverse.form.upn.label')}
              hint={managed.length ? t('reverse.form.upn.hint', { domains: managed.join(', ') }) : t('reverse.form.upn.noDomains')}
              validationState={showUpnProblem ? 'error' : upnOk ? 'success' : 'none'}
              validationMessage={showUpnProblem ? t(`reverse.upnProblem.${upnProblem}`) : upnOk ? t('reverse.form.upn.ok') : undefined}
            >
              <Input value={upn} onChange={(_, data) => set({ userPrincipalName: data.value })} data-testid="reverse-upn" />
            </Field>
            {report.upnSuggestion && upn.trim().toLowerCase() !== report.upnSuggestion.toLowerCase() && (
              <div>
                <Button onClick={() => set({ userPrincipalName: report.upnSuggestion })} data-testid="use-suggestion">
                  {t('reverse.form.upn.useSuggestion', { upn: report.upnSuggestion })}
                </Button>
              </div>
            )}
          </Card>

          <Card className={blocks.card}>
            <Subtitle2 as="h2">{t('reverse.form.password.title')}</Subtitle2>
            <Body1>{t('reverse.form.password.body')}</Body1>
            <Switch
              checked={intention.forceChangePassword}
              onChange={(_, data) => set({ forceChangePassword: data.checked })}
              label={t('reverse.form.password.forceChange')}
              data-testid="force-change-password"
            />
          </Card>

          <Card className={blocks.card}>
            <Subtitle2 as="h2">{t('reverse.form.mail.title')}</Subtitle2>
            <Body1>{user.mail ? t('reverse.form.mail.today', { mail: user.mail }) : t('reverse.form.mail.none')}</Body1>
            <Checkbox
              checked={newMail}
              onChange={(_, data) => set({ mail: data.checked ? '' : null })}
              label={t('reverse.form.mail.change')}
              data-testid="reverse-new-mail"
            />
            {newMail && (
              <Field
                label={t('reverse.form.mail.label')}
                hint={t('reverse.form.mail.hint')}
                validationState={mailProblem && mail.trim() ? 'error' : 'none'}
                validationMessage={mailProblem && mail.trim() ? t(`reverse.mailProblem.${mailProblem}`) : undefined}
              >
                <Input value={mail} onChange={(_, data) => set({ mail: data.value })} type="email" data-testid="reverse-mail" />
              </Field>
            )}
          </Card>
        </>
      )}

      {report.outcome === 'readyWithWarnings' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t('reverse.form.warnings')}</MessageBarBody>
        </MessageBar>
      )}
      <Button
        appearance="primary"
        icon={<ArrowRightRegular />}
        iconPosition="after"
        className={blocks.back}
        disabled={!upnOk || !mailOk}
        onClick={onNext}
        data-testid="to-reverse-confirm"
      >
        {t('reverse.form.next')}
      </Button>
    </main>
  );
}
