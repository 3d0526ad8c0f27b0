//! A bare Tauri 2 window for `make bench`: it prints the same start-up line Rehome logs.

use std::{sync::OnceLock, time::Instant};

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Its page has no code of its own to wait for: it takes input once it is painted, so it prints
/// both of Rehome's lines at once.
#[tauri::command]
fn first_screen_shown() {
    let ms = STARTED.get().map_or(0, |started| started.elapsed().as_millis());
    #[allow(clippy::print_stdout)]
    {
        println!("first screen shown after {ms} ms");
        println!("first screen ready for input after {ms} ms");
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_screen_shown])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("bare-window could not start: {error}");
        std::process::exit(1);
    }
}
