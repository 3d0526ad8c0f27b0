import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import i18n from '../i18n';
import { LanguageMenu, loadLanguageMenu } from './LanguageMenu';

const show = () =>
  render(
    <FluentProvider theme={webLightTheme}>
      <LanguageMenu />
    </FluentProvider>,
  );

afterEach(async () => {
  await act(() => i18n.changeLanguage('en'));
});

describe('LanguageMenu', () => {
  it('opens from the button that was there from the start, and switches the language', async () => {
    show();
    const button = screen.getByTestId('language-menu');
    expect(button).toHaveAttribute('aria-haspopup', 'menu');
    expect(button).not.toHaveAttribute('aria-expanded');

    // A click before the menu's code is in fetches it and opens the menu once it is.
    fireEvent.click(button);
    fireEvent.click(await screen.findByTestId('language-option-sv'));

    await waitFor(() => expect(i18n.language).toBe('sv'));
    expect(screen.getByTestId('language-menu')).toBe(button); // the same element, never replaced
    expect(button).toHaveTextContent('Svenska');
    await waitFor(() => expect(screen.queryByTestId('language-option-en')).not.toBeInTheDocument());
  });

  it('opens with Arrow Down, labelled by its button, and closes with Escape', async () => {
    await loadLanguageMenu();
    show();
    const button = screen.getByTestId('language-menu');
    fireEvent.keyDown(button, { key: 'ArrowDown' });
    const menu = await screen.findByRole('menu');
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(menu).toHaveAttribute('aria-labelledby', button.id);
    expect(screen.getByTestId('language-option-en')).toHaveAttribute('aria-checked', 'true');

    fireEvent.keyDown(screen.getByTestId('language-option-en'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument());
    expect(button).not.toHaveAttribute('aria-expanded');
    expect(document.activeElement).toBe(button); // the focus goes back to the button
    expect(i18n.language).toBe('en');
  });
});
