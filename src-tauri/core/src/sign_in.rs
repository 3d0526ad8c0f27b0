//! The signed-in state of the app, behind one object the shell keeps: sign in (browser, device
//! code, Azure CLI), resume on start, cancel, sign out, and the Graph client for what follows.
//! Tokens stay inside; callers get a `Profile`.

use std::{
    path::Path,
    sync::{Arc, Mutex as StdMutex, OnceLock},
};

use serde::Serialize;
use tokio::sync::{oneshot, RwLock};
use ts_rs::TS;

use crate::{
    auth::{
        credential, default_scopes, off_thread, KeyringStore, MemoryStore, OAuthClient,
        SavedMarker, Session, SignInTarget, TokenSet, TokenStore,
    },
    cloud::{Cloud, CloudId},
    graph::GraphClient,
    profile::{self, Profile, SignInMethod},
    AppError, ErrorCode,
};

/// How long the browser sign-in waits for the admin (RFC 8252 listener timeout).
pub const BROWSER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// What the admin needs to see while a sign-in waits for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
pub enum SignInPrompt {
    /// The system browser was asked to open `url`; shown too, in case it did not open.
    Browser {
        url: String,
        opened: bool,
    },
    DeviceCode {
        user_code: String,
        verification_uri: String,
        expires_in_seconds: u32,
    },
}

/// What the admin chose on the sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    pub method: SignInMethod,
    pub cloud: CloudId,
    pub tenant: String,
    #[ts(optional)]
    pub client_id: Option<String>,
    /// The UI's language, for the page the browser tab shows afterwards.
    pub language: String,
}

struct Current {
    graph: Arc<GraphClient>,
    profile: Profile,
}

pub struct SignInService {
    /// Made on first use: making one reads the system's certificates, which would hold up the
    /// window at start-up.
    http: OnceLock<reqwest::Client>,
    keyring: Arc<dyn TokenStore>,
    /// Set when the keyring cannot be used and the admin chose to stay signed in for this run.
    this_run_only: StdMutex<Option<Arc<MemoryStore>>>,
    current: RwLock<Option<Current>>,
    cancel: StdMutex<Option<oneshot::Sender<()>>>,
}

impl SignInService {
    /// Signs in for real: the sign-in is remembered in the OS keyring under `keyring_service`,
    /// and `saved_marker` says whether there is one to resume (`SavedMarker`).
    pub fn new(keyring_service: &str, saved_marker: &Path) -> SignInService {
        let keyring = SavedMarker::new(KeyringStore::new(keyring_service), saved_marker);
        SignInService::with_lazy_http(OnceLock::new(), Arc::new(keyring))
    }

    pub fn with_store(http: reqwest::Client, keyring: Arc<dyn TokenStore>) -> SignInService {
        SignInService::with_lazy_http(OnceLock::from(http), keyring)
    }

    fn with_lazy_http(http: OnceLock<reqwest::Client>, keyring: Arc<dyn TokenStore>) -> Self {
        SignInService {
            http,
            keyring,
            this_run_only: StdMutex::new(None),
            current: RwLock::new(None),
            cancel: StdMutex::new(None),
        }
    }

    fn http(&self) -> reqwest::Client {
        self.http.get_or_init(crate::http::client).clone()
    }

    fn store(&self) -> Arc<dyn TokenStore> {
        match &*self.this_run_only.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(memory) => memory.clone(),
            None => self.keyring.clone(),
        }
    }

    /// The keyring cannot be used: keep the sign-in in memory until Rehome closes.
    pub fn keep_sign_in_for_this_run(&self) {
        let mut slot = self.this_run_only.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| Arc::new(MemoryStore::default()));
    }

    pub fn remembers_sign_in(&self) -> bool {
        self.this_run_only.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// True when, without asking the keyring, there is surely no saved sign-in to resume.
    pub fn nothing_to_resume(&self) -> bool {
        self.store().surely_empty()
    }

    /// On start: the stored sign-in, refreshed silently. `cloud_for` gives the endpoints of the
    /// stored cloud (the sample directory's address changes from run to run).
    pub async fn resume<F>(
        &self,
        cloud_for: impl FnOnce(CloudId) -> F,
    ) -> Result<Option<Profile>, AppError>
    where
        F: std::future::Future<Output = Result<Cloud, AppError>>,
    {
        if self.nothing_to_resume() {
            return Ok(None); // the keyring is not asked
        }
        let store = self.store();
        let Some(stored) = off_thread(&store, |s| s.load()).await? else { return Ok(None) };
        let practice = stored.cloud == CloudId::Sample;
        let target = SignInTarget {
            cloud: cloud_for(stored.cloud).await?,
            tenant: stored.tenant,
            client_id: stored.client_id,
        };
        let client = OAuthClient::new(self.http(), target);
        let scopes = default_scopes(&client.target().cloud);
        let session = match Session::resume(client, scopes, store).await {
            Ok(Some(session)) => session,
            Ok(None) => return Ok(None),
            // The practice directory is new each run, with a new signing key: its earlier
            // sign-in simply ends (and is forgotten), nothing to warn about.
            Err(error) if practice && error.code == ErrorCode::SessionExpired => return Ok(None),
            Err(error) => return Err(error),
        };
        self.signed_in(session, SignInMethod::Browser).await.map(Some)
    }

    /// The system browser flow. `open` asks the OS to open the URL and says whether it could.
    pub async fn with_browser(
        &self,
        target: SignInTarget,
        language: &str,
        open: impl FnOnce(&str) -> bool,
        prompt: impl FnOnce(SignInPrompt),
    ) -> Result<Profile, AppError> {
        let store = self.ready_store().await?;
        let client = OAuthClient::new(self.http(), target);
        let scopes = default_scopes(&client.target().cloud);
        let sign_in = client.begin_browser_sign_in(&scopes, None).await?;
        let url = sign_in.url.clone();
        let opened = open(&url);
        prompt(SignInPrompt::Browser { url, opened });
        let cancelled = self.cancellable();
        let tokens =
            client.finish_browser_sign_in(sign_in, language, BROWSER_TIMEOUT, cancelled).await?;
        self.start(client, scopes, store, tokens, SignInMethod::Browser).await
    }

    /// The code-on-another-device flow.
    pub async fn with_device_code(
        &self,
        target: SignInTarget,
        prompt: impl FnOnce(SignInPrompt),
    ) -> Result<Profile, AppError> {
        let store = self.ready_store().await?;
        let client = OAuthClient::new(self.http(), target);
        let scopes = default_scopes(&client.target().cloud);
        let code = client.begin_device_code(&scopes).await?;
        prompt(SignInPrompt::DeviceCode {
            user_code: code.user_code.clone(),
            verification_uri: code.verification_uri.clone(),
            expires_in_seconds: u32::try_from(code.expires_in.as_secs()).unwrap_or(u32::MAX),
        });
        let cancelled = self.cancellable();
        let tokens = client.finish_device_code(&code, cancelled).await?;
        self.start(client, scopes, store, tokens, SignInMethod::DeviceCode).await
    }

    /// The Azure CLI's own sign-in (`az login`); nothing is stored by Rehome.
    pub async fn with_azure_cli(&self, cloud: Cloud, tenant: &str) -> Result<Profile, AppError> {
        #[cfg(windows)]
        credential::require_azure_cli().await?;
        let credential = credential::azure_cli(tenant)?;
        let graph = Arc::new(GraphClient::new(self.http(), &cloud, credential));
        // The CLI's token says neither which roles nor which permissions: Graph is asked.
        let facts = profile::SignInFacts::default();
        let profile = profile::load(&graph, cloud.id, SignInMethod::AzureCli, facts).await?;
        *self.current.write().await = Some(Current { graph, profile: profile.clone() });
        Ok(profile)
    }

    /// Stops the sign-in that is waiting for the browser or the other device.
    pub fn cancel(&self) {
        if let Some(cancel) = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = cancel.send(());
        }
    }

    /// Forgets the sign-in: the stored entry is removed and the tokens dropped.
    pub async fn sign_out(&self) -> Result<(), AppError> {
        self.current.write().await.take();
        off_thread(&self.store(), |s| s.delete()).await
    }

    pub async fn profile(&self) -> Option<Profile> {
        self.current.read().await.as_ref().map(|c| c.profile.clone())
    }

    /// The Graph client of the current sign-in.
    pub async fn graph(&self) -> Result<Arc<GraphClient>, AppError> {
        self.current
            .read()
            .await
            .as_ref()
            .map(|c| c.graph.clone())
            .ok_or_else(|| AppError::new(ErrorCode::SessionExpired, "Nobody is signed in."))
    }

    /// An interactive sign-in needs somewhere to keep its result: find out before the browser
    /// opens, so a missing keyring is explained first, not after the admin has signed in.
    async fn ready_store(&self) -> Result<Arc<dyn TokenStore>, AppError> {
        let store = self.store();
        off_thread(&store, |s| s.load()).await?;
        Ok(store)
    }

    /// A future that resolves when `cancel` is called; a newer sign-in cancels an older one.
    fn cancellable(&self) -> impl std::future::Future<Output = ()> {
        let (sender, receiver) = oneshot::channel();
        if let Some(older) = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).replace(sender) {
            let _ = older.send(());
        }
        async move {
            // A dropped sender (the sign-in finished) must not count as a cancel.
            if receiver.await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }

    async fn start(
        &self,
        client: OAuthClient,
        scopes: Vec<String>,
        store: Arc<dyn TokenStore>,
        tokens: TokenSet,
        method: SignInMethod,
    ) -> Result<Profile, AppError> {
        let session = Session::start(client, scopes, store, tokens).await?;
        self.signed_in(session, method).await
    }

    async fn signed_in(&self, session: Session, method: SignInMethod) -> Result<Profile, AppError> {
        let cloud = session.cloud().clone();
        let facts = profile::SignInFacts {
            granted_scopes: Some(session.granted_scopes().to_vec()),
            role_template_ids: session.account().role_template_ids.clone(),
        };
        let graph = Arc::new(GraphClient::new(self.http(), &cloud, Arc::new(session)));
        let profile = profile::load(&graph, cloud.id, method, facts).await?;
        *self.current.write().await = Some(Current { graph, profile: profile.clone() });
        Ok(profile)
    }
}
