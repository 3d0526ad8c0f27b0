//! Sign-in with a code on another device (RFC 8628, DOMAIN.md §9.6): the code, and polling at
//! the service's pace until the admin signs in, declines, the code expires or Rehome cancels.

use std::time::Duration;

use serde::Deserialize;

use super::{
    aadsts::error_from_body,
    oauth::{undocumented, OAuthClient, TokenSet},
    Secret,
};
use crate::{AppError, ErrorCode};

/// A code-on-another-device sign-in under way: show `user_code` and `verification_uri`.
#[derive(Debug)]
pub struct DeviceCode {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: Duration,
    pub message: String,
    pub(super) device_code: Secret,
    pub(super) interval: Duration,
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

impl OAuthClient {
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
            // Within sane bounds whatever the service says: a huge value must not overflow the clock.
            expires_in: Duration::from_secs(code.expires_in.min(3600)),
            message: code.message,
            device_code: Secret::new(code.device_code),
            // At least a second between polls, whatever the service says; 5 s when it says nothing.
            interval: Duration::from_secs(code.interval.unwrap_or(5).clamp(1, 60)),
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
