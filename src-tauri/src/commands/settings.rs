//! Settings: what is kept in the journal, and where the journal lives.

use rehome_core::{preferences::Preferences, AppError};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::state::Rehome;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsOverview {
    pub preferences: Preferences,
    /// The journal's file, to show and to open its folder.
    pub journal_file: String,
}

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn settings_overview(state: State<'_, Rehome>) -> SettingsOverview {
    SettingsOverview {
        preferences: Preferences::load(&state.preferences_file),
        journal_file: state.journal_file.display().to_string(),
    }
}

// Files: never on the window's thread.
#[tauri::command(async)]
pub fn save_preferences(
    state: State<'_, Rehome>,
    preferences: Preferences,
) -> Result<(), AppError> {
    preferences.save(&state.preferences_file)
}

/// Opens the journal's folder in the system's file manager.
// Files: never on the window's thread.
#[tauri::command(async)]
pub fn open_journal_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
) -> Result<(), AppError> {
    let folder = state.journal_file.parent().unwrap_or(&state.journal_file).to_owned();
    std::fs::create_dir_all(&folder)
        .map_err(|e| AppError::internal(format!("{}: {e}", folder.display())))?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| AppError::internal(format!("The folder could not be opened: {e}")))
}
