//! The Tauri shell. It holds no business logic: commands are thin adapters over `rehome-core`.
//! `build_app` is shared by `run()` and by the tests that drive commands through Tauri's mock
//! runtime, so both see exactly the same command table.

pub mod bindings;
mod commands;
pub mod logging;
mod state;

use tauri::{Builder, Manager, Runtime};

/// Everything the app registers, for any runtime (the real one or the test mock).
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::{app, convert, history, reverse, settings, sign_in, templates, users};
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(own_pages_only())
        // Makes Rehome's state, and hands the page what its first screen needs.
        .plugin(app::start_facts())
        // The one setup hook (a second `.setup` would replace this one).
        .setup(|app| {
            tracing::info!(version = %app.package_info().version, "Rehome started");
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app::app_info,
            app::first_screen_shown,
            app::first_screen_ready,
            sign_in::sign_in_setup,
            sign_in::app_registration,
            sign_in::save_sign_in_settings,
            sign_in::resume_sign_in,
            sign_in::sign_in,
            sign_in::cancel_sign_in,
            sign_in::sign_out,
            sign_in::keep_sign_in_for_this_run,
            users::search_users,
            users::more_users,
            users::review_user,
            users::email_problem,
            convert::preview_conversion,
            convert::convert_user,
            convert::unfinished_conversions,
            convert::reconcile_conversion,
            convert::stop_waiting,
            app::open_external,
            templates::templates,
            templates::save_template,
            templates::rename_template,
            templates::delete_template,
            history::history,
            history::refresh_redemption,
            history::delete_history_entry,
            history::export_history,
            reverse::review_reverse,
            reverse::reverse_upn_problem,
            reverse::reverse_mail_problem,
            reverse::preview_reverse,
            reverse::convert_to_internal,
            settings::settings_overview,
            settings::save_preferences,
            settings::open_journal_folder,
            commands::batch::import_batch_file,
            commands::batch::import_batch_text,
            commands::batch::practice_batch_list,
            commands::batch::save_batch_template,
            commands::batch::dry_run_batch,
            commands::batch::export_batch_dry_run,
            commands::batch::check_message,
            commands::batch::run_batch,
            commands::batch::batch_status,
            commands::batch::pause_batch,
            commands::batch::resume_batch,
            commands::batch::stop_batch,
            commands::batch::unfinished_batches,
            commands::batch::continue_batch,
            commands::batch::discard_batch,
            commands::batch::export_batch_result,
        ])
}

pub fn run() {
    commands::app::note_start();
    private_by_default();
    linux_webview_workarounds();
    // One instance first: a second start hands over to the running one before anything else runs.
    let builder =
        Builder::default().plugin(one_instance_per_data_folder()).plugin(remembered_window());
    let result = build_app(builder).plugin(logging::plugin()).run(tauri::generate_context!());
    if let Err(error) = result {
        // Nothing is on screen yet, so stderr is the only place left to say why.
        eprintln!("Rehome could not start: {error}");
        std::process::exit(1);
    }
}

/// Starting Rehome again (a second click on its icon) shows the running window instead of a
/// second copy writing to the same journal. "The same" is per data folder: on Linux the D-Bus
/// name carries a stable hash of what decides it (Windows keys its mutex on the identifier).
fn one_instance_per_data_folder<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(IDENTIFIER, data_home().as_os_str()))
        .callback(|app, _args, _cwd| {
            tracing::info!("Rehome was started again: showing this window instead");
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        })
        .build()
}

/// tauri.conf.json's identifier (the plugin is built before the app's config is read).
const IDENTIFIER: &str = "se.rehome.desktop";

/// What the data folder follows on Linux: `$XDG_DATA_HOME`, else the home folder.
fn data_home() -> std::ffi::OsString {
    std::env::var_os("XDG_DATA_HOME").or_else(|| std::env::var_os("HOME")).unwrap_or_default()
}

/// `identifier.p<FNV-1a of the data home>`: a valid D-Bus name element, the same across Rehome
/// versions (std's hasher is not), so an older running copy is still found.
fn instance_id(identifier: &str, data_home: &std::ffi::OsStr) -> String {
    let hash = data_home.as_encoded_bytes().iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{identifier}.p{hash:016x}")
}

/// The window opens where and as large as the admin left it (on a monitor that is still there).
fn remembered_window<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_window_state::StateFlags;
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
        .build()
}

/// The window never leaves Rehome's own pages: a link or a redirect elsewhere is refused (links
/// out go through `open_external`, to the system browser).
fn own_pages_only<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("own-pages-only")
        .on_navigation(|webview, url| {
            let dev_server =
                cfg!(debug_assertions).then(|| webview.config().build.dev_url.clone()).flatten();
            let allowed = rehome_core::links::navigation_allowed(url, dev_server.as_ref());
            if !allowed {
                tracing::warn!(%url, "navigation away from Rehome refused");
            }
            allowed
        })
        .build()
}

/// Everything Rehome creates (logs and their rotations, the webview's data, the journal) is its
/// owner's alone on Unix: folders 0700, files 0600, as created. Rehome's own files also ask for
/// that themselves (`rehome_core::private_files`).
pub fn private_by_default() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// WebKitGTK's DMA-BUF renderer shows a blank window on many GPU stacks (NVIDIA, some Wayland
/// compositors); turning it off is the ecosystem-standard fix. Set only when the user has not
/// chosen, so `WEBKIT_DISABLE_DMABUF_RENDERER=0` opts back in.
fn linux_webview_workarounds() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // Safe here: called before any thread is started.
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_instance_name_follows_the_apps_identifier_and_data_folder() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap_or_default();
        assert_eq!(config["identifier"], super::IDENTIFIER);

        let one = super::instance_id(super::IDENTIFIER, "/home/anna/.local/share".as_ref());
        let other = super::instance_id(super::IDENTIFIER, "/tmp/test-home/data".as_ref());
        assert_ne!(one, other);
        assert_eq!(one, super::instance_id(super::IDENTIFIER, "/home/anna/.local/share".as_ref()));
        // A D-Bus name element: letters, digits, '_' or '-', not starting with a digit.
        let last = one.rsplit('.').next().unwrap_or_default();
        assert!(last.starts_with('p') && last[1..].chars().all(|c| c.is_ascii_hexdigit()), "{one}");
    }
}
