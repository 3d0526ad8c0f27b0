use crate::harness::{translation, App, Launch};

#[tokio::test(flavor = "multi_thread")]
async fn the_start_screen_renders_in_english_and_reaches_the_rust_side() {
    let app = App::launch(Launch::locale("en_US.UTF-8")).await;
    app.wait_for_text("start-title", &translation("en", "start.title")).await;
    for (test_id, key) in [
        ("sign-in-browser", "start.method.browser"),
        ("sign-in-device-code", "start.method.deviceCode"),
        ("sign-in-azure-cli", "start.method.azureCli"),
        ("try-sample", "start.sample.button"),
    ] {
        assert_eq!(app.text_of(test_id).await, translation("en", key), "{test_id}");
    }
    // The version comes from Rust, handed over with the page (the start facts) before any script ran.
    app.wait_for_text("app-version", &format!("Version {}", env!("CARGO_PKG_VERSION"))).await;
    assert_eq!(app.script("return document.documentElement.lang").await, "en");
    assert_eq!(app.client.title().await.unwrap(), "Rehome");
    // With nothing set up, the start screen was in the page before the app's code (prerendered,
    // ui/src/prerendered.ts), and the code took it over: Rust's facts are the prerendered ones.
    app.wait_for_css("#root[data-prerendered=\"hydrated\"]").await;
    // Rust logs both moments (off the window's thread, so a moment later).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let log = std::fs::read_to_string(app.log_file()).unwrap_or_default();
        if ["first screen shown after", "first screen ready for input after"]
            .iter()
            .all(|line| log.contains(line))
        {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the log never said both: {log}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.screenshot("start-en").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_security_baseline_and_the_log_are_in_force_in_the_real_app() {
    let app = App::launch(Launch::locale("en_US.UTF-8")).await;
    app.wait_for("start-screen").await;
    // No global Tauri object for page scripts to reach.
    assert_eq!(app.script("return typeof window.__TAURI__").await, "undefined");
    // The CSP has no 'unsafe-eval' and no remote script hosts.
    let eval =
        app.script("try { eval('1 + 1'); return 'ran'; } catch (e) { return e.name; }").await;
    assert_eq!(eval, "EvalError", "eval must be blocked by the content security policy");
    let injected = app
        .script(
            "const s = document.createElement('script'); s.textContent = 'window.injected = 1';             document.head.appendChild(s); return typeof window.injected;",
        )
        .await;
    assert_eq!(injected, "undefined", "an inline script must be blocked by the CSP");
    // The window never leaves Rehome's own pages.
    let origin = app.script("return window.location.origin").await;
    app.script("window.location.href = 'https://example.invalid/phish'; return 1").await;
    let refused = || {
        std::fs::read_to_string(app.log_file())
            .is_ok_and(|log| log.contains("navigation away from Rehome refused"))
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !refused() {
        assert!(std::time::Instant::now() < deadline, "the navigation was never refused");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.script("return window.location.origin").await, origin);
    app.wait_for("start-screen").await;
    // The log goes to the platform log directory.
    let log = std::fs::read_to_string(app.log_file()).unwrap_or_default();
    assert!(log.contains("Rehome started"), "log file {:?}: {log:?}", app.log_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&app.log_file()), 0o600, "the log is the admin's alone");
        assert_eq!(mode(app.log_file().parent().unwrap()), 0o700);
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_to_swedish_changes_the_visible_texts() {
    let app = App::launch(Launch::locale("en_US.UTF-8")).await;
    app.wait_for_text("start-title", &translation("en", "start.title")).await;

    app.click("language-menu").await;
    app.click("language-option-sv").await;

    app.wait_for_text("start-title", &translation("sv", "start.title")).await;
    assert_ne!(translation("sv", "start.title"), translation("en", "start.title"));
    assert_eq!(app.text_of("try-sample").await, translation("sv", "start.sample.button"));
    assert_eq!(app.text_of("sign-in-browser").await, translation("sv", "start.method.browser"));
    assert_eq!(app.text_of("language-menu").await, "Svenska");
    assert_eq!(app.script("return document.documentElement.lang").await, "sv");
    app.screenshot("start-sv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_swedish_system_opens_rehome_in_swedish() {
    let app = App::launch(Launch::locale("sv_SE.UTF-8")).await;
    app.wait_for_text("start-title", &translation("sv", "start.title")).await;
    // The Swedish prerendered start screen, taken over by the app's code.
    app.wait_for_css("#root[data-prerendered=\"hydrated\"]").await;
    assert_eq!(app.script("return document.documentElement.lang").await, "sv");
    app.close().await;
}
