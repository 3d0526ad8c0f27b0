import {
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Textarea,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular, BeakerRegular, DocumentArrowDownRegular, FolderOpenRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { useBlockStyles, usePageStyles } from '../../components/page';
import { ipc, type ImportedList, type IpcError } from '../../ipc';
import { RejectedRows } from './RejectedRows';

const useStyles = makeStyles({
  buttons: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'center' },
  paste: { fontFamily: tokens.fontFamilyMonospace },
  columns: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** The list: a CSV file from the system's dialog, or pasted; checked row by row in Rust. */
export function ImportScreen({
  practice,
  onBack,
  onNext,
}: {
  /** Signed in to the sample directory: its own list can be practised with. */
  practice: boolean;
  onBack: () => void;
  onNext: (list: ImportedList) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const blocks = useBlockStyles();
  const page = usePageStyles();
  const [pasted, setPasted] = useState('');
  const [list, setList] = useState<ImportedList | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  // A list just checked is shown where the admin looks: what it says comes into view.
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (list) outcome.current?.scrollIntoView?.({ block: 'nearest' });
  }, [list]);

  const check = (read: () => Promise<ImportedList | null>) => {
    setBusy(true);
    setError(null);
    read()
      .then((checked) => checked && setList(checked), setError)
      .finally(() => setBusy(false));
  };
  const saveTemplate = () => ipc.saveBatchTemplate().then(setSaved, setError);
  const usable = list && !list.problem && list.rows.length > 0;

  return (
    <main className={mergeClasses(page.page, page.medium, blocks.stack)} data-testid="batch-import-screen">
      <Button icon={<ArrowLeftRegular />} appearance="subtle" onClick={onBack} className={blocks.back} data-testid="back-to-search">
        {t('batch.back')}
      </Button>
      <Title2 as="h1">{t('batch.import.title')}</Title2>
      <Body1>{t('batch.import.intro')}</Body1>

      <Card className={blocks.card}>
        <Subtitle2 as="h2">{t('batch.import.fileTitle')}</Subtitle2>
        <ul className={styles.columns}>
          <li>{t('batch.import.columnUser')}</li>
          <li>{t('batch.import.columnEmail')}</li>
          <li>{t('batch.import.cap', { max: list?.maxRows ?? 500 })}</li>
        </ul>
        <div className={styles.buttons}>
          <Button appearance="primary" icon={<FolderOpenRegular />} disabled={busy} onClick={() => check(ipc.importBatchFile)} data-testid="choose-file">
            {t('batch.import.chooseFile')}
          </Button>
          <Button icon={<DocumentArrowDownRegular />} onClick={saveTemplate} data-testid="save-template">
            {t('batch.import.template')}
          </Button>
          {practice && (
            <Button icon={<BeakerRegular />} disabled={busy} onClick={() => check(ipc.practiceBatchList)} data-testid="practice-list">
              {t('batch.import.practice')}
            </Button>
          )}
        </div>
        {saved && <Caption1 data-testid="template-saved">{t('batch.import.templateSaved', { path: saved })}</Caption1>}
      </Card>

      {error && <ErrorMessage error={error} />}

      {list && (
        <div ref={outcome} className={blocks.stack}>
          {list.problem && (
            <MessageBar intent="error" layout="multiline" data-testid="list-problem" data-problem={list.problem}>
              <MessageBarBody>
                <MessageBarTitle>{t('batch.import.cannotUse')}</MessageBarTitle>
                {t(`batch.listProblems.${list.problem}`, { count: list.rowCount, max: list.maxRows })}
              </MessageBarBody>
            </MessageBar>
          )}
          {!list.problem && (
            <Card className={blocks.card} data-testid="list-summary">
              <Subtitle2 as="h2">{t('batch.import.checked', { count: list.rows.length })}</Subtitle2>
              {list.rejected.length > 0 ? (
                <>
                  <Body1>{t('batch.rejected.title', { count: list.rejected.length })}</Body1>
                  <RejectedRows rows={list.rejected} />
                </>
              ) : (
                <Body1>{t('batch.import.allRowsFine')}</Body1>
              )}
              <Caption1 className={blocks.hint}>{t('batch.import.nothingRead')}</Caption1>
            </Card>
          )}

          {usable && (
            <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" className={blocks.back} onClick={() => onNext(list)} data-testid="start-dry-run">
              {t('batch.import.dryRun', { count: list.rows.length })}
            </Button>
          )}
        </div>
      )}

      <Card className={blocks.card}>
        <Field label={t('batch.import.pasteLabel')} hint={t('batch.import.pasteHint')}>
          <Textarea className={styles.paste} value={pasted} onChange={(_, data) => setPasted(data.value)} rows={6} resize="vertical" data-testid="paste" />
        </Field>
        <Button className={blocks.back} disabled={busy || !pasted.trim()} onClick={() => check(() => ipc.importBatchText(pasted))} data-testid="check-pasted">
          {t('batch.import.checkPasted')}
        </Button>
      </Card>
    </main>
  );
}
