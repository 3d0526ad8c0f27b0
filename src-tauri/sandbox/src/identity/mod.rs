//! The Microsoft identity platform v2.0 endpoints a desktop public client uses (DOMAIN.md §9):
//! authorization code with PKCE (S256 only) through a loopback redirect, refresh with rotation,
//! and the device code flow. Errors are Microsoft-shaped: redirects with `error` and
//! `error_description`, or JSON with `error_codes`, `trace_id`, `correlation_id` and `timestamp`.
//!
//! Here: the app registration, the errors and the checks every endpoint shares; `authorize.rs`
//! (and the sign-in page), `token.rs`, `device_code.rs` and `pages.rs` hold the rest.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Json, Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::state::{keep_bounded, SandboxState, Shared};

mod authorize;
mod device_code;
mod pages;
mod token;

use authorize::{authorize, sign_in};
pub use device_code::decide_device_code;
use device_code::{device_code, device_login, device_login_page};
use pages::{escape, page};
pub use token::sign_access_token;
use token::token;

/// The sandbox's own app registration (a public client). It is not a Microsoft client ID.
pub const SANDBOX_CLIENT_ID: &str = "5a4db0c5-0000-4000-8000-00000000f00d";
const CODE_LIFETIME_SECS: u64 = 60;
const ACCESS_TOKEN_LIFETIME_SECS: u64 = 3599;
/// 90 days, as for desktop apps (DOMAIN.md §9.5).
const REFRESH_TOKEN_LIFETIME_SECS: u64 = 90 * 24 * 3600;
/// Marks a signed refresh token, so Graph (which wants its own audience) never accepts one.
const REFRESH_AUDIENCE: &str = "urn:rehome-sandbox:refresh";
const DEVICE_CODE_LIFETIME_SECS: u64 = 900;
const DEVICE_CODE_INTERVAL_SECS: u64 = 5;
const GRAPH_RESOURCE: &str = "https://graph.microsoft.com/";
const OIDC_SCOPES: &[&str] = &["openid", "profile", "offline_access", "email"];
/// Delegated Graph permissions the sandbox app may be granted (admin consent given to all).
const GRAPH_SCOPES: &[&str] = &[
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "User.Invite.All",
    "User-ConvertToInternal.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Domain.Read.All",
    "LicenseAssignment.Read.All",
    "IdentityProvider.Read.All",
    "GroupMember.Read.All",
    "Group.Read.All",
    "OrgContact.Read.All",
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory",
    "Directory.AccessAsUser.All",
];

/// The delegated permissions Rehome's recommended registration has admin consent for.
const CONSENTED_SCOPES: &[&str] = &[
    "User.Read",
    "User.Invite.All",
    "User.ReadWrite.All",
    "Domain.Read.All",
    "GroupMember.Read.All",
    "OrgContact.Read.All",
];

/// The sandbox's app registration, as an admin would have set it up (DOMAIN.md §9, §11).
#[derive(Debug, Clone)]
pub struct AppRegistration {
    /// "Mobile and desktop applications" redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Delegated Graph permissions with admin consent.
    pub consented: Vec<String>,
    /// The manifest's `groupMembershipClaims`: None, SecurityGroup, DirectoryRole, All, …
    pub group_membership_claims: String,
}

impl Default for AppRegistration {
    fn default() -> Self {
        AppRegistration {
            redirect_uris: vec!["http://localhost".into()],
            consented: CONSENTED_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            group_membership_claims: "DirectoryRole".into(),
        }
    }
}

impl AppRegistration {
    /// Whether the ID token carries `wids` (directory roles are part of the setting).
    fn emits_wids(&self) -> bool {
        self.group_membership_claims.split(',').map(str::trim).any(|v| {
            ["DirectoryRole", "All", "SecurityGroup"].iter().any(|w| w.eq_ignore_ascii_case(v))
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Grant {
    upn: String,
    scopes: Vec<String>,
    client_id: String,
    nonce: Option<String>,
}

#[derive(Debug, Clone)]
struct CodeGrant {
    grant: Grant,
    redirect_uri: String,
    challenge: String,
    expires_at: u64,
    redeemed: bool,
}

#[derive(Debug, Clone)]
struct PendingSignIn {
    grant: Grant,
    redirect_uri: String,
    challenge: String,
    state: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Decision {
    Pending,
    Approved(String),
    Declined,
}

#[derive(Debug, Clone)]
struct DeviceGrant {
    device_code: String,
    user_code: String,
    client_id: String,
    scopes: Vec<String>,
    expires_at: u64,
    last_poll: Option<u64>,
    decision: Decision,
}

#[derive(Debug, Default)]
pub struct AuthState {
    codes: HashMap<String, CodeGrant>,
    /// Refresh tokens already used (by `jti`): rotation makes each usable once. The tokens
    /// themselves are signed, so a restarted sandbox with the same seed still accepts them.
    redeemed_refresh_tokens: HashSet<String>,
    /// Every token and code handed out, for tests that look for leaks.
    pub issued: Vec<String>,
    sessions: HashMap<String, PendingSignIn>,
    devices: Vec<DeviceGrant>,
    pub auto_sign_in: Option<String>,
    pub app: AppRegistration,
    pub public_client_flows_disabled: bool,
    /// Seconds between device-code polls (advertised and enforced); None: the documented 5.
    pub device_code_interval: Option<u64>,
}

/// A form or query, as the endpoints read it.
type Params = HashMap<String, String>;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize).post(sign_in))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device_code))
        .route("/devicelogin", get(device_login_page).post(device_login))
}

// ---------------------------------------------------------------------------------------------
// Errors

struct AadError {
    status: StatusCode,
    error: &'static str,
    code: u32,
    description: String,
}

fn aad(error: &'static str, code: u32, description: impl Into<String>) -> AadError {
    AadError { status: StatusCode::BAD_REQUEST, error, code, description: description.into() }
}

impl AadError {
    fn unauthorized(mut self) -> Self {
        self.status = StatusCode::UNAUTHORIZED;
        self
    }

    fn text(&self, state: &mut SandboxState) -> (String, String, String, String) {
        let trace_id = state.ids.uuid();
        let correlation_id = state.ids.uuid();
        let timestamp = state.now_rfc3339().replace('T', " ");
        let description = format!(
            "AADSTS{}: {}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {timestamp}",
            self.code, self.description
        );
        (description, trace_id, correlation_id, timestamp)
    }

    /// As the token and devicecode endpoints answer: JSON.
    fn json(self, shared: &Shared) -> Response {
        let mut state = shared.lock();
        let (description, trace_id, correlation_id, timestamp) = self.text(&mut state);
        let body = json!({
            "error": self.error,
            "error_description": description,
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("{}/error?code={}", shared.base_url, self.code),
        });
        (self.status, Json(body)).into_response()
    }

    /// As authorize answers once the redirect URI is trusted: back to the app.
    fn redirect(self, shared: &Shared, redirect_uri: &str, app_state: Option<&str>) -> Response {
        let (description, ..) = self.text(&mut shared.lock());
        let mut url = redirect_uri.to_owned();
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("error", self.error).append_pair("error_description", &description);
        if let Some(app_state) = app_state {
            query.append_pair("state", app_state);
        }
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.finish());
        Redirect::to(&url).into_response()
    }

    /// As authorize answers when it cannot trust the redirect URI: a page in the browser.
    fn page(self, shared: &Shared) -> Response {
        let (description, ..) = self.text(&mut shared.lock());
        let body = page(
            "Sign-in error",
            &format!("<p class=\"error\">{}</p><p>Error: {}</p>", escape(&description), self.error),
        );
        (self.status, Html(body)).into_response()
    }
}

// ---------------------------------------------------------------------------------------------
// Validation shared by the endpoints

fn check_tenant(state: &SandboxState, tenant: &str) -> Result<(), AadError> {
    let known = ["organizations", "common"].contains(&tenant)
        || tenant.eq_ignore_ascii_case(&state.directory.tenant_id)
        || state.directory.is_verified_domain(tenant);
    if known {
        Ok(())
    } else {
        Err(aad("invalid_request", 90002, format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")))
    }
}

fn check_client(client_id: Option<&str>) -> Result<String, AadError> {
    match client_id {
        None | Some("") => Err(aad("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")),
        Some(SANDBOX_CLIENT_ID) => Ok(SANDBOX_CLIENT_ID.to_owned()),
        Some(other) => Err(aad("unauthorized_client", 700016, format!(
            "Application with identifier '{other}' was not found in the directory 'Contoso (sample)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."
        ))),
    }
}

/// The redirect URI must match one registered (DOMAIN.md §9.3, §11.2): scheme and host
/// compared (`localhost` and `127.0.0.1` are different registrations, `[::1]` unsupported), the
/// port ignored only for loopback hosts, the path compared case-sensitively, no fragment.
fn check_redirect_uri(
    app: &AppRegistration,
    redirect_uri: Option<&str>,
) -> Result<String, AadError> {
    let mismatch = |uri: &str| {
        aad("invalid_request", 50011, format!(
            "The redirect URI '{uri}' specified in the request does not match the redirect URIs configured for the application '{SANDBOX_CLIENT_ID}'."
        ))
    };
    let Some(uri) = redirect_uri else {
        return Err(aad("invalid_request", 900971, "No reply address provided."));
    };
    let parsed = url::Url::parse(uri).map_err(|_| mismatch(uri))?;
    let matches = |registered: &String| {
        let Ok(registered) = url::Url::parse(registered) else { return false };
        let loopback = matches!(registered.host_str(), Some("localhost" | "127.0.0.1"));
        let path =
            |u: &url::Url| if u.path().is_empty() { "/".to_owned() } else { u.path().to_owned() };
        parsed.scheme() == registered.scheme()
            && parsed.host_str().is_some()
            && parsed.host_str() == registered.host_str()
            && !matches!(parsed.host(), Some(url::Host::Ipv6(_)))
            && (loopback || parsed.port_or_known_default() == registered.port_or_known_default())
            && path(&parsed) == path(&registered)
            && parsed.query() == registered.query()
            && parsed.fragment().is_none()
    };
    if app.redirect_uris.iter().any(matches) {
        Ok(uri.to_owned())
    } else {
        Err(mismatch(uri))
    }
}

/// The Graph permissions asked for, in short form; OIDC scopes are kept as they are.
fn check_scopes(
    state: &SandboxState,
    base_url: &str,
    scope: Option<&str>,
) -> Result<Vec<String>, AadError> {
    let requested: Vec<&str> = scope.unwrap_or_default().split_whitespace().collect();
    if requested.is_empty() {
        return Err(aad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'scope'.",
        ));
    }
    let mut granted = vec![];
    for scope in requested {
        if OIDC_SCOPES.contains(&scope) {
            granted.push(scope.to_owned());
            continue;
        }
        let short = scope
            .strip_prefix(GRAPH_RESOURCE)
            .or_else(|| scope.strip_prefix(&format!("{base_url}/")))
            .unwrap_or(scope);
        let known = GRAPH_SCOPES.iter().find(|s| s.eq_ignore_ascii_case(short));
        match known {
            Some(known)
                if !state.auth.app.consented.iter().any(|c| c.eq_ignore_ascii_case(known)) =>
            {
                return Err(aad("consent_required", 65001, format!(
                    "The user or administrator has not consented to use the application with ID '{SANDBOX_CLIENT_ID}' named 'Rehome (sample)'. Send an interactive authorization request for this user and resource."
                )));
            }
            Some(known) => granted.push((*known).to_owned()),
            None => {
                return Err(aad("invalid_scope", 70011, format!(
                    "The provided value for the input parameter 'scope' isn't valid. The scope {scope} isn't valid."
                )));
            }
        }
    }
    Ok(granted)
}

fn graph_scopes(scopes: &[String]) -> Vec<&str> {
    scopes.iter().map(String::as_str).filter(|s| !OIDC_SCOPES.contains(s)).collect()
}
