use rehome_core::app_info::AppInfo;

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::current(env!("CARGO_PKG_VERSION"), tauri::VERSION)
}
