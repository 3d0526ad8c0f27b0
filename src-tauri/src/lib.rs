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
    use commands::{app, convert, history, settings, sign_in, templates, users};
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(own_pages_only())
        // The one setup hook (a second `.setup` would replace this one).
        .setup(|app| {
            tracing::info!(version = %app.package_info().version, "Rehome started");
            app.manage(state::Rehome::new(app.handle()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app::app_info,
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
            settings::settings_overview,
            settings::save_preferences,
            settings::open_journal_folder,
        ])
}

pub fn run() {
    private_by_default();
    linux_webview_workarounds();
    let result =
        build_app(Builder::default()).plugin(logging::plugin()).run(tauri::generate_context!());
    if let Err(error) = result {
        // Nothing is on screen yet, so stderr is the only place left to say why.
        eprintln!("Rehome could not start: {error}");
        std::process::exit(1);
    }
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
