import { Button, Caption1, Field, Input, Radio, RadioGroup, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useBlockStyles } from '../../components/page';
import { ipc, type EmailProblem, type Report } from '../../ipc';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  typed: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  input: { minWidth: '280px', flexGrow: 1 },
});

const OTHER = '__other__';

/**
 * Step 4: the address the person will sign in with. Candidates come from the account; another
 * can be typed, checked as it is typed; choosing one re-runs the report for that address.
 */
export function EmailChooser({ report, busy, onCheck }: { report: Report; busy: boolean; onCheck: (email: string) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const current = report.email ?? '';
  const known = report.candidates.some((c) => c.address.toLowerCase() === current.toLowerCase());
  const [choice, setChoice] = useState(known || !current ? current : OTHER);
  const [typed, setTyped] = useState(known ? '' : current);
  // Checked by Rehome's own rules as the admin types; shown only for the text it was checked for.
  const [checked, setChecked] = useState<{ address: string; problem: EmailProblem | null }>({ address: '', problem: null });
  const problem = typed.trim() && checked.address === typed ? checked.problem : null;

  useEffect(() => {
    if (!typed.trim()) return;
    let current = true;
    ipc.emailProblem(typed, report.verifiedDomains).then(
      (found) => current && setChecked({ address: typed, problem: found }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [typed, report.verifiedDomains]);

  const chosen = choice === OTHER ? typed.trim() : choice;
  const candidateProblem = report.candidates.find((c) => c.address === choice)?.problem ?? null;
  const blocked = !chosen || (choice === OTHER ? problem !== null : candidateProblem !== null);
  const unchanged = chosen.toLowerCase() === current.toLowerCase();

  return (
    <section className={styles.root} data-testid="email-chooser">
      <Subtitle2 as="h2">{t('review.email.title')}</Subtitle2>
      <Caption1 className={blocks.hint}>{t('review.email.intro')}</Caption1>
      <RadioGroup value={choice} onChange={(_, data) => setChoice(data.value)} aria-label={t('review.email.title')}>
        {report.candidates.map((candidate) => (
          <Radio
            key={candidate.address}
            value={candidate.address}
            data-testid="email-candidate"
            label={
              <>
                {candidate.address}{' '}
                <Caption1 className={blocks.hint}>
                  {t(`review.email.source.${candidate.source}`)}
                  {candidate.problem && ` – ${t(`review.email.problem.${candidate.problem}`)}`}
                </Caption1>
              </>
            }
          />
        ))}
        <Radio value={OTHER} label={t('review.email.other')} data-testid="email-other" />
      </RadioGroup>
      <div className={styles.typed}>
        {choice === OTHER && (
          <Field
            className={styles.input}
            label={t('review.email.typedLabel')}
            validationState={problem ? 'error' : 'none'}
            validationMessage={problem ? t(`review.email.problem.${problem}`) : undefined}
          >
            <Input value={typed} onChange={(_, data) => setTyped(data.value)} type="email" data-testid="email-typed" />
          </Field>
        )}
        <Button appearance="primary" disabled={blocked || unchanged || busy} onClick={() => onCheck(chosen)} data-testid="email-check">
          {t('review.email.check')}
        </Button>
      </div>
      {report.setsMail && report.email && (
        <Caption1 data-testid="sets-mail">{t('review.email.setsMail', { email: report.email })}</Caption1>
      )}
    </section>
  );
}
