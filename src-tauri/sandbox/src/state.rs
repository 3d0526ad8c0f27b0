//! Shared state, the router, and the envelope every request passes through: request-id, latency,
//! injected faults, lazy redemption, and the request log.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Json, Router,
};
use serde_json::json;

use crate::{
    control::RequestRecord,
    directory::Directory,
    faults::{take_fault, Fault, FaultRule},
    graph, identity,
    ids::Ids,
    jwt::Signer,
    SandboxConfig,
};

/// Marks a request the `$batch` handler dispatches internally (never sent by a client).
pub const BATCH_ITEM_HEADER: &str = "x-sandbox-batch-item";

/// How many requests and issued tokens are remembered (for tests and benchmarks): a long practice
/// session in the app must not grow them without end.
pub const KEPT_RECORDS: usize = 20_000;

/// No randomness from the OS is no reason to fall back to a guessable key: the start fails.
fn random_key() -> std::io::Result<Vec<u8>> {
    let mut key = vec![0u8; 32];
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(format!("no randomness: {e}")))?;
    Ok(key)
}

/// Appends `item`, dropping the older half once the list is full.
pub fn keep_bounded<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= KEPT_RECORDS {
        list.drain(..KEPT_RECORDS / 2);
    }
    list.push(item);
}

pub struct Shared {
    pub base_url: String,
    pub signer: Signer,
    state: Mutex<SandboxState>,
}

pub struct SandboxState {
    pub directory: Directory,
    pub ids: Ids,
    pub faults: Vec<FaultRule>,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    pub log: Vec<RequestRecord>,
    pub auth: identity::AuthState,
    pub invitations: Vec<graph::invitations::Invitation>,
    /// Added to the wall clock, so tests can expire codes and tokens without waiting.
    pub clock_offset: Duration,
    /// How long the invitation service lags behind a PATCH of `mail` (DOMAIN.md §11.4).
    pub mail_propagation: Duration,
    /// By user id: the `mail` the invitation service still sees, and until when.
    pub stale_mail: HashMap<String, (Option<String>, Duration)>,
    /// When set, every invitation sent is redeemed this many seconds later.
    pub auto_redeem_after_secs: Option<u64>,
    /// When each request to `/invitations` of the last few seconds arrived (sandbox clock),
    /// for Microsoft's limit of 150 per 5 s per tenant.
    pub invitation_requests: VecDeque<Duration>,
    /// Abuse protection: after this many more invitations the directory's invitations are
    /// blocked (`Control::block_invitations_after`); `Some(0)` is blocked.
    pub invitations_blocked_after: Option<u32>,
}

impl SandboxState {
    pub fn now(&self) -> u64 {
        self.now_precise().as_secs()
    }

    /// The sandbox clock since the Unix epoch, with sub-second precision.
    pub fn now_precise(&self) -> Duration {
        SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default() + self.clock_offset
    }

    /// The `mail` the invitation service sees: the previous value until the change propagated.
    pub fn mail_seen_by_invitations(&self, user: &crate::directory::User) -> Option<String> {
        match self.stale_mail.get(&user.id) {
            Some((previous, until)) if self.now_precise() < *until => previous.clone(),
            _ => user.mail.clone(),
        }
    }

    pub fn now_rfc3339(&self) -> String {
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(self.now())).to_string()
    }
}

impl Shared {
    pub fn new(base_url: &str, config: &SandboxConfig) -> std::io::Result<Arc<Shared>> {
        // Tokens are signed with a key made for this run (or the one a test hands over to survive
        // a restart): nobody can mint a token for the practice directory ahead of time.
        let key = match config.signing_key {
            Some(key) => key.to_vec(),
            None => random_key()?,
        };
        let signer = Signer::new(key);
        let ids = Ids::new(config.seed ^ 0x005E_ED0F_5A4D_B0C5);
        let mut auth = identity::AuthState::default();
        auth.auto_sign_in.clone_from(&config.auto_sign_in);
        Ok(Arc::new(Shared {
            base_url: base_url.to_owned(),
            signer,
            state: Mutex::new(SandboxState {
                directory: Directory::sample(config.seed),
                ids,
                faults: config.faults.clone(),
                latency_ms: config.latency_ms,
                jitter_ms: config.jitter_ms,
                log: vec![],
                auth,
                invitations: vec![],
                clock_offset: Duration::ZERO,
                mail_propagation: config.mail_propagation,
                stale_mail: HashMap::new(),
                auto_redeem_after_secs: None,
                invitation_requests: VecDeque::new(),
                invitations_blocked_after: None,
            }),
        }))
    }

    /// Never held across an `.await`.
    pub fn lock(&self) -> MutexGuard<'_, SandboxState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What every handler knows about the request it answers.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub client_request_id: String,
    /// As Graph writes it in `innerError.date`: `2021-05-27T14:26:47`.
    pub date: String,
}

impl RequestMeta {
    /// The Graph error envelope (DOMAIN.md §7; samples/graph_error_*.json).
    pub fn graph_error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        let body = json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": self.date,
                    "request-id": self.request_id,
                    "client-request-id": self.client_request_id,
                }
            }
        });
        (status, Json(body)).into_response()
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(identity::routes())
        .route("/redeem", axum::routing::get(graph::invitations::redeem_page))
        .nest("/v1.0", graph::routes())
        .nest("/beta", graph::beta_routes())
        .layer(middleware::from_fn_with_state(shared.clone(), envelope))
        .layer(middleware::from_fn_with_state(shared.clone(), own_host_only))
        .with_state(shared)
}

/// Answers only requests addressed to itself (`127.0.0.1:<port>`, `localhost:<port>`,
/// `[::1]:<port>`): a web page elsewhere cannot reach it through DNS rebinding.
async fn own_host_only(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let port = shared.base_url.rsplit(':').next().unwrap_or_default();
    let host = request.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
    let ours = host.is_some_and(|host| {
        ["127.0.0.1", "localhost", "[::1]"].iter().any(|name| host == format!("{name}:{port}"))
    });
    if ours {
        next.run(request).await
    } else {
        (StatusCode::MISDIRECTED_REQUEST, "This sample directory answers only on its own address.")
            .into_response()
    }
}

/// The Graph part alone, for dispatching `$batch` items through the same handlers and envelope.
pub fn graph_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .nest("/v1.0", graph::routes())
        .layer(middleware::from_fn_with_state(shared.clone(), envelope))
        .with_state(shared)
}

async fn envelope(State(shared): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let in_batch = request.headers().contains_key(BATCH_ITEM_HEADER);
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let client = graph::auth::client_name(&shared, request.headers());
    let supplied_client_request_id =
        request.headers().get("client-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (meta, fault, delay) = {
        let mut state = shared.lock();
        graph::invitations::apply_due_redemptions(&mut state);
        let request_id = state.ids.uuid();
        let client_request_id = supplied_client_request_id.unwrap_or_else(|| state.ids.uuid());
        let date = state.now_rfc3339().trim_end_matches('Z').to_owned();
        let jitter =
            if state.jitter_ms > 0 { state.ids.next_u64() % (state.jitter_ms + 1) } else { 0 };
        let delay = Duration::from_millis(state.latency_ms + jitter);
        let fault = take_fault(&mut state.faults, &method, &path);
        (RequestMeta { request_id, client_request_id, date }, fault, delay)
    };
    if !in_batch && !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    request.extensions_mut().insert(meta.clone());
    // Keep what a write sent for the log (bodies here are small JSON).
    let mut body = None;
    if method != "GET" {
        let (parts, content) = request.into_parts();
        let bytes = axum::body::to_bytes(content, 1 << 20).await.unwrap_or_default();
        body = Some(String::from_utf8_lossy(&bytes).into_owned());
        request = Request::from_parts(parts, axum::body::Body::from(bytes));
    }

    let response = match &fault {
        Some(Fault::Throttle { retry_after_secs }) => throttled(&meta, *retry_after_secs),
        Some(Fault::Unavailable { retry_after_secs }) => {
            let mut response = meta.graph_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "serviceNotAvailable",
                "The service is temporarily unavailable. Please try again later.",
            );
            if let Some(seconds) = retry_after_secs {
                response.headers_mut().insert("Retry-After", HeaderValue::from(*seconds));
            }
            response
        }
        _ => next.run(request).await,
    };
    let status = response.status().as_u16();
    // Logged as the handler answered, before a fault holds back or breaks what the client gets.
    keep_bounded(
        &mut shared.lock().log,
        RequestRecord { method, path, query, status, in_batch, client, body },
    );
    let mut response = match fault {
        Some(Fault::DropAfterWrite) => dropped_connection(response),
        Some(Fault::MalformedBody) => malformed(response),
        Some(Fault::SlowBody { delay }) => slow_body(response, delay).await,
        Some(Fault::TokenExpiresIn { secs }) => token_expires_in(response, secs).await,
        _ => response,
    };
    let headers = response.headers_mut();
    for (name, value) in
        [("request-id", &meta.request_id), ("client-request-id", &meta.client_request_id)]
    {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    response
}

pub(crate) fn throttled(meta: &RequestMeta, retry_after_secs: f64) -> Response {
    // samples/graph_error_throttled_429.json
    let body = json!({
        "error": {
            "code": "TooManyRequests",
            "innerError": {
                "code": "429",
                "date": meta.date,
                "message": "Please retry after",
                "request-id": meta.request_id,
                "status": "429"
            },
            "message": "Please retry again later."
        }
    });
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("{retry_after_secs}")) {
        response.headers_mut().insert("Retry-After", value);
    }
    response
}

/// The handler ran (the write happened); the client gets a connection that breaks mid-response.
/// A 204 has no body to break, so its head says 200 (the client still loses the answer).
fn dropped_connection(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove("content-length");
    if parts.status == StatusCode::NO_CONTENT {
        parts.status = StatusCode::OK;
    }
    let broken = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "sandbox dropped the connection",
        ))
    });
    Response::from_parts(parts, Body::from_stream(broken))
}

fn malformed(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.status = StatusCode::OK;
    parts.headers.remove("content-length");
    Response::from_parts(parts, Body::from(r#"{"value": [{"id": "4f1c"#))
}

/// A 204 has no body to hold back: its whole answer comes `delay` late instead.
async fn slow_body(response: Response, delay: Duration) -> Response {
    if response.status() == StatusCode::NO_CONTENT {
        tokio::time::sleep(delay).await;
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove("content-length");
    let delayed = futures_util::stream::once(async move {
        tokio::time::sleep(delay).await;
        Ok::<Bytes, std::io::Error>(bytes)
    });
    Response::from_parts(parts, Body::from_stream(delayed))
}

/// A token answer whose `expires_in` (and `ext_expires_in`) says `secs`; anything else unchanged.
async fn token_expires_in(response: Response, secs: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let mut answer = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(answer) if answer.get("expires_in").is_some() => answer,
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    answer["expires_in"] = json!(secs);
    answer["ext_expires_in"] = json!(secs);
    parts.headers.remove("content-length");
    Response::from_parts(parts, Body::from(answer.to_string()))
}

/// Case-insensitive lookup of OData query options (`$select`, `$Select`, …).
pub fn query_options(query: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.to_lowercase(), value.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_records_stay_bounded_and_keep_the_newest() {
        let mut list = Vec::new();
        for i in 0..KEPT_RECORDS * 3 {
            keep_bounded(&mut list, i);
        }
        assert!(list.len() <= KEPT_RECORDS);
        assert_eq!(list.last(), Some(&(KEPT_RECORDS * 3 - 1)));
    }
}
