//! Signing in to the sample directory in the real window: the browser flow with the test playing
//! the browser, the admin and the "What you can do" panel, a restart that lands signed in, sign
//! out that removes the keyring entry; and no token anywhere it must not be.
//!
//! The sample directory runs in this test process (`REHOME_SAMPLE_URL`), so the test can see every
//! token it issued. The keyring is the private Secret Service `make test` starts; each app gets its
//! own entry there.

use std::path::Path;

use rehome_core::auth::{KeyringStore, TokenStore};
use rehome_sandbox::{Sandbox, SandboxConfig};

use crate::harness::{play_browser, translation, App, Launch};

const ANNA: &str = "anna.lindqvist@contoso-sample.se";

/// Records every IPC response the page receives. Tauri's own IPC functions cannot be replaced
/// (they are defined read-only), but they call `window.fetch` for the `ipc:` protocol each time.
const RECORD_IPC: &str = r#"
window.__ipcRecord = [];
const original = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await original(input, init);
  const url = String((input && input.url) || input);
  if (url.startsWith('ipc:') || url.includes('ipc.localhost')) {
    window.__ipcRecord.push(url + ' ' + (await response.clone().text()));
  }
  return response;
};
return true;
"#;

async fn sample(auto_sign_in: Option<&str>) -> Sandbox {
    let config =
        SandboxConfig { auto_sign_in: auto_sign_in.map(str::to_owned), ..Default::default() };
    Sandbox::start(config).await.unwrap()
}

/// Every file under `dir` that contains one of `secrets`.
fn files_containing(dir: &Path, secrets: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
        } else if let Ok(bytes) = std::fs::read(&path) {
            let text = String::from_utf8_lossy(&bytes);
            if secrets.iter().any(|secret| text.contains(secret.as_str())) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_to_the_sample_restart_signed_in_then_sign_out_and_no_token_leaks() {
    let sandbox = sample(Some(ANNA)).await;
    let app = App::launch(Launch::sample("en_US.UTF-8", &sandbox)).await;
    // The app's own entry in the private Secret Service `make test` runs.
    let keyring = KeyringStore::new(&app.home().keyring_service());
    app.wait_for("start-screen").await;
    assert_eq!(app.script(RECORD_IPC).await, true);
    app.click("try-sample").await;
    app.wait_for_text("waiting-title", &translation("en", "waiting.browser.title")).await;
    let url = app.opened_url().await;
    assert!(url.starts_with(sandbox.base_url()) && url.contains("code_challenge_method=S256"));
    app.screenshot("sign-in-browser-en").await;

    let tab = play_browser(&url).await;
    assert!(tab.contains("You are signed in"), "{tab}");
    app.wait_for("home-screen").await;
    assert_eq!(app.text_of("admin-upn").await, ANNA);
    assert_eq!(app.text_of("admin-name").await, "Anna Lindqvist");
    let roles = app.text_of("admin-roles").await;
    assert_eq!(
        roles,
        format!(
            "{} ({})",
            translation("en", "home.role.userAdministrator"),
            translation("en", "home.rolesFrom.signIn")
        )
    );
    assert!(app.text_of("org-name").await.starts_with("Contoso (sample)"));
    assert_eq!(app.text_of("tenant-id").await, sandbox.control().tenant_id());
    assert_eq!(
        app.text_of("capability-convertUsers").await,
        translation("en", "home.capability.convertUsers")
    );
    app.wait_for("practice-badge").await;
    app.screenshot("home-en").await;
    let stored = keyring.load().unwrap().expect("the sign-in is remembered in the keyring");
    assert_eq!(stored.username, ANNA);

    // No token in anything the webview received, nor in the page itself.
    let tokens = sandbox.control().issued_tokens();
    assert!(tokens.len() >= 3, "access, ID and refresh tokens were issued: {}", tokens.len());
    let record = app.script("return window.__ipcRecord.join('\\n')").await;
    let record = record.as_str().unwrap().to_owned();
    assert!(
        record.contains("sign_in") && record.contains(ANNA),
        "the recorder saw the sign-in: {record}"
    );
    let page = app.script("return document.documentElement.outerHTML").await;
    for token in &tokens {
        assert!(!record.contains(token.as_str()), "a token crossed IPC");
        assert!(!page.as_str().unwrap().contains(token.as_str()), "a token is in the page");
    }

    // Restart: the remembered sign-in is refreshed silently and the app opens signed in.
    let home = app.close().await;
    let app = App::launch_in(home, Launch::sample("en_US.UTF-8", &sandbox)).await;
    app.wait_for("home-screen").await;
    assert_eq!(app.text_of("admin-upn").await, ANNA);
    assert_ne!(
        keyring.load().unwrap().unwrap().refresh_token,
        stored.refresh_token,
        "the rotated refresh token replaced the used one"
    );

    app.click("sign-out").await;
    app.wait_for("start-screen").await;
    assert_eq!(keyring.load().unwrap(), None, "signing out removes the keyring entry");
    let home = app.close().await;

    // Nothing on disk (data, config, cache, logs, webview storage) holds a token.
    let tokens = sandbox.control().issued_tokens();
    assert_eq!(files_containing(home.path(), &tokens), Vec::<String>::new());
    let log = std::fs::read_to_string(home.path().join("data/se.rehome.desktop/logs/rehome.log"));
    assert!(log.unwrap_or_default().contains("Rehome started"));
}

#[tokio::test(flavor = "multi_thread")]
async fn swedish_sign_in_screens_device_code_and_app_registration() {
    let sandbox = sample(None).await;
    sandbox.control().set_device_code_interval(1);
    let app = App::launch(Launch::sample("sv_SE.UTF-8", &sandbox)).await;
    app.wait_for_text("start-title", &translation("sv", "start.title")).await;
    app.screenshot("start-sv").await;

    app.click("try-sample-device-code").await;
    let code = app.text_of("device-code").await;
    app.wait_for_text("waiting-title", &translation("sv", "waiting.deviceCode.title")).await;
    app.screenshot("sign-in-device-code-sv").await;
    assert!(sandbox.control().approve_device_code(&code, "elin.holm@contoso-sample.se"));
    app.wait_for("home-screen").await;
    assert_eq!(
        app.text_of("capability-personalMessageDropped").await,
        translation("sv", "home.capability.personalMessageDropped")
    );
    app.screenshot("home-sv").await;
    app.click("sign-out").await;
    app.wait_for("start-screen").await;

    app.click("app-registration-link").await;
    app.wait_for("app-registration-screen").await;
    app.wait_for("permission-User.Invite.All").await;
    let manifest = app.text_of("manifest").await;
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["publicClient"]["redirectUris"][0], "http://localhost");
    app.screenshot("app-registration-sv").await;
    app.close().await;
}

/// An organisation that registered Rehome without the roles claim and without one optional
/// permission: the home screen says it cannot tell the roles (not "none") and names the gap.
#[tokio::test(flavor = "multi_thread")]
async fn roles_that_cannot_be_read_and_a_missing_permission_are_said_plainly() {
    for (locale, language) in [("en_US.UTF-8", "en"), ("sv_SE.UTF-8", "sv")] {
        let sandbox = sample(Some(ANNA)).await;
        sandbox.control().set_group_membership_claims("None");
        sandbox.control().withhold_consent("GroupMember.Read.All");
        let app = App::launch(Launch::sample(locale, &sandbox)).await;
        app.sign_in_to_sample().await;
        assert_eq!(app.text_of("admin-roles").await, translation(language, "home.role.unknown"));
        assert_eq!(
            app.text_of("capability-rolesUnknown").await,
            translation(language, "home.capability.rolesUnknown")
        );
        let gap = app.text_of("missing-checkGroups").await;
        assert!(gap.contains("GroupMember.Read.All"), "{gap}");
        app.scroll_to("missing-permissions").await;
        app.screenshot(&format!("home-roles-unknown-{language}")).await;
    }
}
