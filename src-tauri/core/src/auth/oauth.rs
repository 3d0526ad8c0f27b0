//! The token client: authorize URL, code exchange with PKCE, refresh; and the translation of the
//! identity platform's errors (DOMAIN.md §9.2, §9.5, §9.9) into codes the UI explains.

use std::time::Duration;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use serde::Deserialize;

use super::{
    loopback::{self, LoopbackListener, Redirect},
    pkce::{random_token, Pkce},
    Secret,
};
use crate::{cloud::Cloud, AppError, ErrorCode, ErrorDetails};

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
    http: reqwest::Client,
    target: SignInTarget,
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

/// A code-on-another-device sign-in under way: show `user_code` and `verification_uri`.
#[derive(Debug)]
pub struct DeviceCode {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: Duration,
    pub message: String,
    device_code: Secret,
    interval: Duration,
}

#[derive(Deserialize)]
struct DeviceCodeResponse {
    device_code: String,
    user_code: String,
    verification_uri: String,
    expires_in: u64,
    interval: Option<u64>,
    #[serde(default)]
    message: String,
}

/// What to do after a polling answer that was not the tokens (RFC 8628 §3.5).
#[derive(Debug, PartialEq)]
enum NextPoll {
    After(Duration),
    Stop(ErrorCode),
}

fn next_poll(error: &str, interval: Duration) -> NextPoll {
    match error {
        "authorization_pending" => NextPoll::After(interval),
        // Slow down: this and every later poll waits 5 seconds longer.
        "slow_down" => NextPoll::After(interval + Duration::from_secs(5)),
        "authorization_declined" | "access_denied" => NextPoll::Stop(ErrorCode::SignInCancelled),
        "expired_token" => NextPoll::Stop(ErrorCode::SignInTimedOut),
        _ => NextPoll::Stop(ErrorCode::SignInFailed),
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct AadErrorBody {
    error: String,
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    error_codes: Vec<u64>,
    #[serde(default)]
    correlation_id: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
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
        let page = |redirect: &Redirect| {
            let good = matches!(redirect, Redirect::Code { state: Some(s), .. } if *s == state);
            loopback::result_page(language, good)
        };
        let redirect = tokio::select! {
            redirect = listener.receive(page) => redirect?,
            () = tokio::time::sleep(timeout) => return Err(loopback::timed_out()),
            () = cancelled => return Err(AppError::new(ErrorCode::SignInCancelled, "The sign-in was cancelled in Rehome.")),
        };
        let code = match redirect {
            Redirect::Code { state: Some(returned), code } if returned == state => code,
            Redirect::Code { .. } => {
                return Err(AppError::new(
                    ErrorCode::SignInFailed,
                    "The sign-in answer did not belong to this sign-in (state mismatch).",
                ));
            }
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

    pub async fn begin_device_code(&self, scopes: &[String]) -> Result<DeviceCode, AppError> {
        let scope = scopes.join(" ");
        let form = [("client_id", self.target.client_id.as_str()), ("scope", scope.as_str())];
        let (status, body) = self.post_form("devicecode", &form).await?;
        if !status.is_success() {
            return Err(error_from_body(status, &body));
        }
        let code: DeviceCodeResponse = serde_json::from_str(&body).map_err(|_| undocumented())?;
        Ok(DeviceCode {
            user_code: code.user_code,
            verification_uri: code.verification_uri,
            expires_in: Duration::from_secs(code.expires_in),
            message: code.message,
            device_code: Secret::new(code.device_code),
            // At least a second between polls, whatever the service says; 5 s when it says nothing.
            interval: Duration::from_secs(code.interval.unwrap_or(5).max(1)),
        })
    }

    /// Polls at the service's pace until the admin signs in on the other device, declines, the
    /// code expires, or `cancelled` resolves.
    pub async fn finish_device_code(
        &self,
        code: &DeviceCode,
        cancelled: impl std::future::Future<Output = ()>,
    ) -> Result<TokenSet, AppError> {
        let poll = async {
            let deadline = tokio::time::Instant::now() + code.expires_in;
            let mut interval = code.interval;
            loop {
                tokio::time::sleep(interval).await;
                if tokio::time::Instant::now() >= deadline {
                    return Err(AppError::new(
                        ErrorCode::SignInTimedOut,
                        "The code expired before it was used.",
                    ));
                }
                let answer = self
                    .token_request(&[
                        ("client_id", self.target.client_id.as_str()),
                        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                        ("device_code", code.device_code.expose()),
                    ])
                    .await;
                let error = match answer {
                    Ok(tokens) => return Ok(tokens),
                    Err(error) => error,
                };
                let service_error =
                    error.details.as_ref().and_then(|d| d.oauth_error.clone()).unwrap_or_default();
                match next_poll(&service_error, interval) {
                    NextPoll::After(wait) => interval = wait,
                    NextPoll::Stop(ErrorCode::SignInFailed) => return Err(error),
                    NextPoll::Stop(kind) => return Err(AppError { code: kind, ..error }),
                }
            }
        };
        tokio::select! {
            result = poll => result,
            () = cancelled => Err(AppError::new(ErrorCode::SignInCancelled, "The sign-in was cancelled in Rehome.")),
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
        .map_err(|error| match error.code {
            // A refresh that fails for the grant means: sign in again.
            ErrorCode::SignInFailed => AppError { code: ErrorCode::SessionExpired, ..error },
            _ => error,
        })
    }

    /// POSTs a form to one of the tenant's OAuth endpoints; the status and the body as text.
    async fn post_form(
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
        Ok((status, response.text().await.map_err(unreachable)?))
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<TokenSet, AppError> {
        let (status, body) = self.post_form("token", form).await?;
        if !status.is_success() {
            return Err(error_from_body(status, &body));
        }
        let tokens: TokenResponse = serde_json::from_str(&body).map_err(|_| undocumented())?;
        Ok(TokenSet {
            access_token: Secret::new(tokens.access_token),
            expires_in: Duration::from_secs(tokens.expires_in.unwrap_or(3599)),
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

fn undocumented() -> AppError {
    AppError::new(
        ErrorCode::SignInFailed,
        "The sign-in service's answer was not what the documentation describes.",
    )
}

fn error_from_body(status: reqwest::StatusCode, body: &str) -> AppError {
    match serde_json::from_str::<AadErrorBody>(body) {
        Ok(error) => translate(&error.error, &error.error_description, Some(&error)),
        Err(_) => AppError::new(
            ErrorCode::SignInFailed,
            format!("The sign-in service answered {status} without an explanation."),
        ),
    }
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

/// AADSTS codes (DOMAIN.md §9.9) to the few situations the admin can act on.
pub fn translate_aad_error(error: &str, description: &str) -> AppError {
    translate(error, description, None)
}

fn translate(error: &str, description: &str, body: Option<&AadErrorBody>) -> AppError {
    let code = body.and_then(|b| b.error_codes.first().copied()).or_else(|| {
        let digits: String =
            description.strip_prefix("AADSTS")?.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    let kind = match (code, error) {
        (Some(65001 | 90094 | 90095), _) | (_, "consent_required") => ErrorCode::ConsentRequired,
        (Some(65004), _) | (None, "access_denied") => ErrorCode::SignInCancelled,
        (Some(53003 | 530032 | 50105), _) => ErrorCode::SignInBlocked,
        (Some(50020 | 50034 | 16000 | 90002 | 50194 | 90038), _) => ErrorCode::WrongTenant,
        (Some(700016 | 700011 | 65002), _) | (_, "unauthorized_client") => ErrorCode::AppNotFound,
        (Some(50011 | 900971), _) => ErrorCode::RedirectMismatch,
        (Some(7000218), _) => ErrorCode::PublicClientFlowsDisabled,
        (Some(50173 | 70008 | 700082 | 70043 | 50076 | 50079 | 50074), _)
        | (_, "interaction_required" | "login_required") => ErrorCode::SessionExpired,
        _ => ErrorCode::SignInFailed,
    };
    let first_line = description.lines().next().unwrap_or(error);
    AppError::new(kind, first_line).with_details(ErrorDetails {
        service_code: Some(code.map_or_else(|| error.to_owned(), |c| format!("AADSTS{c}"))),
        oauth_error: Some(error.to_owned()),
        request_id: body.and_then(|b| b.correlation_id.clone()),
        date: body.and_then(|b| b.timestamp.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_codes_become_situations_the_admin_can_act_on() {
        let cases = [
            ("invalid_grant", "AADSTS65001: The user or administrator has not consented", ErrorCode::ConsentRequired),
            ("invalid_request", "AADSTS90094: The grant requires admin permission.", ErrorCode::ConsentRequired),
            ("access_denied", "AADSTS65004: User declined to consent", ErrorCode::SignInCancelled),
            ("access_denied", "", ErrorCode::SignInCancelled),
            ("interaction_required", "AADSTS53003: Access has been blocked by Conditional Access policies.", ErrorCode::SignInBlocked),
            ("invalid_request", "AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access", ErrorCode::SignInBlocked),
            ("invalid_request", "AADSTS50020: User account from identity provider does not exist in tenant", ErrorCode::WrongTenant),
            ("invalid_request", "AADSTS90002: Tenant 'x' not found.", ErrorCode::WrongTenant),
            ("unauthorized_client", "AADSTS700016: Application with identifier 'x' was not found", ErrorCode::AppNotFound),
            ("invalid_request", "AADSTS65002: Consent between first party application and first party resource must be configured", ErrorCode::AppNotFound),
            ("invalid_request", "AADSTS50011: The redirect URI does not match", ErrorCode::RedirectMismatch),
            ("invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", ErrorCode::PublicClientFlowsDisabled),
            ("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.", ErrorCode::SessionExpired),
            ("invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked", ErrorCode::SessionExpired),
            ("interaction_required", "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication", ErrorCode::SessionExpired),
            ("invalid_grant", "AADSTS50148: The code_verifier does not match", ErrorCode::SignInFailed),
            ("temporarily_unavailable", "", ErrorCode::SignInFailed),
        ];
        for (error, description, expected) in cases {
            let translated = translate_aad_error(
                error,
                &format!("{description}\r\nTrace ID: t\r\nCorrelation ID: c"),
            );
            assert_eq!(translated.code, expected, "{description}");
            assert!(!translated.message.contains("Trace ID"), "only the first line is kept");
        }
        let with_code = translate_aad_error("invalid_grant", "AADSTS70008: expired");
        assert_eq!(with_code.details.and_then(|d| d.service_code).as_deref(), Some("AADSTS70008"));
    }

    #[test]
    fn device_code_polling_follows_rfc_8628() {
        let five = Duration::from_secs(5);
        assert_eq!(next_poll("authorization_pending", five), NextPoll::After(five));
        assert_eq!(next_poll("slow_down", five), NextPoll::After(Duration::from_secs(10)));
        assert_eq!(
            next_poll("authorization_declined", five),
            NextPoll::Stop(ErrorCode::SignInCancelled)
        );
        assert_eq!(next_poll("expired_token", five), NextPoll::Stop(ErrorCode::SignInTimedOut));
        assert_eq!(next_poll("invalid_client", five), NextPoll::Stop(ErrorCode::SignInFailed));
    }

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
