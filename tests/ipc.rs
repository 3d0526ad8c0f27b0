//! Commands driven through Tauri's mock runtime with the app's real command table, real
//! configuration and real capabilities (the ACL): the path the webview's `invoke` takes, minus
//! the window.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use tauri::{
    ipc::{CallbackFn, InvokeBody},
    test::{get_ipc_response, mock_builder, INVOKE_KEY},
    webview::InvokeRequest,
    WebviewWindowBuilder,
};

/// The app's own origin on Linux and macOS (Windows uses http://tauri.localhost).
const APP_ORIGIN: &str = "tauri://localhost";

fn invoke(cmd: &str, origin: &str) -> Result<Value, Value> {
    let app =
        rehome_lib::build_app(mock_builder()).build(tauri::generate_context!(test = true)).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: origin.parse().unwrap(),
            body: InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_reports_this_build() {
    let info = invoke("app_info", APP_ORIGIN).unwrap();
    assert_eq!(info["name"], "Rehome");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["shellVersion"], tauri::VERSION);
    assert_eq!(info["os"], std::env::consts::OS);
    assert!(matches!(info["buildProfile"].as_str(), Some("debug" | "release")), "{info}");
}

#[test]
fn an_unknown_command_is_refused() {
    assert!(invoke("get_secret", APP_ORIGIN).is_err());
}

#[test]
fn a_remote_page_cannot_call_commands() {
    let refusal = invoke("app_info", "https://attacker.example").unwrap_err();
    assert!(refusal.to_string().contains("not allowed"), "{refusal}");
}
