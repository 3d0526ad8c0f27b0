import { Button, Dropdown, Field, Input, Option, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular, RenameRegular, SaveRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { ipc, type IpcError, type MessageSettings, type Template } from '../../ipc';
import { queryKeys, useTemplates } from '../../ipc/queries';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '220px' },
});

type Editing = { kind: 'none' } | { kind: 'save' | 'rename'; name: string } | { kind: 'delete' };

/** Pick a saved template, save the current message as one, rename or delete it. */
export function TemplatePicker({ message, onPick }: { message: MessageSettings; onPick: (message: MessageSettings) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const saved = useTemplates();
  const queries = useQueryClient();
  const templates = saved.data ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [changeError, setChangeError] = useState<IpcError | null>(null);
  const error = changeError ?? saved.error;

  // Each change answers the whole new list: it becomes the cache.
  const apply = (work: Promise<Template[]>, next: string | null) =>
    work.then(
      (list) => {
        queries.setQueryData(queryKeys.templates, list);
        setChosen(next);
        setEditing({ kind: 'none' });
        setChangeError(null);
      },
      (rejection: IpcError) => setChangeError(rejection),
    );

  const pick = (name: string) => {
    const template = templates.find((candidate) => candidate.name === name);
    if (!template) return;
    setChosen(name);
    onPick(template.message);
  };

  return (
    <div className={styles.root} data-testid="templates">
      <div className={styles.row}>
        <Field className={styles.grow} label={t('templates.pick')}>
          <Dropdown
            value={chosen ?? ''}
            selectedOptions={chosen ? [chosen] : []}
            placeholder={templates.length ? t('templates.choose') : t('templates.none')}
            disabled={!templates.length}
            onOptionSelect={(_, data) => data.optionValue && pick(data.optionValue)}
            data-testid="template-pick"
          >
            {templates.map((template) => (
              <Option key={template.name} value={template.name}>
                {template.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button icon={<SaveRegular />} onClick={() => setEditing({ kind: 'save', name: chosen ?? '' })} data-testid="template-save">
          {t('templates.save')}
        </Button>
        {chosen && (
          <>
            <Button icon={<RenameRegular />} onClick={() => setEditing({ kind: 'rename', name: chosen })}>
              {t('templates.rename')}
            </Button>
            <Button icon={<DeleteRegular />} onClick={() => setEditing({ kind: 'delete' })}>
              {t('templates.delete')}
            </Button>
          </>
        )}
      </div>
      {(editing.kind === 'save' || editing.kind === 'rename') && (
        <div className={styles.row}>
          <Field className={styles.grow} label={t(editing.kind === 'save' ? 'templates.saveAs' : 'templates.renameTo')}>
            <Input value={editing.name} onChange={(_, data) => setEditing({ ...editing, name: data.value })} data-testid="template-name" />
          </Field>
          <Button
            appearance="primary"
            disabled={!editing.name.trim()}
            data-testid="template-confirm"
            onClick={() =>
              editing.kind === 'save'
                ? apply(ipc.saveTemplate({ name: editing.name, message }), editing.name.trim())
                : apply(ipc.renameTemplate(chosen ?? '', editing.name), editing.name.trim())
            }
          >
            {t('templates.ok')}
          </Button>
          <Button onClick={() => setEditing({ kind: 'none' })}>{t('templates.cancel')}</Button>
        </div>
      )}
      {editing.kind === 'delete' && chosen && (
        <div className={styles.row}>
          <span className={styles.grow}>{t('templates.deleteConfirm', { name: chosen })}</span>
          <Button appearance="primary" onClick={() => apply(ipc.deleteTemplate(chosen), null)}>
            {t('templates.delete')}
          </Button>
          <Button onClick={() => setEditing({ kind: 'none' })}>{t('templates.cancel')}</Button>
        </div>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
