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
    data: tempfile::TempDir,
}

pub struct Launch<'a> {
    /// The operating system's locale for the app, e.g. `en_US.UTF-8`.
    pub locale: &'a str,
}

impl App {
    pub async fn launch(launch: Launch<'_>) -> App {
        let (display_process, display) = start_display();
        let data = tempfile::tempdir().unwrap();
        let (port, native_port) = (free_port(), free_port());
        let mut driver = Command::new(tauri_driver());
        driver
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env("GDK_BACKEND", "x11")
            .env("NO_AT_BRIDGE", "1")
            .env("LANG", launch.locale)
            .env("LC_ALL", launch.locale)
            .env("LANGUAGE", launch.locale.split('.').next().unwrap_or(launch.locale))
            .env("XDG_DATA_HOME", data.path().join("data"))
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .env("XDG_CACHE_HOME", data.path().join("cache"))
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
        App { client, _driver: driver, _display: display_process, data }
    }

    pub async fn wait_for(&self, test_id: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&format!("[data-testid=\"{test_id}\"]")))
            .await
            .unwrap_or_else(|e| panic!("[data-testid={test_id}] never appeared: {e}"))
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

    pub async fn click(&self, test_id: &str) {
        self.wait_for(test_id).await.click().await.unwrap();
    }

    pub async fn script(&self, source: &str) -> Value {
        self.client.execute(source, vec![]).await.unwrap()
    }

    /// Saves what the window shows now under `target/e2e-screenshots/<name>.png`; with
    /// `REHOME_UPDATE_SCREENSHOTS=1` also as the README's copy in `tests/screenshots/`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // A screenshot right after a DOM change can show the previous frame: wait two frames.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await
            .unwrap();
        let png = self.client.screenshot().await.unwrap();
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

    /// The app's log file, in the platform log directory of this test's private data home.
    pub fn log_file(&self) -> PathBuf {
        self.data.path().join("data/se.rehome.desktop/logs/rehome.log")
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
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
