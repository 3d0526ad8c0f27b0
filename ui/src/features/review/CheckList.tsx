import { Body1, Caption1, Subtitle2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  DismissCircleFilled,
  HistoryRegular,
  InfoFilled,
  QuestionCircleFilled,
  WarningFilled,
} from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

import type { Check, ReverseCheck, Verdict } from '../../ipc';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  item: { display: 'grid', gridTemplateColumns: '24px minmax(0, 1fr)', columnGap: tokens.spacingHorizontalS },
  text: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  icon: { fontSize: '20px', marginTop: '1px' },
  blocks: { color: tokens.colorPaletteRedForeground1 },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1 },
  couldNotCheck: { color: tokens.colorPaletteDarkOrangeForeground1 },
  information: { color: tokens.colorBrandForeground1 },
  passed: { color: tokens.colorPaletteGreenForeground1 },
  fix: { color: tokens.colorNeutralForeground1 },
  then: { color: tokens.colorNeutralForeground3, display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'flex-start' },
});

const ICON: Record<Verdict, typeof InfoFilled> = {
  blocks: DismissCircleFilled,
  warning: WarningFilled,
  couldNotCheck: QuestionCircleFilled,
  information: InfoFilled,
  passed: CheckmarkCircleFilled,
};

/** Blockers first, then what to know, then what is fine: each in one plain sentence. */
const GROUPS: { key: string; verdicts: Verdict[] }[] = [
  { key: 'blocks', verdicts: ['blocks'] },
  { key: 'attention', verdicts: ['warning', 'couldNotCheck'] },
  { key: 'information', verdicts: ['information'] },
  { key: 'passed', verdicts: ['passed'] },
];

/**
 * Where a check's words are: the conversion's report (`report.*`) or the way back's
 * (`reverse.*`). Both share the groups, the icons and the layout.
 */
const TEXTS = {
  report: { check: (id: string) => `report.check.${id}`, finding: (finding: string) => `report.findings.${finding}` },
  reverse: { check: (id: string) => `reverse.check.${id}`, finding: (finding: string) => `reverse.findings.${finding}` },
};
type Texts = keyof typeof TEXTS;

export function CheckList({ checks, texts = 'report' }: { checks: (Check | ReverseCheck)[]; texts?: Texts }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <>
      {GROUPS.map(({ key, verdicts }) => {
        const mine = checks.filter((check) => verdicts.includes(check.verdict));
        if (!mine.length) return null;
        return (
          <section key={key} className={styles.group} data-testid={`checks-${key}`}>
            <Subtitle2 as="h3">{t(`report.group.${key}`)}</Subtitle2>
            <ul className={styles.list}>
              {mine.map((check) => (
                <CheckItem key={check.id} check={check} texts={texts} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function CheckItem({ check, texts }: { check: Check | ReverseCheck; texts: Texts }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const Icon = ICON[check.verdict];
  const values = check.values as Record<string, string>;
  const words = TEXTS[texts];
  return (
    <li className={styles.item} data-testid={`check-${check.id}`} data-verdict={check.verdict} data-finding={check.finding}>
      <Icon className={mergeClasses(styles.icon, styles[check.verdict])} aria-label={t(`report.verdict.${check.verdict}`)} />
      <div className={styles.text}>
        <Body1>
          <strong>{t(words.check(check.id))}</strong>
        </Body1>
        {check.reason && check.finding === 'couldNotCheck' ? (
          <Body1>{t('report.couldNotCheck', { reason: t(`errors.${check.reason.code}`, { message: check.reason.message }) })}</Body1>
        ) : (
          <Body1>{t(`${words.finding(check.finding)}.text`, values)}</Body1>
        )}
        {check.reason && check.finding !== 'couldNotCheck' && (
          <Caption1 data-testid="reason">{t('report.because', { reason: t(`errors.${check.reason.code}`, { message: check.reason.message }) })}</Caption1>
        )}
        {check.verdict === 'blocks' && !check.reason && (
          <Body1 className={styles.fix} data-testid="fix">
            {t('report.howToFix', { fix: t(`${words.finding(check.finding)}.fix`, values) })}
          </Body1>
        )}
        {'differsFrom2020' in check && check.differsFrom2020 && (
          <Caption1 className={styles.then} data-testid="then-2020">
            <HistoryRegular aria-hidden />
            {t(`report.before.${check.id}`)}
          </Caption1>
        )}
      </div>
    </li>
  );
}
