//! Commands driven through Tauri's mock runtime with the app's real command table:
//! the same path the webview's `invoke` takes, minus the window.

use serde_json::Value;
use tauri::{
    ipc::{CallbackFn, InvokeBody},
    test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY},
    webview::InvokeRequest,
    WebviewWindowBuilder,
};

fn invoke(cmd: &str) -> Result<Value, Value> {
    let app = rehome_lib::build_app(mock_builder()).build(mock_context(noop_assets())).unwrap();
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "http://tauri.localhost".parse().unwrap(),
            body: InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_reports_this_build() {
    let info = invoke("app_info").unwrap();
    assert_eq!(info["name"], "Rehome");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["shellVersion"], tauri::VERSION);
    assert_eq!(info["os"], std::env::consts::OS);
    assert!(matches!(info["buildProfile"].as_str(), Some("debug" | "release")), "{info}");
}

#[test]
fn an_unknown_command_is_refused() {
    assert!(invoke("get_secret").is_err());
}
