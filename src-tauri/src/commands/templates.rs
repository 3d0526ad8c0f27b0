//! Invitation templates kept on this workstation.

use rehome_core::{templates::Template, AppError};
use tauri::State;

use crate::state::Rehome;

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn templates(state: State<'_, Rehome>) -> Result<Vec<Template>, AppError> {
    state.templates.list()
}

/// Saves (or replaces, by name) a template; answers the whole list.
// Files: never on the window's thread.
#[tauri::command(async)]
pub fn save_template(
    state: State<'_, Rehome>,
    template: Template,
) -> Result<Vec<Template>, AppError> {
    state.templates.save(template)
}

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn rename_template(
    state: State<'_, Rehome>,
    from: String,
    to: String,
) -> Result<Vec<Template>, AppError> {
    state.templates.rename(&from, &to)
}

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn delete_template(state: State<'_, Rehome>, name: String) -> Result<Vec<Template>, AppError> {
    state.templates.delete(&name)
}
