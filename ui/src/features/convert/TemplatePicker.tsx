import { Button, Dropdown, Field, Input, Option, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular, RenameRegular, SaveRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import { ipc, toIpcError, type IpcError, type MessageSettings, type Template } from '../../ipc';

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
  const [templates, setTemplates] = useState<Template[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    ipc.templates().then(setTemplates, (rejection: unknown) => setError(toIpcError('templates', rejection)));
  }, []);

  const apply = (work: Promise<Template[]>, command: string, next: string | null) =>
    work.then(
      (list) => {
        setTemplates(list);
        setChosen(next);
        setEditing({ kind: 'none' });
        setError(null);
      },
      (rejection: unknown) => setError(toIpcError(command, rejection)),
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
                ? apply(ipc.saveTemplate({ name: editing.name, message }), 'save_template', editing.name.trim())
                : apply(ipc.renameTemplate(chosen ?? '', editing.name), 'rename_template', editing.name.trim())
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
          <Button appearance="primary" onClick={() => apply(ipc.deleteTemplate(chosen), 'delete_template', null)}>
            {t('templates.delete')}
          </Button>
          <Button onClick={() => setEditing({ kind: 'none' })}>{t('templates.cancel')}</Button>
        </div>
      )}
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
