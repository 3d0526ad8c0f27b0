//! The app itself: what it is, how fast its first screen came, and links out to the system
//! browser.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        OnceLock,
    },
    time::Instant,
};

use rehome_core::{app_info::AppInfo, config, links, AppError, ErrorCode};
use tauri::{plugin::Plugin, AppHandle, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;

use crate::state::Rehome;

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo::current(env!("CARGO_PKG_VERSION"), tauri::VERSION)
}

/// What the page needs for its first render, handed over before its own scripts run
/// (`window.__REHOME_START__`, read by ui/src/start.ts), so the first screen needs no round trip:
/// this build's facts and the system's language, and – on the page's first load only – the
/// sign-in settings and whether a sign-in is saved (without asking the keyring). A reload asks.
pub fn start_facts() -> StartFacts {
    StartFacts { script: None }
}

pub struct StartFacts {
    script: Option<String>,
}

impl<R: Runtime> Plugin<R> for StartFacts {
    fn name(&self) -> &'static str {
        "start-facts"
    }

    /// Runs before the window is made: Rehome's state is made here, so its facts can be read.
    fn initialize(
        &mut self,
        app: &AppHandle<R>,
        _config: serde_json::Value,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let state = Rehome::new(app);
        let sign_in = serde_json::json!({
            // A few small files, read once before the window exists.
            "setup": config::resolve(&state.config_sources()),
            "saved": !state.sign_in.nothing_to_resume(),
        });
        app.manage(state);
        // JSON is a JavaScript expression; session storage tells a reload from the first load.
        self.script = Some(format!(
            "window.__REHOME_START__ = {{ appInfo: {info} }};\n\
             if (!sessionStorage.getItem('rehome.loaded')) {{\n\
               sessionStorage.setItem('rehome.loaded', '1');\n\
               window.__REHOME_START__.signIn = {sign_in};\n\
             }}",
            info = serde_json::to_string(&app_info())?,
        ));
        Ok(())
    }

    fn initialization_script(&self) -> Option<String> {
        self.script.clone()
    }
}

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Called first thing in `run`: "first screen shown after N ms" counts from here.
pub fn note_start() {
    STARTED.get_or_init(Instant::now);
}

/// The page painted its first real screen (start or home). Logged once per run with the time
/// since Rehome started: for support, and what `make bench` reads (benches/startup).
// Writes the log file: never on the window's thread.
#[tauri::command(async)]
pub fn first_screen_shown() {
    static SHOWN: AtomicBool = AtomicBool::new(false);
    log_once(&SHOWN, "first screen shown");
}

/// The first screen takes input: at once when React drew it, once hydrated when it was the
/// prerendered start screen (ui/src/prerendered.ts). Logged once per run, as above.
#[tauri::command(async)]
pub fn first_screen_ready() {
    static READY: AtomicBool = AtomicBool::new(false);
    log_once(&READY, "first screen ready for input");
}

fn log_once(logged: &AtomicBool, what: &str) {
    if !logged.swap(true, Ordering::Relaxed) {
        let ms = STARTED.get().map_or(0, |started| started.elapsed().as_millis());
        tracing::info!("{what} after {ms} ms");
    }
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
