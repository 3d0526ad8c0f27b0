//! History: the journal on screen, redemption refreshed, CSV export, deleting an entry.

use rehome_core::{
    history::{self, Redemption},
    journal::{Journal, JournalEntry},
    AppError,
};
use tauri::{AppHandle, Runtime, State};

use crate::state::Rehome;

/// Every conversion this workstation made, newest first.
#[tauri::command]
pub async fn history(state: State<'_, Rehome>) -> Result<Vec<JournalEntry>, AppError> {
    state.journal().await?.off_thread(Journal::entries).await
}

/// Reads each user's redemption now, twenty to a round trip.
#[tauri::command]
pub async fn refresh_redemption(
    state: State<'_, Rehome>,
    user_ids: Vec<String>,
) -> Result<Vec<Redemption>, AppError> {
    history::refresh(&*state.sign_in.graph().await?, &user_ids).await
}

/// Deletes one entry after the admin confirmed it; `false` if it was already gone.
#[tauri::command]
pub async fn delete_history_entry(state: State<'_, Rehome>, id: u32) -> Result<bool, AppError> {
    state.journal().await?.off_thread(move |j| j.delete(id)).await
}

/// Asks where to save (the system's save dialog) and writes the journal as CSV there; answers
/// the path, or `None` when the admin cancelled.
#[tauri::command]
pub async fn export_history<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Rehome>,
) -> Result<Option<String>, AppError> {
    let entries = state.journal().await?.off_thread(Journal::entries).await?;
    let Some(path) = state.export_target(&app).await else { return Ok(None) };
    let shown = path.display().to_string();
    rehome_core::blocking::run("export", move || history::export(&entries, &path)).await?;
    Ok(Some(shown))
}
