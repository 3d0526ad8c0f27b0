import {
  Body1,
  Button,
  Caption1,
  Card,
  SearchBox,
  Spinner,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorMessage } from '../../components/ErrorMessage';
import type { UserRow } from '../../ipc';
import { UserBadges } from './UserBadges';
import { useUserSearch } from './useUserSearch';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  box: { maxWidth: '100%' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover, color: tokens.colorNeutralForeground1Hover },
  },
  // Each background with its own foreground: in high contrast the selected background is cyan.
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    color: tokens.colorNeutralForeground1Selected,
    outline: `2px solid ${tokens.colorBrandStroke1}`,
  },
  activeLine: { color: tokens.colorNeutralForeground3Selected },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  line: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  footer: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  hint: { color: tokens.colorNeutralForeground3 },
});

/** Step 2: find the user. Arrows move, Enter opens, Esc clears. */
export function SearchPanel({
  query,
  onQueryChange,
  onOpen,
}: {
  query: string;
  onQueryChange: (query: string) => void;
  onOpen: (user: UserRow) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const listId = useId();
  const search = useUserSearch(query);
  const rows = search.rows;
  // The highlighted row belongs to one list of results; new results start at the top.
  const [highlight, setHighlight] = useState({ rows, index: 0 });
  const active = highlight.rows === rows ? highlight.index : 0;
  const setActive = (next: (index: number) => number) => setHighlight({ rows, index: next(active) });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' && rows.length) {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, rows.length - 1));
    } else if (event.key === 'ArrowUp' && rows.length) {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && rows[active]) {
      event.preventDefault();
      onOpen(rows[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onQueryChange('');
    }
  };

  return (
    <Card className={styles.card} data-testid="search-panel">
      <Subtitle2 as="h2">{t('search.title')}</Subtitle2>
      <SearchBox
        className={styles.box}
        size="large"
        value={query}
        onChange={(_, data) => onQueryChange(data.value)}
        onKeyDown={onKeyDown}
        placeholder={t('search.placeholder')}
        maxLength={256}
        aria-label={t('search.label')}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={rows.length > 0}
        aria-controls={rows.length ? listId : undefined}
        aria-activedescendant={rows[active] ? `${listId}-${active}` : undefined}
        data-testid="search-box"
        autoFocus
      />
      {search.status === 'idle' && <Caption1 className={styles.hint}>{t('search.hint')}</Caption1>}
      {search.status === 'searching' && <Spinner size="tiny" label={t('search.searching')} labelPosition="after" />}
      {search.status === 'error' && search.error && <ErrorMessage error={search.error} />}
      {search.status === 'done' && rows.length === 0 && (
        <Body1 data-testid="no-results">{t('search.noResults', { query: query.trim() })}</Body1>
      )}
      {rows.length > 0 && (
        <ul id={listId} role="listbox" aria-label={t('search.results')} className={styles.list} data-testid="search-results">
          {rows.map((user, index) => (
            <li
              key={user.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={mergeClasses(styles.row, index === active && styles.active)}
              onClick={() => onOpen(user)}
              onMouseEnter={() => setActive(() => index)}
              data-testid="search-row"
              data-upn={user.userPrincipalName}
            >
              <span className={styles.who}>
                <Body1>
                  <strong>{user.displayName}</strong>
                </Body1>
                <Caption1 className={mergeClasses(styles.line, index === active && styles.activeLine)}>{user.userPrincipalName}</Caption1>
                <Caption1 className={mergeClasses(styles.line, index === active && styles.activeLine)}>
                  {user.mail ? t('search.email', { email: user.mail }) : t('search.noEmail')}
                </Caption1>
              </span>
              <UserBadges user={user} />
            </li>
          ))}
        </ul>
      )}
      {rows.length > 0 && (
        <div className={styles.footer}>
          <Caption1 data-testid="result-count">
            {search.count !== null
              ? t('search.countOf', { shown: rows.length, count: search.count })
              : t('search.count', { shown: rows.length })}
          </Caption1>
          {search.nextLink && (
            <Button size="small" onClick={search.showMore} disabled={search.loadingMore} data-testid="show-more">
              {t('search.showMore')}
            </Button>
          )}
          {search.loadingMore && <Spinner size="extra-tiny" />}
        </div>
      )}
      {search.status === 'done' && search.error && <ErrorMessage error={search.error} />}
    </Card>
  );
}
