//! The Microsoft identity platform v2.0 endpoints a desktop public client uses (DOMAIN.md §9):
//! authorization code with PKCE (S256 only) through a loopback redirect, refresh with rotation,
//! and the device code flow. Errors are Microsoft-shaped: redirects with `error` and
//! `error_description`, or JSON with `error_codes`, `trace_id`, `correlation_id` and `timestamp`.

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

// ---------------------------------------------------------------------------------------------
// authorize + the sign-in page

type Params = HashMap<String, String>;

async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(params): Query<Params>,
) -> Response {
    let get = |name: &str| params.get(name).map(String::as_str);
    // Until client and redirect URI are trusted, errors stay in the browser.
    let trusted = {
        let state = shared.lock();
        check_client(get("client_id")).and_then(|client| {
            let redirect = check_redirect_uri(&state.auth.app, get("redirect_uri"))?;
            check_tenant(&state, &tenant)?;
            Ok((client, redirect))
        })
    };
    let (client_id, redirect_uri) = match trusted {
        Ok(trusted) => trusted,
        Err(error) => return error.page(&shared),
    };
    let app_state = get("state");
    let checked = (|| {
        if get("response_type") != Some("code") {
            return Err(aad("unsupported_response_type", 70005, "The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'."));
        }
        let challenge = get("code_challenge").ok_or_else(|| {
            aad("invalid_request", 9002325, "Proof Key for Code Exchange is required. The request must contain 'code_challenge'.")
        })?;
        if get("code_challenge_method") != Some("S256") {
            return Err(aad("invalid_request", 50149, "The code_challenge_method must be 'S256'."));
        }
        if challenge.len() != 43 || B64.decode(challenge).is_err() {
            return Err(aad(
                "invalid_request",
                501491,
                "Invalid size of Code_Challenge parameter.",
            ));
        }
        let scopes = check_scopes(&shared.lock(), &shared.base_url, get("scope"))?;
        Ok(PendingSignIn {
            grant: Grant {
                upn: String::new(),
                scopes,
                client_id: client_id.clone(),
                nonce: get("nonce").map(str::to_owned),
            },
            redirect_uri: redirect_uri.clone(),
            challenge: challenge.to_owned(),
            state: app_state.map(str::to_owned),
        })
    })();
    let pending = match checked {
        Ok(pending) => pending,
        Err(error) => return error.redirect(&shared, &redirect_uri, app_state),
    };
    let automatic = shared.lock().auth.auto_sign_in.clone();
    if let Some(upn) = automatic {
        return complete_sign_in(&shared, pending, &upn);
    }
    if get("prompt") == Some("none") {
        return aad(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in.",
        )
        .redirect(&shared, &redirect_uri, app_state);
    }
    let (session, admins) = {
        let mut state = shared.lock();
        let session = state.ids.token(18);
        state.auth.sessions.insert(session.clone(), pending);
        let admins: Vec<(String, String, String)> = state
            .directory
            .admins()
            .map(|u| {
                (
                    u.user_principal_name.clone(),
                    u.display_name.clone(),
                    u.roles.first().copied().unwrap_or("No directory role").to_owned(),
                )
            })
            .collect();
        (session, admins)
    };
    let hint = get("login_hint").unwrap_or_default();
    let buttons: String = admins
        .iter()
        .map(|(upn, name, role)| {
            let autofocus = if upn.eq_ignore_ascii_case(hint) { " autofocus" } else { "" };
            format!(
                "<button name=\"upn\" value=\"{}\" data-upn=\"{}\"{autofocus}><strong>{}</strong><br><small>{} · {}</small></button>",
                escape(upn), escape(upn), escape(name), escape(upn), escape(role)
            )
        })
        .collect();
    let body = format!(
        "<p>This is the <strong>sample directory</strong>: a practice organisation inside Rehome. No real account is used and nothing reaches Microsoft.</p>\
         <p>Pick an account to continue:</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"session\" value=\"{session}\">{buttons}\
         <button name=\"upn\" value=\"\" class=\"cancel\">Cancel</button></form>"
    );
    Html(page("Sign in to Contoso (sample)", &body)).into_response()
}

async fn sign_in(State(shared): State<Arc<Shared>>, Form(form): Form<Params>) -> Response {
    let pending =
        form.get("session").and_then(|session| shared.lock().auth.sessions.remove(session));
    let Some(pending) = pending else {
        return aad(
            "invalid_request",
            90014,
            "The sign-in session has expired or was already used. Start again from the app.",
        )
        .page(&shared);
    };
    match form.get("upn").map(String::as_str) {
        Some(upn) if !upn.is_empty() => complete_sign_in(&shared, pending, upn),
        _ => aad("access_denied", 65004, "User declined to consent to access the app.").redirect(
            &shared,
            &pending.redirect_uri,
            pending.state.as_deref(),
        ),
    }
}

fn complete_sign_in(shared: &Shared, mut pending: PendingSignIn, upn: &str) -> Response {
    let mut state = shared.lock();
    let Some(user) = state.directory.user(upn).filter(|u| u.is_member()) else {
        drop(state);
        return aad(
            "invalid_request",
            50034,
            format!("The user account {upn} does not exist in the 'Contoso (sample)' directory."),
        )
        .redirect(shared, &pending.redirect_uri, pending.state.as_deref());
    };
    pending.grant.upn = user.user_principal_name.clone();
    let code = state.ids.token(48);
    let expires_at = state.now() + CODE_LIFETIME_SECS;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("code", &code);
    if let Some(app_state) = &pending.state {
        query.append_pair("state", app_state);
    }
    let location = format!("{}?{}", pending.redirect_uri, query.finish());
    state.auth.codes.insert(
        code,
        CodeGrant {
            grant: pending.grant,
            redirect_uri: pending.redirect_uri,
            challenge: pending.challenge,
            expires_at,
            redeemed: false,
        },
    );
    Redirect::to(&location).into_response()
}

// ---------------------------------------------------------------------------------------------
// token

async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<Params>,
) -> Response {
    match redeem(&shared, &tenant, &form) {
        Ok(body) => {
            (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
        }
        Err(error) => error.json(&shared),
    }
}

fn redeem(shared: &Shared, tenant: &str, form: &Params) -> Result<Value, AadError> {
    let get = |name: &str| form.get(name).map(String::as_str);
    let mut state = shared.lock();
    check_tenant(&state, tenant)?;
    let client_id = check_client(get("client_id")).map_err(AadError::unauthorized)?;
    if get("client_secret").is_some() || get("client_assertion").is_some() {
        return Err(aad("invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.").unauthorized());
    }
    let now = state.now();
    let grant = match get("grant_type") {
        Some("authorization_code") => {
            let code = get("code").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code'.",
                )
            })?;
            let verifier = get("code_verifier").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'code_verifier'.",
                )
            })?;
            let entry = state.auth.codes.get_mut(code).ok_or_else(|| aad("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the authorization code is not valid."))?;
            if entry.redeemed {
                return Err(aad("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."));
            }
            if entry.expires_at <= now {
                return Err(aad("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."));
            }
            if get("redirect_uri") != Some(entry.redirect_uri.as_str()) {
                return Err(aad("invalid_grant", 500112, "The reply address does not match the reply address used in the authorization request."));
            }
            if B64.encode(Sha256::digest(verifier.as_bytes())) != entry.challenge {
                return Err(aad("invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."));
            }
            entry.redeemed = true;
            entry.grant.clone()
        }
        Some("refresh_token") => {
            let token = get("refresh_token").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'refresh_token'.",
                )
            })?;
            // Rotation: the token used now stops working; the response carries its successor.
            let revoked = || {
                aad("invalid_grant", 70008, "The refresh token has expired or was revoked. Send a new interactive authorization request for this user and resource.")
            };
            let claims = token
                .strip_prefix("0.")
                .and_then(|jwt| shared.signer.verify(jwt, now).ok())
                .filter(|claims| claims["aud"] == REFRESH_AUDIENCE)
                .ok_or_else(revoked)?;
            let grant: Grant =
                serde_json::from_value(claims["grant"].clone()).map_err(|_| revoked())?;
            let jti = claims["jti"].as_str().unwrap_or_default().to_owned();
            if !state.auth.redeemed_refresh_tokens.insert(jti) {
                return Err(revoked());
            }
            grant
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            if state.auth.public_client_flows_disabled {
                return Err(aad("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").unauthorized());
            }
            let code = get("device_code").ok_or_else(|| {
                aad(
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'device_code'.",
                )
            })?;
            poll_device_code(&mut state, code, now)?
        }
        _ => {
            return Err(aad(
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type.",
            ))
        }
    };
    if grant.client_id != client_id {
        return Err(aad(
            "invalid_grant",
            70000,
            "The provided grant was issued to another client.",
        ));
    }
    Ok(token_response(shared, &mut state, &grant))
}

fn poll_device_code(
    state: &mut SandboxState,
    device_code: &str,
    now: u64,
) -> Result<Grant, AadError> {
    let index = state
        .auth
        .devices
        .iter()
        .position(|d| d.device_code == device_code)
        .ok_or_else(|| aad("bad_verification_code", 70018, "The device code is not valid."))?;
    let interval = state.auth.device_code_interval.unwrap_or(DEVICE_CODE_INTERVAL_SECS);
    let device = &mut state.auth.devices[index];
    if device.expires_at <= now {
        return Err(aad("expired_token", 70019, "Verification code expired."));
    }
    let too_soon = device.last_poll.is_some_and(|last| now < last + interval);
    device.last_poll = Some(now);
    match device.decision.clone() {
        Decision::Declined => Err(aad("authorization_declined", 70000, "The end user denied the authorization request.")),
        Decision::Approved(upn) => {
            let grant = Grant { upn, scopes: device.scopes.clone(), client_id: device.client_id.clone(), nonce: None };
            state.auth.devices.remove(index);
            Ok(grant)
        }
        Decision::Pending if too_soon => Err(aad("slow_down", 70016, "OAuth 2.0 device flow error. Polling too often: wait the interval before polling again.")),
        Decision::Pending => Err(aad("authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")),
    }
}

fn token_response(shared: &Shared, state: &mut SandboxState, grant: &Grant) -> Value {
    // The token carries every consented permission of the resource, not only those requested.
    let mut graph = graph_scopes(&grant.scopes);
    let consented = state.auth.app.consented.clone();
    for scope in &consented {
        if !graph.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
            graph.push(scope.as_str());
        }
    }
    let access_token =
        sign_access_token(shared, state, &grant.upn, &graph, &grant.client_id).unwrap_or_default();
    keep_bounded(&mut state.auth.issued, access_token.clone());
    let mut scope: Vec<String> = graph.iter().map(|s| format!("{GRAPH_RESOURCE}{s}")).collect();
    scope.extend(grant.scopes.iter().filter(|s| OIDC_SCOPES.contains(&s.as_str())).cloned());
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope.join(" "),
        "expires_in": ACCESS_TOKEN_LIFETIME_SECS,
        "ext_expires_in": ACCESS_TOKEN_LIFETIME_SECS,
        "access_token": access_token,
    });
    if grant.scopes.iter().any(|s| s == "offline_access") {
        let now = state.now();
        let refresh = format!(
            "0.{}",
            shared.signer.sign(&json!({
                "aud": REFRESH_AUDIENCE, "jti": state.ids.token(32), "grant": grant,
                "exp": now + REFRESH_TOKEN_LIFETIME_SECS,
            }))
        );
        keep_bounded(&mut state.auth.issued, refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    if grant.scopes.iter().any(|s| s == "openid") {
        if let Some(user) = state.directory.user(&grant.upn) {
            let now = state.now();
            let mut claims = json!({
                "aud": grant.client_id, "iss": format!("{}/{}/v2.0", shared.base_url, state.directory.tenant_id),
                "iat": now, "nbf": now, "exp": now + ACCESS_TOKEN_LIFETIME_SECS, "tid": state.directory.tenant_id,
                "oid": user.id, "name": user.display_name, "preferred_username": user.user_principal_name, "ver": "2.0",
            });
            if let Some(nonce) = &grant.nonce {
                claims["nonce"] = json!(nonce);
            }
            if state.auth.app.emits_wids() {
                claims["wids"] = json!(wids(state, &user.id));
            }
            let id_token = shared.signer.sign(&claims);
            keep_bounded(&mut state.auth.issued, id_token.clone());
            body["id_token"] = json!(id_token);
        }
    }
    body
}

/// Template ids of the user's active roles (direct and through groups) and the member role.
fn wids(state: &SandboxState, user_id: &str) -> Vec<&'static str> {
    let active = state.directory.active_roles(user_id);
    let mut ids: Vec<&'static str> = state
        .directory
        .roles
        .iter()
        .filter(|r| active.contains(&r.name))
        .map(|r| r.template_id)
        .collect();
    ids.push(crate::directory::MEMBER_ROLE_TEMPLATE_ID);
    ids
}

pub fn sign_access_token(
    shared: &Shared,
    state: &SandboxState,
    upn: &str,
    scopes: &[&str],
    client_id: &str,
) -> Option<String> {
    let user = state.directory.user(upn)?;
    let now = state.now();
    let role_ids = wids(state, &user.id);
    let claims = json!({
        "aud": "https://graph.microsoft.com", "iss": format!("{}/{}/v2.0", shared.base_url, state.directory.tenant_id),
        "iat": now, "nbf": now, "exp": now + ACCESS_TOKEN_LIFETIME_SECS,
        "tid": state.directory.tenant_id, "oid": user.id, "upn": user.user_principal_name,
        "name": user.display_name, "appid": client_id, "scp": scopes.join(" "), "wids": role_ids, "ver": "1.0",
    });
    Some(shared.signer.sign(&claims))
}

// ---------------------------------------------------------------------------------------------
// device code

async fn device_code(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<Params>,
) -> Response {
    let get = |name: &str| form.get(name).map(String::as_str);
    let created: Result<(String, String, u64), AadError> = (|| {
        let mut state = shared.lock();
        check_tenant(&state, &tenant)?;
        let client_id = check_client(get("client_id"))?;
        let scopes = check_scopes(&state, &shared.base_url, get("scope"))?;
        let user_code: String = (0..9)
            .map(|_| b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[state.ids.below(32)] as char)
            .collect();
        let device_code = state.ids.token(64);
        let expires_at = state.now() + DEVICE_CODE_LIFETIME_SECS;
        let interval = state.auth.device_code_interval.unwrap_or(DEVICE_CODE_INTERVAL_SECS);
        state.auth.devices.push(DeviceGrant {
            device_code: device_code.clone(),
            user_code: user_code.clone(),
            client_id,
            scopes,
            expires_at,
            last_poll: None,
            decision: Decision::Pending,
        });
        Ok((device_code, user_code, interval))
    })();
    match created {
        Ok((device_code, user_code, interval)) => {
            let uri = format!("{}/devicelogin", shared.base_url);
            Json(json!({
                "user_code": user_code,
                "device_code": device_code,
                "verification_uri": uri,
                "expires_in": DEVICE_CODE_LIFETIME_SECS,
                "interval": interval,
                "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
            }))
            .into_response()
        }
        Err(error) => error.json(&shared),
    }
}

pub fn decide_device_code(state: &mut SandboxState, user_code: &str, upn: Option<&str>) -> bool {
    let user = upn.and_then(|upn| state.directory.user(upn)).map(|u| u.user_principal_name.clone());
    let now = state.now();
    let Some(device) = state
        .auth
        .devices
        .iter_mut()
        .find(|d| d.user_code.eq_ignore_ascii_case(user_code.trim()) && d.expires_at > now)
    else {
        return false;
    };
    device.decision = match (upn, user) {
        (None, _) => Decision::Declined,
        (Some(_), Some(upn)) => Decision::Approved(upn),
        (Some(_), None) => return false,
    };
    true
}

async fn device_login_page(State(shared): State<Arc<Shared>>) -> Html<String> {
    let options: String = shared
        .lock()
        .directory
        .admins()
        .map(|u| {
            format!(
                "<option value=\"{0}\">{1} ({0})</option>",
                escape(&u.user_principal_name),
                escape(&u.display_name)
            )
        })
        .collect();
    Html(page("Enter code", &format!(
        "<p>Enter the code shown in Rehome to sign in to the <strong>sample directory</strong>.</p>\
         <form method=\"post\"><label>Code <input name=\"user_code\" autocomplete=\"off\" autofocus></label>\
         <label>Account <select name=\"upn\">{options}</select></label>\
         <button name=\"decision\" value=\"approve\">Sign in</button><button name=\"decision\" value=\"decline\" class=\"cancel\">Decline</button></form>"
    )))
}

async fn device_login(State(shared): State<Arc<Shared>>, Form(form): Form<Params>) -> Html<String> {
    let code = form.get("user_code").map(String::as_str).unwrap_or_default();
    let approve = form.get("decision").map(String::as_str) == Some("approve");
    let upn = form.get("upn").map(String::as_str).filter(|_| approve);
    let done = decide_device_code(&mut shared.lock(), code, upn);
    let text = match (done, approve) {
        (true, true) => "You are signed in. Return to Rehome; you can close this tab.",
        (true, false) => "Sign-in was declined. You can close this tab.",
        (false, _) => {
            "That code is not valid or has expired. Check the code shown in Rehome and try again."
        }
    };
    Html(page("Sample directory", &format!("<p>{text}</p>")))
}

// ---------------------------------------------------------------------------------------------

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>\
         body{{font-family:'Segoe UI',system-ui,sans-serif;background:#f5f5f5;margin:0;padding:48px}}\
         main{{max-width:440px;margin:auto;background:#fff;padding:32px;box-shadow:0 2px 8px #0002}}\
         h1{{font-size:24px;font-weight:600}} button{{display:block;width:100%;text-align:left;margin:8px 0;padding:12px;\
         border:1px solid #d1d1d1;background:#fff;font:inherit;cursor:pointer}} button:hover,button:focus{{border-color:#0f6cbd}}\
         .cancel{{text-align:center}} .error{{color:#b10e1c;white-space:pre-wrap}} label{{display:block;margin:12px 0}}\
         input,select{{display:block;width:100%;padding:8px;font:inherit;box-sizing:border-box}}</style></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
