//! What the app holds while it runs: the sign-in, the sample directory (started when first
//! used), and where the settings files are.

use std::path::PathBuf;

use rehome_core::{
    auth::SignInTarget,
    batch::Batches,
    cloud::{Cloud, CloudId},
    config::ConfigSources,
    convert::Conversions,
    journal::Journal,
    profile::Profile,
    reverse::Reversals,
    reviews::Reviews,
    search::Searches,
    sign_in::SignInService,
    templates::Templates,
    AppError, ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use tokio::sync::OnceCell;

pub struct Rehome {
    pub sign_in: SignInService,
    pub searches: Searches,
    pub conversions: Conversions,
    pub reviews: Reviews,
    /// The way back to internal: its reviews and running conversions.
    pub reversals: Reversals,
    /// Lists, dry runs and runs of a batch of accounts (issue 17).
    pub batches: Batches,
    pub templates: Templates,
    pub journal_file: PathBuf,
    journal: OnceCell<Journal>,
    pub preferences_file: PathBuf,
    pub settings_file: PathBuf,
    deployed_files: Vec<PathBuf>,
    sample: OnceCell<SampleDirectory>,
}

/// The in-process sandbox, or one already running elsewhere (`REHOME_SAMPLE_URL`: tests, demos).
enum SampleDirectory {
    InProcess(Sandbox),
    External(String),
}

impl Rehome {
    pub fn new<R: Runtime>(app: &AppHandle<R>) -> Rehome {
        let identifier = &app.config().identifier;
        // Debug builds keep their own keyring entry, so development never touches a real one;
        // tests give each app they start its own (`REHOME_KEYRING_SERVICE`, debug builds only).
        let keyring_service = if cfg!(debug_assertions) {
            std::env::var("REHOME_KEYRING_SERVICE").unwrap_or_else(|_| format!("{identifier}.dev"))
        } else {
            identifier.clone()
        };
        let config_dir = app.path().app_config_dir().unwrap_or_default();
        // The journal is this workstation's record: kept local, never roamed with a Windows
        // profile (%LOCALAPPDATA%; on Linux the same folder as the app's data).
        let data_dir = app.path().app_local_data_dir().unwrap_or_default();
        let mut deployed_files = vec![config_dir.join("rehome.json")];
        deployed_files.extend(system_config_dir().map(|dir| dir.join("rehome.json")));
        deployed_files.extend(
            std::env::current_exe().ok().and_then(|exe| Some(exe.parent()?.join("rehome.json"))),
        );
        Rehome {
            // Beside the journal, a file that says a sign-in is saved: without it, start-up
            // does not wait for the keyring.
            sign_in: SignInService::new(
                &keyring_service,
                &data_dir.join(format!("{keyring_service}.sign-in-saved")),
            ),
            searches: Searches::default(),
            conversions: Conversions::default(),
            reviews: Reviews::default(),
            reversals: Reversals::default(),
            batches: Batches::default(),
            templates: Templates::new(&config_dir.join("templates.json")),
            journal_file: data_dir.join("journal.sqlite3"),
            journal: OnceCell::new(),
            preferences_file: config_dir.join("preferences.json"),
            settings_file: config_dir.join("settings.json"),
            deployed_files,
            sample: OnceCell::new(),
        }
    }

    pub fn config_sources(&self) -> ConfigSources {
        ConfigSources {
            environment: ConfigSources::environment_from(|name| std::env::var(name).ok()),
            settings_file: self.settings_file.clone(),
            deployed_files: self.deployed_files.clone(),
        }
    }

    /// The signed-in admin, or "sign in again".
    pub async fn profile(&self) -> Result<Profile, AppError> {
        self.sign_in
            .profile()
            .await
            .ok_or_else(|| AppError::new(ErrorCode::SessionExpired, "Sign in again to go on."))
    }

    /// The journal, opened on first use so a disk problem is explained where it matters (before
    /// a conversion), not at start-up.
    pub async fn journal(&self) -> Result<&Journal, AppError> {
        self.journal.get_or_try_init(|| async { Journal::open(&self.journal_file) }).await
    }

    /// Where to save an export: the system's save dialog (tests set `REHOME_EXPORT_PATH` in debug
    /// builds, as a native dialog cannot be driven through WebDriver).
    pub async fn export_target<R: Runtime>(&self, app: &AppHandle<R>) -> Option<PathBuf> {
        if cfg!(debug_assertions) {
            if let Ok(path) = std::env::var("REHOME_EXPORT_PATH") {
                return Some(PathBuf::from(path));
            }
        }
        let (sender, receiver) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .add_filter("CSV", &["csv"])
            .set_file_name("rehome-history.csv")
            .save_file(move |chosen| {
                let _ = sender.send(chosen.and_then(|p| p.into_path().ok()));
            });
        receiver.await.ok().flatten()
    }

    /// The endpoints of a cloud; for the sample directory, starting it if needed.
    pub async fn cloud(&self, id: CloudId) -> Result<Cloud, AppError> {
        match Cloud::microsoft(id) {
            Some(cloud) => Ok(cloud),
            None => Cloud::sample(&self.sample_url().await?),
        }
    }

    pub async fn target(
        &self,
        cloud: CloudId,
        tenant: &str,
        client_id: Option<&str>,
    ) -> Result<SignInTarget, AppError> {
        if cloud == CloudId::Sample {
            return Ok(SignInTarget {
                cloud: self.cloud(cloud).await?,
                tenant: "organizations".into(),
                client_id: SANDBOX_CLIENT_ID.into(),
            });
        }
        SignInTarget::microsoft(cloud, tenant, client_id)
    }

    async fn sample_url(&self) -> Result<String, AppError> {
        let sample = self
            .sample
            .get_or_try_init(|| async {
                if let Some(url) = external_sample_url()? {
                    return Ok(SampleDirectory::External(url));
                }
                Sandbox::start(SandboxConfig::practice())
                    .await
                    .map(SampleDirectory::InProcess)
                    .map_err(|e| {
                        AppError::internal(format!("the sample directory did not start: {e}"))
                    })
            })
            .await?;
        Ok(match sample {
            SampleDirectory::InProcess(sandbox) => sandbox.base_url().to_owned(),
            SampleDirectory::External(url) => url.clone(),
        })
    }
}

/// `REHOME_SAMPLE_URL`: a sample directory the tests run themselves. Debug builds only, and only
/// on this machine's loopback – a release build always starts its own.
fn external_sample_url() -> Result<Option<String>, AppError> {
    if !cfg!(debug_assertions) {
        return Ok(None);
    }
    let Ok(url) = std::env::var("REHOME_SAMPLE_URL") else { return Ok(None) };
    let loopback = url::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(|h| matches!(h, "127.0.0.1" | "localhost" | "[::1]")))
        .unwrap_or(false);
    if loopback {
        Ok(Some(url))
    } else {
        Err(AppError::invalid_input(format!(
            "REHOME_SAMPLE_URL must be a loopback address, not '{url}'."
        )))
    }
}

/// Where an IT department deploys `rehome.json` for every user of the machine.
fn system_config_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        std::env::var_os("ProgramData").map(|dir| PathBuf::from(dir).join("Rehome"))
    } else if cfg!(target_os = "macos") {
        Some(PathBuf::from("/Library/Application Support/Rehome"))
    } else {
        Some(PathBuf::from("/etc/rehome"))
    }
}
