//! Microsoft Graph over HTTP for one sign-in: GET and `$batch` of GETs, with Graph's errors
//! turned into `AppError`s that keep the service's code, `request-id` and `date` for support.
//! Throttled batch items are retried as the service asks (DOMAIN.md §6, §7).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use azure_core::credentials::TokenCredential;
use reqwest::{header::HeaderMap, StatusCode};
use serde_json::{json, Value};

use crate::{
    auth::credential::{from_azure, graph_default_scope},
    cloud::Cloud,
    AppError, ErrorCode, ErrorDetails,
};

/// How often a throttled batch item is sent again before giving up.
const MAX_ATTEMPTS: usize = 3;
/// The longest Retry-After honoured without asking the admin; longer waits fail as throttled.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct GraphClient {
    http: reqwest::Client,
    base: String,
    scope: String,
    credential: Arc<dyn TokenCredential>,
    invitations: InvitationPace,
}

/// Microsoft's limit on `/invitations`: any request, 150 per 5 seconds per tenant, all apps
/// together (throttling-limits, "Invitation manager service limits"; DOMAIN.md §2.6, §7.1).
pub const INVITATION_LIMIT: usize = 150;
pub const INVITATION_WINDOW: Duration = Duration::from_secs(5);
/// Rehome's own pace, under Microsoft's limit: the tenant's other apps and admins share it.
pub const INVITATION_PACE: usize = 120;

/// Paces this sign-in's requests to `/invitations` (one sign-in is one tenant): at most
/// `INVITATION_PACE` in any `INVITATION_WINDOW`, and none while Graph asked to wait.
#[derive(Debug)]
pub struct InvitationPace {
    limit: usize,
    window: Duration,
    state: Mutex<PaceState>,
}

impl Default for InvitationPace {
    fn default() -> Self {
        InvitationPace::new(INVITATION_PACE, INVITATION_WINDOW)
    }
}

#[derive(Debug, Default)]
struct PaceState {
    sent: VecDeque<Instant>,
    hold_until: Option<Instant>,
}

impl InvitationPace {
    pub fn new(limit: usize, window: Duration) -> InvitationPace {
        InvitationPace { limit, window, state: Mutex::default() }
    }

    /// Waits until one more request keeps within the pace, and counts it as sent.
    pub async fn admit(&self) {
        loop {
            let wait = {
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while state.sent.front().is_some_and(|t| now - *t >= self.window) {
                    state.sent.pop_front();
                }
                match (state.hold_until.filter(|until| *until > now), state.sent.front()) {
                    (Some(until), _) => until - now,
                    (None, _) if state.sent.len() < self.limit => {
                        state.sent.push_back(now);
                        return;
                    }
                    (None, oldest) => oldest.map_or(Duration::ZERO, |t| *t + self.window - now),
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Graph answered 429 with this wait: no invitation of this sign-in goes out before it ends
    /// (throttled requests count against the limit too, so nobody retries early).
    pub fn hold_for(&self, wait: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let until = Instant::now() + wait;
        state.hold_until = Some(state.hold_until.map_or(until, |held| held.max(until)));
    }
}

/// A write Graph accepted: its answer and the `request-id` support asks for.
#[derive(Debug, Clone)]
pub struct Written {
    pub body: Value,
    pub request_id: Option<String>,
}

/// Why a write did not end in an answer, which decides what the caller may do next.
#[derive(Debug, Clone)]
pub enum WriteFailure {
    /// It never reached Graph (no connection): nothing happened.
    NotSent(AppError),
    /// Graph refused it (an error status other than throttling): nothing happened.
    Refused(AppError),
    /// It was sent but the answer was lost (timeout, dropped connection, unreadable body):
    /// it may or may not have happened – read the object to find out, never send it again.
    Unanswered(AppError),
}

impl WriteFailure {
    pub fn error(&self) -> &AppError {
        match self {
            WriteFailure::NotSent(e) | WriteFailure::Refused(e) | WriteFailure::Unanswered(e) => e,
        }
    }
}

/// One answer inside a `$batch`: its own status and body, as a direct request would have.
pub type BatchResult = Result<Value, AppError>;

impl GraphClient {
    pub fn new(http: reqwest::Client, cloud: &Cloud, credential: Arc<dyn TokenCredential>) -> Self {
        GraphClient {
            http,
            base: cloud.graph_base(),
            scope: graph_default_scope(cloud),
            credential,
            invitations: InvitationPace::default(),
        }
    }

    async fn bearer(&self) -> Result<String, AppError> {
        let token =
            self.credential.get_token(&[&self.scope], None).await.map_err(|e| from_azure(&e))?;
        Ok(format!("Bearer {}", token.token.secret()))
    }

    /// `GET {base}{path}` (`path` starts with `/`).
    pub async fn get(&self, path: &str) -> Result<Value, AppError> {
        self.get_url(&format!("{}{path}", self.base), false).await
    }

    /// `GET` an advanced query (`$search`, `$count`): `ConsistencyLevel: eventual` is required
    /// on every page, next pages included (DOMAIN.md §5).
    pub async fn get_advanced(&self, path: &str) -> Result<Value, AppError> {
        self.get_url(&format!("{}{path}", self.base), true).await
    }

    /// Follows an `@odata.nextLink`, which Graph gives as a whole URL. The token is only ever sent
    /// to this cloud's Graph endpoint, whatever URL a response names.
    pub async fn get_next_page(&self, next_link: &str) -> Result<Value, AppError> {
        let same_service = next_link
            .strip_prefix(&self.base)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'));
        if !same_service {
            return Err(AppError::new(
                ErrorCode::UnexpectedResponse,
                "Microsoft Graph's next-page link points somewhere else; it was not followed.",
            ));
        }
        self.get_url(next_link, true).await
    }

    async fn get_url(&self, url: &str, advanced: bool) -> Result<Value, AppError> {
        let mut request = self
            .http
            .get(url)
            .header("Authorization", self.bearer().await?)
            .timeout(Duration::from_secs(30));
        if advanced {
            request = request.header("ConsistencyLevel", "eventual");
        }
        let response = request.send().await.map_err(unreachable)?;
        let (status, headers) = (response.status(), response.headers().clone());
        let text = crate::http::body_text(response, unreachable).await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status.is_success() && body.is_object() {
            Ok(body)
        } else {
            Err(graph_error(status.as_u16(), &body, &headers))
        }
    }

    /// Sends one write (`PATCH`/`POST` with a JSON body). Throttling (429, or 503 with
    /// Retry-After) means Graph did not accept it, so it is sent again after the wait Graph asks
    /// for; nothing else is ever retried.
    pub async fn write(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        on_wait: impl FnMut(Duration),
    ) -> Result<Written, WriteFailure> {
        self.write_url(method, &format!("{}{path}", self.base), body, on_wait).await
    }

    /// `write` to the beta endpoint of the same cloud (`{graph host}/beta{path}`): for the one
    /// action that exists only there (DOMAIN.md §3.2).
    pub async fn write_beta(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        on_wait: impl FnMut(Duration),
    ) -> Result<Written, WriteFailure> {
        let host = self.base.strip_suffix("/v1.0").unwrap_or(&self.base);
        self.write_url(method, &format!("{host}/beta{path}"), body, on_wait).await
    }

    async fn write_url(
        &self,
        method: reqwest::Method,
        url: &str,
        body: &Value,
        mut on_wait: impl FnMut(Duration),
    ) -> Result<Written, WriteFailure> {
        let invitation = method == reqwest::Method::POST && url.ends_with("/invitations");
        for attempt in 1..=MAX_ATTEMPTS {
            if invitation {
                self.invitations.admit().await;
            }
            let bearer = self.bearer().await.map_err(WriteFailure::NotSent)?;
            let sent = self
                .http
                .request(method.clone(), url)
                .header("Authorization", bearer)
                .json(body)
                .timeout(Duration::from_secs(60))
                .send()
                .await;
            let response = match sent {
                Ok(response) => response,
                Err(error) if error.is_connect() => {
                    return Err(WriteFailure::NotSent(unreachable(error)))
                }
                Err(error) => return Err(WriteFailure::Unanswered(unreachable(error))),
            };
            let (status, headers) = (response.status(), response.headers().clone());
            // A write's answer that cannot be read in full leaves its effect unknown.
            let text = match crate::http::body_text(response, unreachable).await {
                Ok(text) => text,
                Err(error) => return Err(WriteFailure::Unanswered(error)),
            };
            let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let request_id =
                headers.get("request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
            if status.is_success() {
                if status != StatusCode::NO_CONTENT && !answer.is_object() {
                    return Err(WriteFailure::Unanswered(unexpected()));
                }
                return Ok(Written { body: answer, request_id });
            }
            let throttled = status == StatusCode::TOO_MANY_REQUESTS
                || (status == StatusCode::SERVICE_UNAVAILABLE && retry_after(&headers).is_some());
            let wait = retry_after(&headers).unwrap_or(Duration::from_secs(2));
            if throttled && invitation {
                self.invitations.hold_for(wait);
            }
            if throttled && attempt < MAX_ATTEMPTS && wait <= MAX_RETRY_AFTER {
                tracing::info!(%status, ?wait, "write throttled before it was accepted; waiting");
                on_wait(wait);
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(WriteFailure::Refused(graph_error(status.as_u16(), &answer, &headers)));
        }
        Err(WriteFailure::Refused(AppError::internal("write attempts ran out")))
    }

    /// GETs `requests` (id → path) in one `$batch` (at most 20), each answered on its own; items
    /// throttled with 429 are sent again after their Retry-After.
    pub async fn batch_get<S: AsRef<str>>(
        &self,
        requests: &[(S, S)],
    ) -> Result<HashMap<String, BatchResult>, AppError> {
        let mut results = HashMap::new();
        let mut pending: Vec<(&str, &str)> =
            requests.iter().map(|(id, url)| (id.as_ref(), url.as_ref())).collect();
        for attempt in 1..=MAX_ATTEMPTS {
            let payload = json!({ "requests": pending.iter().map(|(id, url)| {
                let mut item = json!({ "id": id, "method": "GET", "url": url });
                if is_advanced(url) {
                    item["headers"] = json!({ "ConsistencyLevel": "eventual" });
                }
                item
            }).collect::<Vec<_>>() });
            let response = self
                .http
                .post(format!("{}/$batch", self.base))
                .header("Authorization", self.bearer().await?)
                .json(&payload)
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .map_err(unreachable)?;
            let (status, headers) = (response.status(), response.headers().clone());
            let body: Value =
                serde_json::from_str(&crate::http::body_text(response, unreachable).await?)
                    .unwrap_or(Value::Null);
            if status != StatusCode::OK {
                return Err(graph_error(status.as_u16(), &body, &headers));
            }
            let answers = body["responses"].as_array().ok_or_else(unexpected)?;
            let mut wait = Duration::ZERO;
            let mut throttled = Vec::new();
            for answer in answers {
                let id = answer["id"].as_str().ok_or_else(unexpected)?;
                let Some(&request) = pending.iter().find(|(wanted, _)| *wanted == id) else {
                    continue;
                };
                let status = answer["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .ok_or_else(unexpected)?;
                let item_headers = item_headers(&answer["headers"]);
                if status == 429 && attempt < MAX_ATTEMPTS {
                    let after = retry_after(&item_headers).unwrap_or(Duration::from_secs(1));
                    if after <= MAX_RETRY_AFTER {
                        wait = wait.max(after);
                        throttled.push(request);
                        continue;
                    }
                }
                let result = if (200..300).contains(&status) {
                    Ok(answer["body"].clone())
                } else {
                    Err(graph_error(status, &answer["body"], &item_headers))
                };
                results.insert(id.to_owned(), result);
            }
            let answered =
                |id: &str| results.contains_key(id) || throttled.iter().any(|t| t.0 == id);
            if let Some((missing, _)) = pending.iter().find(|(id, _)| !answered(id)) {
                return Err(AppError::new(
                    ErrorCode::UnexpectedResponse,
                    format!("Microsoft Graph's batch answer has no response for '{missing}'."),
                ));
            }
            if throttled.is_empty() {
                break;
            }
            tracing::info!(items = throttled.len(), ?wait, "batch items throttled, retrying");
            tokio::time::sleep(wait).await;
            pending = throttled;
        }
        Ok(results)
    }
}

/// An advanced query needs `ConsistencyLevel: eventual` (DOMAIN.md §5, §11.1).
fn is_advanced(url: &str) -> bool {
    url.contains("$count=true") || url.contains("$search=")
}

/// Percent-encodes a query option's value: everything but RFC 3986's unreserved characters.
pub fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn item_headers(headers: &Value) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers.as_object().into_iter().flatten() {
        if let (Ok(name), Some(Ok(value))) = (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(reqwest::header::HeaderValue::from_str),
        ) {
            map.insert(name, value);
        }
    }
    map
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    // Seconds; Graph sometimes sends fractions. Kept within a day, so an absurd value means
    // "longer than Rehome waits" rather than an overflow or an immediate retry.
    let seconds: f64 = headers.get("retry-after")?.to_str().ok()?.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(86_400.0)))
}

fn unreachable(error: reqwest::Error) -> AppError {
    AppError::new(ErrorCode::Network, format!("Microsoft Graph could not be reached: {error}"))
}

fn unexpected() -> AppError {
    AppError::new(
        ErrorCode::UnexpectedResponse,
        "Microsoft Graph's answer was not what its documentation describes.",
    )
}

/// Graph's error JSON (`{"error":{"code","message","innerError":{"request-id","date"}}}`) as an
/// `AppError`; the headers fill in what the body leaves out.
pub fn graph_error(status: u16, body: &Value, headers: &HeaderMap) -> AppError {
    let error = &body["error"];
    let Some(service_code) = error["code"].as_str() else {
        return AppError::new(
            ErrorCode::UnexpectedResponse,
            format!("Microsoft Graph answered {status} without an explanation."),
        );
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let inner = &error["innerError"];
    let code = match status {
        401 => ErrorCode::SessionExpired,
        404 => ErrorCode::NotFound,
        403 => ErrorCode::AccessDenied,
        429 | 503 if header("retry-after").is_some() || status == 429 => ErrorCode::Throttled,
        500..=599 => ErrorCode::ServiceUnavailable,
        _ => ErrorCode::ServiceError,
    };
    AppError::new(code, error["message"].as_str().unwrap_or(service_code)).with_details(
        ErrorDetails {
            service_code: Some(service_code.to_owned()),
            request_id: inner["request-id"].as_str().map(str::to_owned).or(header("request-id")),
            oauth_error: None,
            date: inner["date"].as_str().map(str::to_owned).or(header("date")),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_errors_keep_what_support_needs() {
        let body = json!({"error": {"code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation.",
            "innerError": {"request-id": "r-1", "date": "2026-11-23T10:00:00"}}});
        let error = graph_error(403, &body, &HeaderMap::new());
        assert_eq!(error.code, ErrorCode::AccessDenied);
        let details = error.details.unwrap();
        assert_eq!(details.service_code.as_deref(), Some("Authorization_RequestDenied"));
        assert_eq!(details.request_id.as_deref(), Some("r-1"));
        assert_eq!(graph_error(429, &body, &HeaderMap::new()).code, ErrorCode::Throttled);
        assert_eq!(graph_error(400, &body, &HeaderMap::new()).code, ErrorCode::ServiceError);
        assert_eq!(graph_error(401, &body, &HeaderMap::new()).code, ErrorCode::SessionExpired);
        let html = Value::String("<html>proxy error</html>".into());
        assert_eq!(graph_error(502, &html, &HeaderMap::new()).code, ErrorCode::UnexpectedResponse);
    }

    #[tokio::test]
    async fn invitations_keep_to_the_pace_and_wait_when_graph_asks() {
        let window = Duration::from_millis(300);
        let pace = InvitationPace::new(3, window);
        let started = Instant::now();
        for _ in 0..4 {
            pace.admit().await;
        }
        assert!(started.elapsed() >= window, "the fourth waits for the first to leave it");
        let held = Instant::now();
        pace.hold_for(Duration::from_millis(200));
        pace.admit().await;
        assert!(held.elapsed() >= Duration::from_millis(200), "nothing goes out while held");
    }

    #[test]
    fn retry_after_values_stay_sane() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("retry-after", value.parse().unwrap());
            retry_after(&headers)
        };
        assert_eq!(with("2.128"), Some(Duration::from_millis(2128)));
        assert_eq!(with("1e300"), Some(Duration::from_secs(86_400)), "longer than Rehome waits");
        assert!(with("1e300").unwrap() > MAX_RETRY_AFTER);
        for nonsense in ["-5", "NaN", "inf", "soon"] {
            assert_eq!(with(nonsense), None, "{nonsense}");
        }
    }
}
