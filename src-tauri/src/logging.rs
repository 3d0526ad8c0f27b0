//! Logging: `tracing` events (from the shell and `rehome-core`) reach the `log` facade through
//! tracing's `log` feature, and tauri-plugin-log writes them to the platform log directory
//! (Linux: `~/.local/share/<identifier>/logs`, Windows: `%LOCALAPPDATA%\<identifier>\logs`,
//! macOS: `~/Library/Logs/<identifier>`). Every line passes through secret redaction first.

use std::path::PathBuf;

use rehome_core::redact::redact_secrets;
use tauri::{plugin::TauriPlugin, Runtime};
use tauri_plugin_log::{Target, TargetKind};

const LOG_FILE_NAME: &str = "rehome";

/// The plugin for the running app: the platform log directory and stdout.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    builder(TargetKind::LogDir { file_name: Some(LOG_FILE_NAME.into()) }).build()
}

/// The same logger writing into `folder`, for tests that read the file back.
pub fn plugin_writing_to<R: Runtime>(folder: PathBuf) -> TauriPlugin<R> {
    builder(TargetKind::Folder { path: folder, file_name: Some(LOG_FILE_NAME.into()) }).build()
}

fn builder(file: TargetKind) -> tauri_plugin_log::Builder {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(file))
        .target(Target::new(TargetKind::Stdout))
        .level(log::LevelFilter::Info)
        // The D-Bus library (one instance per data folder) narrates its handshake at info.
        .level_for("zbus", log::LevelFilter::Warn)
        .level_for("tracing::span", log::LevelFilter::Warn)
        .max_file_size(2_000_000)
        .rotation_strategy(tauri_plugin_log::RotationStrategy::KeepSome(5))
        .format(|out, message, record| {
            let line = message.to_string();
            out.finish(format_args!(
                "{} {:<5} {} {}",
                humantime::format_rfc3339_millis(std::time::SystemTime::now()),
                record.level(),
                record.target(),
                redact_secrets(&line)
            ))
        })
}
