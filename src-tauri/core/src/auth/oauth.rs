//! The token client: authorize URL, code exchange with PKCE, refresh, and what the ID token says
//! (DOMAIN.md §9.2, §9.5). Errors are translated in `aadsts.rs`; the device code flow is in
//! `device_code.rs`.

use std::time::Duration;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use serde::Deserialize;

use super::{
    aadsts::{error_from_body, translate_aad_error},
    loopback::{self, LoopbackListener, Redirect},
    pkce::{random_token, Pkce},
    Secret,
};
use crate::{cloud::Cloud, AppError, ErrorCode};

/// Where and as what application to sign in; validated by `crate::cloud` before use.
#[derive(Debug, Clone)]
pub struct SignInTarget {
    pub cloud: Cloud,
    pub tenant: String,
    pub client_id: String,
}

impl SignInTarget {
    /// A Microsoft cloud, with the tenant and client ID checked before any network call.
    pub fn microsoft(
        cloud: crate::cloud::CloudId,
        tenant: &str,
        client_id: Option<&str>,
    ) -> Result<SignInTarget, AppError> {
        let cloud = Cloud::microsoft(cloud).ok_or_else(|| {
            AppError::invalid_input("The sample directory is not a Microsoft cloud.")
        })?;
        Ok(SignInTarget {
            cloud,
            tenant: crate::cloud::checked_tenant(tenant)?,
            client_id: crate::cloud::checked_client_id(client_id.unwrap_or_default())?,
        })
    }
}

/// Who signed in, from the ID token the token endpoint returned directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub username: String,
    pub tenant_id: String,
    pub object_id: String,
    /// The `wids` claim: template IDs of the admin's active directory roles. Only present when
    /// the app registration asks for directory roles in its groups claim (DOMAIN.md §11.1).
    pub role_template_ids: Option<Vec<String>>,
}

#[derive(Debug)]
pub struct TokenSet {
    pub access_token: Secret,
    pub expires_in: Duration,
    /// A new one with every response: the previous one must be replaced (rotation).
    pub refresh_token: Option<Secret>,
    pub scopes: Vec<String>,
    pub account: Option<Account>,
    /// The ID token's `nonce`, checked against the one this sign-in sent.
    nonce: Option<String>,
}

/// The permissions Rehome asks for at sign-in (DOMAIN.md §9.4, §11.13), in the cloud's own form:
/// only those without which nothing works. The optional ones (`crate::permissions`) come with
/// the token when the organisation consented to them, and are then compared with what each
/// feature needs, so a missing optional permission never stops the sign-in.
pub fn default_scopes(cloud: &Cloud) -> Vec<String> {
    let mut scopes: Vec<String> =
        ["openid", "profile", "offline_access"].map(String::from).to_vec();
    scopes.extend(crate::permissions::REQUESTED.iter().map(|p| cloud.scope(p)));
    scopes
}

pub struct OAuthClient {
    pub(super) http: reqwest::Client,
    pub(super) target: SignInTarget,
}

/// A browser sign-in under way: open `url` in the system browser, then `finish`.
pub struct BrowserSignIn {
    pub url: String,
    redirect_uri: String,
    state: String,
    nonce: String,
    verifier: Secret,
    listener: LoopbackListener,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
    id_token: Option<String>,
}

impl OAuthClient {
    pub fn new(http: reqwest::Client, target: SignInTarget) -> Self {
        OAuthClient { http, target }
    }

    pub fn target(&self) -> &SignInTarget {
        &self.target
    }

    fn endpoint(&self, name: &str) -> String {
        format!("{}/{}/oauth2/v2.0/{name}", self.target.cloud.authority_host, self.target.tenant)
    }

    /// Binds the loopback listener and builds the authorize URL (PKCE S256, state, nonce).
    pub async fn begin_browser_sign_in(
        &self,
        scopes: &[String],
        login_hint: Option<&str>,
    ) -> Result<BrowserSignIn, AppError> {
        let listener = LoopbackListener::bind().await?;
        let redirect_uri = listener.redirect_uri();
        let pkce = Pkce::new()?;
        let (state, nonce) = (random_token()?, random_token()?);
        let mut url = url::Url::parse(&self.endpoint("authorize"))
            .map_err(|e| AppError::internal(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.target.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("response_mode", "query")
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("prompt", "select_account");
        if let Some(hint) = login_hint {
            url.query_pairs_mut().append_pair("login_hint", hint);
        }
        Ok(BrowserSignIn {
            url: url.into(),
            redirect_uri,
            state,
            nonce,
            verifier: pkce.verifier,
            listener,
        })
    }

    /// Waits for the browser to come back (at most `timeout`, or until `cancelled` resolves),
    /// checks `state`, redeems the code with the PKCE verifier and checks the ID token's nonce.
    pub async fn finish_browser_sign_in(
        &self,
        sign_in: BrowserSignIn,
        language: &str,
        timeout: Duration,
        cancelled: impl std::future::Future<Output = ()>,
    ) -> Result<TokenSet, AppError> {
        let BrowserSignIn { redirect_uri, state, nonce, verifier, listener, .. } = sign_in;
        // Only a redirect with this sign-in's `state` is taken; anything else is ignored.
        let redirect = tokio::select! {
            redirect = listener.receive(&state, language) => redirect?,
            () = tokio::time::sleep(timeout) => return Err(loopback::timed_out()),
            () = cancelled => return Err(AppError::new(ErrorCode::SignInCancelled, "The sign-in was cancelled in Rehome.")),
        };
        let code = match redirect {
            Redirect::Code { code, .. } => code,
            Redirect::Error { error, description, .. } => {
                return Err(translate_aad_error(&error, &description))
            }
        };
        let tokens = self.exchange_code(&code, &verifier, &redirect_uri).await?;
        if tokens.account.is_some() && tokens.nonce.as_deref() == Some(nonce.as_str()) {
            Ok(tokens)
        } else {
            Err(AppError::new(
                ErrorCode::SignInFailed,
                "The ID token did not carry this sign-in's nonce.",
            ))
        }
    }

    pub async fn exchange_code(
        &self,
        code: &str,
        verifier: &Secret,
        redirect_uri: &str,
    ) -> Result<TokenSet, AppError> {
        self.token_request(&[
            ("client_id", self.target.client_id.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ])
        .await
    }

    /// A new access token; the response's refresh token replaces `refresh_token` (rotation).
    pub async fn refresh(
        &self,
        refresh_token: &Secret,
        scopes: &[String],
    ) -> Result<TokenSet, AppError> {
        let scope = scopes.join(" ");
        self.token_request(&[
            ("client_id", self.target.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("scope", scope.as_str()),
        ])
        .await
        .map_err(|error| {
            // Only the identity platform refusing the grant (its own error, with an OAuth error
            // code) means "sign in again"; a busy or garbled service does not.
            let refused = error.details.as_ref().is_some_and(|d| d.oauth_error.is_some());
            match error.code {
                ErrorCode::SignInFailed if refused => {
                    AppError { code: ErrorCode::SessionExpired, ..error }
                }
                _ => error,
            }
        })
    }

    /// POSTs a form to one of the tenant's OAuth endpoints; the status and the body as text.
    pub(super) async fn post_form(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<(reqwest::StatusCode, String), AppError> {
        let unreachable = |e: reqwest::Error| {
            AppError::new(
                ErrorCode::Network,
                format!("The sign-in service could not be reached: {e}"),
            )
        };
        let response = self
            .http
            .post(self.endpoint(endpoint))
            .form(form)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        Ok((status, crate::http::body_text(response, unreachable).await?))
    }

    pub(super) async fn token_request(&self, form: &[(&str, &str)]) -> Result<TokenSet, AppError> {
        let (status, body) = self.post_form("token", form).await?;
        if !status.is_success() {
            return Err(error_from_body(status, &body));
        }
        let tokens: TokenResponse = serde_json::from_str(&body).map_err(|_| undocumented())?;
        Ok(TokenSet {
            access_token: Secret::new(tokens.access_token),
            // A day at most: a huge value must not overflow the clock (it is refreshed anyway).
            expires_in: Duration::from_secs(tokens.expires_in.unwrap_or(3599).min(24 * 3600)),
            refresh_token: tokens.refresh_token.map(Secret::new),
            scopes: tokens
                .scope
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            account: tokens.id_token.as_deref().and_then(account_from_id_token),
            nonce: tokens
                .id_token
                .as_deref()
                .and_then(id_token_claims)
                .and_then(|c| c["nonce"].as_str().map(str::to_owned)),
        })
    }
}

pub(super) fn undocumented() -> AppError {
    AppError::new(
        ErrorCode::SignInFailed,
        "The sign-in service's answer was not what the documentation describes.",
    )
}

fn id_token_claims(id_token: &str) -> Option<serde_json::Value> {
    let payload = id_token.split('.').nth(1)?;
    serde_json::from_slice(&B64.decode(payload.trim_end_matches('=')).ok()?).ok()
}

/// The ID token came straight from the token endpoint over TLS, so its claims are read without
/// checking its signature (OpenID Connect Core §3.1.3.7).
fn account_from_id_token(id_token: &str) -> Option<Account> {
    let claims = id_token_claims(id_token)?;
    let text = |name: &str| claims[name].as_str().map(str::to_owned);
    let role_template_ids = claims["wids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(|id| id.as_str().map(str::to_ascii_lowercase)).collect());
    Some(Account {
        name: text("name").unwrap_or_default(),
        username: text("preferred_username").or_else(|| text("upn")).unwrap_or_default(),
        tenant_id: text("tid")?,
        object_id: text("oid")?,
        role_template_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_use_the_clouds_graph_host() {
        let cloud = Cloud::microsoft(crate::cloud::CloudId::China).unwrap();
        let scopes = default_scopes(&cloud);
        assert!(scopes.contains(&"offline_access".to_owned()));
        assert!(
            scopes.contains(&"https://microsoftgraph.chinacloudapi.cn/User.Invite.All".to_owned())
        );
    }
}
