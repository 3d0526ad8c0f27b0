//! The app itself: what it is, and links out to the system browser.

use rehome_core::{app_info::AppInfo, links, AppError, ErrorCode};
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::current(env!("CARGO_PKG_VERSION"), tauri::VERSION)
}

/// Opens one of the Microsoft pages Rehome links to in the system browser; anything else is
/// refused (`rehome_core::links`).
#[tauri::command(async)]
pub fn open_external<R: Runtime>(app: AppHandle<R>, url: String) -> Result<(), AppError> {
    let url = links::external(&url)?;
    app.opener().open_url(url.as_str(), None::<&str>).map_err(|e| {
        AppError::new(ErrorCode::Internal, format!("The browser could not be opened: {e}"))
    })
}
