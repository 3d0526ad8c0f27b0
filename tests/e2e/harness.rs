//! Launches the real, built Rehome binary under its own Xvfb display through tauri-driver
//! (which drives WebKitWebDriver), each test with its own display, ports and data directories,
//! so tests never touch a real user's settings, data or keyring entries.

use std::{
    io::{BufRead, BufReader},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub const REPO: &str = env!("CARGO_MANIFEST_DIR");
const WAIT: Duration = Duration::from_secs(30);

/// A child process and everything it starts; killed as a group when dropped, even on panic.
struct ProcessGroup(Child);

impl ProcessGroup {
    fn spawn(command: &mut Command) -> Self {
        use std::os::unix::process::CommandExt;
        let program = format!("{:?}", command.get_program());
        Self(
            command
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {program}: {e}")),
        )
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

/// One running app and the WebDriver session that drives it.
pub struct App {
    pub client: Client,
    _driver: ProcessGroup,
    _display: ProcessGroup,
    display: String,
    home: Home,
    /// The environment the app was started with (for `start_again`).
    env: Vec<(String, String)>,
}

/// The app's private data, config and cache directories and keyring entry, kept across a
/// restart.
pub struct Home(tempfile::TempDir);

impl Home {
    pub fn new() -> Home {
        let home = Home(tempfile::tempdir().unwrap());
        // The browser the app opens: a stand-in that writes down the address it was given, so
        // the test can play the browser. No real browser ever starts during the tests.
        let bin = home.0.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script =
            format!("#!/bin/sh\necho \"$1\" >> \"{}/opened-urls\"\n", home.path().display());
        std::fs::write(bin.join("xdg-open"), script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("xdg-open"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        home
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// This home's own keyring entry (a debug build honours `REHOME_KEYRING_SERVICE`).
    pub fn keyring_service(&self) -> String {
        let name = self.0.path().file_name().unwrap().to_string_lossy().to_string();
        format!("se.rehome.desktop.test{name}")
    }
}

pub struct Launch<'a> {
    /// The operating system's locale for the app, e.g. `en_US.UTF-8`.
    pub locale: &'a str,
    /// Extra environment for the app, e.g. `REHOME_SAMPLE_URL`.
    pub env: Vec<(&'a str, String)>,
}

impl<'a> Launch<'a> {
    pub fn locale(locale: &'a str) -> Launch<'a> {
        Launch { locale, env: Vec::new() }
    }

    /// The app on `sandbox`, the sample directory running in this test process.
    pub fn sample(locale: &'a str, sandbox: &rehome_sandbox::Sandbox) -> Launch<'a> {
        Launch { locale, env: vec![("REHOME_SAMPLE_URL", sandbox.base_url().to_owned())] }
    }
}

/// A sample directory that signs Anna (User Administrator) in by itself, and the app signed in
/// to it on the home screen; `env` adds to the app's environment.
pub async fn signed_in_as_anna(
    locale: &'static str,
    env: Vec<(&'static str, String)>,
) -> (rehome_sandbox::Sandbox, App) {
    let config = rehome_sandbox::SandboxConfig {
        auto_sign_in: Some("anna.lindqvist@contoso-sample.se".into()),
        ..Default::default()
    };
    let sandbox = rehome_sandbox::Sandbox::start(config).await.unwrap();
    let mut launch = Launch::sample(locale, &sandbox);
    launch.env.extend(env);
    let app = App::launch(launch).await;
    app.sign_in_to_sample().await;
    (sandbox, app)
}

impl App {
    pub async fn launch(launch: Launch<'_>) -> App {
        App::launch_in(Home::new(), launch).await
    }

    /// Starts the app with an existing home: a restart of the same installation.
    pub async fn launch_in(home: Home, launch: Launch<'_>) -> App {
        let (display_process, display) = start_display();
        let env = app_environment(&home, &display, &launch);
        let (port, native_port) = (free_port(), free_port());
        let mut driver = Command::new(tauri_driver());
        driver
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .envs(env.clone())
            .stdout(Stdio::null());
        let driver = ProcessGroup::spawn(&mut driver);
        wait_for_port(port);

        let mut capabilities = serde_json::Map::new();
        // No browserName: tauri-driver rejects a mismatched one ("Failed to match capabilities").
        capabilities
            .insert("tauri:options".into(), json!({ "application": env!("CARGO_BIN_EXE_rehome") }));
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session with the app: {e}"));
        App { client, _driver: driver, _display: display_process, display, home, env }
    }

    /// Starts the app's binary once more, as a second click on its icon would, on the same
    /// display and data folders; returns how that second process ended.
    pub async fn start_again(&self) -> std::process::ExitStatus {
        let mut second = Command::new(env!("CARGO_BIN_EXE_rehome"));
        second.envs(self.env.clone()).stdout(Stdio::null()).stderr(Stdio::null());
        let mut second = ProcessGroup::spawn(&mut second);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = second.0.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the second start is still running");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Closes the window as the admin would with its close button (a window manager's
    /// WM_DELETE_WINDOW: the app exits normally), and waits until it is gone.
    pub async fn close_window(&self) {
        let script = Path::new(REPO).join("tests/e2e/tools/close_window.py");
        let asked = Command::new("/usr/bin/python3")
            .arg(script)
            .args([&self.display, "Rehome"])
            .output()
            .expect("python3-xlib is installed");
        assert_eq!(String::from_utf8_lossy(&asked.stdout).trim(), "1", "{asked:?}");
        let deadline = Instant::now() + WAIT;
        while self.rehome_windows() > 0 {
            assert!(Instant::now() < deadline, "the window did not close");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many windows titled Rehome the display has (GTK names more than one per app window).
    pub fn rehome_windows(&self) -> usize {
        self.window_tree().lines().filter(|line| line.contains("\"Rehome\"")).count()
    }

    fn window_tree(&self) -> String {
        let tree = Command::new("xwininfo")
            .args(["-display", &self.display, "-root", "-tree"])
            .output()
            .expect("xwininfo (x11-utils) is installed");
        String::from_utf8_lossy(&tree.stdout).into_owned()
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    /// Waits until the app has asked the OS to open a web address, and returns the latest.
    pub async fn opened_url(&self) -> String {
        self.opened_matching(|_| true).await
    }

    /// Waits until the app has asked the OS to open something `wanted` accepts (commands run
    /// off the window's thread, so the click can return before the request is made).
    pub async fn opened_matching(&self, wanted: impl Fn(&str) -> bool) -> String {
        let file = self.home.path().join("opened-urls");
        let deadline = Instant::now() + WAIT;
        loop {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            if let Some(url) = text.lines().last().filter(|url| wanted(url)) {
                return url.to_owned();
            }
            assert!(Instant::now() < deadline, "the app never opened it; opened: {text}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_for(&self, test_id: &str) -> fantoccini::elements::Element {
        self.wait_for_css(&format!("[data-testid=\"{test_id}\"]")).await
    }

    /// Every element on the page matching `selector` now (no waiting).
    pub async fn all(&self, selector: &str) -> Vec<fantoccini::elements::Element> {
        self.client.find_all(Locator::Css(selector)).await.unwrap()
    }

    pub async fn wait_for_css(&self, selector: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{selector} never appeared: {e}"))
    }

    /// Types into the text box inside `[data-testid=…]` as a person would, key by key.
    pub async fn type_into(&self, test_id: &str, text: &str) {
        let input = self
            .wait_for_css(&format!(
                "[data-testid=\"{test_id}\"] input, input[data-testid=\"{test_id}\"], \
                 textarea[data-testid=\"{test_id}\"]"
            ))
            .await;
        input.send_keys(text).await.unwrap();
    }

    /// Presses Esc in the text box inside `[data-testid=…]`.
    pub async fn press_escape(&self, test_id: &str) {
        self.type_into(test_id, &char::from(fantoccini::key::Key::Escape).to_string()).await;
    }

    pub async fn text_of(&self, test_id: &str) -> String {
        self.wait_for(test_id).await.text().await.unwrap()
    }

    /// Waits until the element's text is `expected` (the UI renders asynchronously).
    pub async fn wait_for_text(&self, test_id: &str, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text_of(test_id).await;
            if text == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "[data-testid={test_id}] says {text:?}, not {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element's text contains `expected`.
    pub async fn wait_for_text_containing(&self, test_id: &str, expected: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text_of(test_id).await;
            if text.contains(expected) {
                return;
            }
            assert!(Instant::now() < deadline, "[data-testid={test_id}] says {text:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks like a person: the element scrolled into view first; a click that lands on
    /// something still moving over it (an animation, a re-render) is tried again.
    pub async fn click(&self, test_id: &str) {
        self.click_css(&format!("[data-testid=\"{test_id}\"]")).await;
    }

    pub async fn click_css(&self, selector: &str) {
        let test_id = selector;
        let element = self.wait_for_css(selector).await;
        let deadline = Instant::now() + WAIT;
        loop {
            self.client
                .execute(
                    "arguments[0].scrollIntoView({ block: 'center' })",
                    vec![serde_json::to_value(&element).unwrap()],
                )
                .await
                .unwrap();
            match element.click().await {
                Ok(()) => return,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(error) => panic!("{test_id} could not be clicked: {error}"),
            }
        }
    }

    /// Scrolls so that `[data-testid=…]` starts at the top of the window.
    pub async fn scroll_to(&self, test_id: &str) {
        let element = self.wait_for(test_id).await;
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'start' })",
                vec![serde_json::to_value(&element).unwrap()],
            )
            .await
            .unwrap();
    }

    pub async fn script(&self, source: &str) -> Value {
        self.client.execute(source, vec![]).await.unwrap()
    }

    /// Every animation and transition shows its end state at once, from now on.
    pub async fn hold_animations_at_their_end(&self) {
        self.script(
            "if (!document.getElementById('e2e-still')) { const s = document.createElement('style'); \
             s.id = 'e2e-still'; s.textContent = '*, *::before, *::after { animation-play-state: paused !important; \
             animation-delay: -1s !important; transition: none !important; }'; document.head.appendChild(s); } return 1",
        )
        .await;
    }

    /// Saves what the window shows now under `target/e2e-screenshots/<name>.png`; with
    /// `REHOME_UPDATE_SCREENSHOTS=1` also as the README's copy in `tests/screenshots/`.
    /// Captured from the X display: WebKitWebDriver's own screenshots come back blank (and its
    /// async scripts never return) while a command such as the sign-in is still pending.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Under Xvfb, WebKit shows nothing while a CSS animation runs (a spinner, a tooltip
        // fading in): hold every animation at its end for the picture.
        self.hold_animations_at_their_end().await;
        // The last DOM change may still be painting: take frames until two in a row agree and
        // the window is not an empty background (WebKit under Xvfb can take seconds to paint).
        let mut png = self.capture();
        for _ in 0..60 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let next = self.capture();
            if next == png && png.len() > 20_000 {
                break;
            }
            png = next;
        }
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png).unwrap();
        if std::env::var_os("REHOME_UPDATE_SCREENSHOTS").is_some() {
            std::fs::write(
                Path::new(REPO).join("tests/screenshots").join(format!("{name}.png")),
                &png,
            )
            .unwrap();
        }
        path
    }

    fn capture(&self) -> Vec<u8> {
        let tree = self.window_tree();
        let window = tree
            .lines()
            .find(|line| line.contains("\"Rehome\""))
            .and_then(|line| line.split_whitespace().next())
            .unwrap_or_else(|| panic!("no Rehome window on {}:\n{tree}", self.display))
            .to_owned();
        let png = Command::new("import")
            .args(["-display", &self.display, "-window", &window, "png:-"])
            .output()
            .expect("import (imagemagick) is installed")
            .stdout;
        assert!(png.starts_with(b"\x89PNG"), "import returned no PNG");
        png
    }

    /// The app's log file, in the platform log directory of this test's private data home.
    pub fn log_file(&self) -> PathBuf {
        self.home.path().join("data/se.rehome.desktop/logs/rehome.log")
    }

    /// "Try the sample directory" with a sandbox that signs its admin in by itself: the test
    /// plays the browser, and the app lands on the home screen.
    pub async fn sign_in_to_sample(&self) {
        self.wait_for("start-screen").await;
        self.click("try-sample").await;
        play_browser(&self.opened_url().await).await;
        self.wait_for("home-screen").await;
    }

    /// Ends the session (the app exits) and hands back its home for a restart.
    pub async fn close(self) -> Home {
        let _ = self.client.close().await;
        self.home
    }
}

/// The browser: follows the authorize URL to the sandbox, which signs the admin in and redirects
/// to the app's loopback listener; returns the page the tab shows.
pub async fn play_browser(url: &str) -> String {
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = browser.get(url).send().await.unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("http://localhost:"), "redirected to the loopback: {location}");
    browser.get(location).send().await.unwrap().text().await.unwrap()
}

/// The UI's own resource file, so the tests check what a person reads against the translation.
pub fn translation(language: &str, key: &str) -> String {
    let path = Path::new(REPO).join(format!("ui/src/i18n/locales/{language}.json"));
    let tree: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    key.split('.')
        .fold(&tree, |node, part| &node[part])
        .as_str()
        .unwrap_or_else(|| panic!("no {language} text for {key}"))
        .to_owned()
}

fn target_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is <target>/tmp, wherever CARGO_TARGET_DIR points.
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf()
}

/// A private X display: Xvfb picks a free number and writes it to the pipe (`-displayfd`).
fn start_display() -> (ProcessGroup, String) {
    let mut command = Command::new("Xvfb");
    command
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut process = ProcessGroup::spawn(&mut command);
    let mut line = String::new();
    let stdout = process.0.stdout.take().unwrap();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let number = line.trim();
    assert!(!number.is_empty(), "Xvfb did not report a display (is the xvfb package installed?)");
    (process, format!(":{number}"))
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let local = Path::new(REPO).join(".tools/bin/tauri-driver");
    if local.exists() {
        local
    } else {
        "tauri-driver".into()
    }
}

/// What the app sees of its surroundings: its own display, locale, data folders, keyring entry
/// and a stand-in browser.
fn app_environment(home: &Home, display: &str, launch: &Launch) -> Vec<(String, String)> {
    let data = home.path();
    let path =
        format!("{}:{}", data.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let language = launch.locale.split('.').next().unwrap_or(launch.locale);
    let mut env: Vec<(String, String)> = [
        ("DISPLAY", display.to_owned()),
        ("GDK_BACKEND", "x11".into()),
        ("NO_AT_BRIDGE", "1".into()),
        ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1".into()),
        ("LANG", launch.locale.into()),
        ("LC_ALL", launch.locale.into()),
        ("LANGUAGE", language.into()),
        ("XDG_DATA_HOME", data.join("data").display().to_string()),
        ("XDG_CONFIG_HOME", data.join("config").display().to_string()),
        ("XDG_CACHE_HOME", data.join("cache").display().to_string()),
        ("PATH", path),
        ("REHOME_KEYRING_SERVICE", home.keyring_service()),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value))
    .collect();
    env.extend(launch.env.iter().map(|(key, value)| ((*key).to_owned(), value.clone())));
    env
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "tauri-driver did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
