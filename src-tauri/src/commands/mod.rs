//! One file per feature; each command is a thin adapter over `rehome-core` (five lines at most).
//! Errors cross IPC as `rehome_core::AppError`, never as a bare string.

pub mod app;
pub mod batch;
pub mod convert;
pub mod history;
pub mod reverse;
pub mod settings;
pub mod sign_in;
pub mod templates;
pub mod users;

#[cfg(test)]
mod tests {
    /// Commands that only compute or touch memory; every other command does I/O (files, SQLite,
    /// the keyring, the network) and must not run on the window's thread, where Tauri runs a
    /// plain `#[tauri::command] fn`.
    const ON_THE_WINDOWS_THREAD: &[&str] = &[
        "app_info",
        "app_registration",
        "email_problem",
        "check_message",
        "reverse_upn_problem",
        "reverse_mail_problem",
        "stop_waiting",
        "cancel_sign_in",
        "keep_sign_in_for_this_run",
    ];

    #[test]
    fn no_command_that_does_io_runs_on_the_windows_thread() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/commands");
        let mut on_main = Vec::new();
        for file in std::fs::read_dir(dir).unwrap() {
            let source = std::fs::read_to_string(file.unwrap().path()).unwrap();
            for block in source.split("#[tauri::command]").skip(1) {
                let signature = block.lines().find(|l| l.contains("fn ")).unwrap_or_default();
                if let Some(rest) = signature.trim().strip_prefix("pub fn ") {
                    on_main.push(rest.split(['(', '<']).next().unwrap_or_default().to_owned());
                }
            }
        }
        on_main.sort();
        let mut allowed: Vec<String> =
            ON_THE_WINDOWS_THREAD.iter().map(|s| s.to_string()).collect();
        allowed.sort();
        assert_eq!(on_main, allowed, "use `async fn` or `#[tauri::command(async)]`");
    }
}
