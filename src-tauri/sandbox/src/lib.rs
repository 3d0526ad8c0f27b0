//! The sample directory ("sandbox"): a faithful local emulator of the parts of the Microsoft
//! identity platform (v2.0) and Microsoft Graph v1.0 that Rehome uses, over real HTTP on 127.0.0.1.
//!
//! It is the app's built-in practice directory, the test double for every automated test, and
//! the benchmark target. It deliberately does not depend on `rehome-core`: its wire format is
//! written from the platform documentation (shared/spec), so a client bug cannot be mirrored here.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = rehome_sandbox::Sandbox::start(rehome_sandbox::SandboxConfig::default()).await?;
//! println!("Graph at {}/v1.0", sandbox.base_url());
//! # Ok(()) }
//! ```

// Handlers return an HTTP response as their error on purpose: it is what the client receives.
#![allow(clippy::result_large_err)]

// Without `test-controls` only the app's own use remains.
#[cfg_attr(not(feature = "test-controls"), allow(dead_code))]
mod control;
pub mod directory;
mod faults;
mod graph;
mod identity;
mod ids;
mod jwt;
mod odata;
mod state;

use std::{net::SocketAddr, time::Duration};

#[cfg(not(feature = "test-controls"))]
use control::Control;
#[cfg(feature = "test-controls")]
pub use control::{Control, RequestRecord};
pub use faults::{Fault, FaultRule};
pub use identity::SANDBOX_CLIENT_ID;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// 0 picks a free port.
    pub port: u16,
    /// The same seed gives the same directory.
    pub seed: u64,
    /// Added before every response (fixed part).
    pub latency_ms: u64,
    /// Added before every response (random part, up to this much).
    pub jitter_ms: u64,
    pub faults: Vec<FaultRule>,
    /// Sign in as this admin without showing the sign-in page (tests, demos).
    pub auto_sign_in: Option<String>,
    /// The key tokens are signed with; `None` makes one for this run. A test that restarts the
    /// sample directory and expects it to accept earlier tokens hands the same key to both.
    pub signing_key: Option<[u8; 32]>,
    /// How long the invitation service keeps seeing a user's previous `mail` after a PATCH
    /// changed it (DOMAIN.md §11.4). Zero by default; `practice()` uses 12 s.
    pub mail_propagation: Duration,
}

impl SandboxConfig {
    /// The app's practice directory and the sandbox binary: as `default()`, but a `mail` just
    /// set takes 12 s to reach the invitation service, as in a real tenant.
    pub fn practice() -> Self {
        SandboxConfig { mail_propagation: Duration::from_secs(12), ..SandboxConfig::default() }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            seed: 2020,
            latency_ms: 0,
            jitter_ms: 0,
            faults: vec![],
            auto_sign_in: None,
            signing_key: None,
            mail_propagation: Duration::ZERO,
        }
    }
}

/// A running sandbox; it stops when dropped or when `stop` is awaited.
pub struct Sandbox {
    base_url: String,
    control: Control,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Sandbox {
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], config.port))).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let control = Control::new(state::Shared::new(&base_url, &config)?);
        let app = state::router(control.shared());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve =
                axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    });
            if let Err(error) = serve.await {
                eprintln!("rehome-sandbox stopped: {error}");
            }
        });
        Ok(Sandbox { base_url, control, shutdown: Some(shutdown), server: Some(server) })
    }

    /// `http://127.0.0.1:<port>`: the authority host and the Graph host are both this address
    /// (Graph under `/v1.0`, sign-in under `/{tenant}/oauth2/v2.0/…`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url)
    }

    /// The sample organisation's tenant ID.
    pub fn tenant_id(&self) -> String {
        self.control.tenant_id()
    }

    /// Faults, latency, tokens, the request log: for tests and benchmarks only.
    #[cfg(feature = "test-controls")]
    pub fn control(&self) -> &Control {
        &self.control
    }

    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
            let _ = server.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
