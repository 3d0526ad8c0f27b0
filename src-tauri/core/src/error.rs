//! The one error shape that crosses IPC: `{ code, message, details? }`.
//!
//! `code` is what the UI branches on and translates (English and Swedish live in the UI's
//! resource files, keyed `errors.<code>`); `message` is the English text for logs and for a code
//! the UI does not know yet; `details` is what support needs (Graph error code, request-id, date).
//! Add a code only when the UI treats it differently from the others.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::redact::redact_secrets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// Something the admin typed or chose cannot be used as it is.
    InvalidInput,
    /// The tenant is not a domain name or a tenant ID.
    InvalidTenant,
    /// The application (client) ID is not a GUID.
    InvalidClientId,
    /// No application (client) ID is configured for this cloud.
    ClientIdMissing,
    /// The admin cancelled or declined the sign-in.
    SignInCancelled,
    /// Nobody finished the sign-in in the browser in time.
    SignInTimedOut,
    /// Admin consent for Rehome's permissions has not been granted in this organisation.
    ConsentRequired,
    /// Conditional Access or another policy blocked the sign-in.
    SignInBlocked,
    /// The account or tenant does not match (wrong tenant, wrong cloud, account not in it).
    WrongTenant,
    /// The application (client) ID is not registered in this tenant or cloud.
    AppNotFound,
    /// The app registration lacks the `http://localhost` redirect URI.
    RedirectMismatch,
    /// The app registration does not allow public client flows (needed for device code).
    PublicClientFlowsDisabled,
    /// The stored sign-in expired or was revoked: sign in again.
    SessionExpired,
    /// Any other sign-in failure; details carry the service's code.
    SignInFailed,
    /// "Use my Azure CLI sign-in", but `az` is not installed.
    AzureCliMissing,
    /// "Use my Azure CLI sign-in", but `az` is not signed in (or not to this cloud or tenant).
    AzureCliSignedOut,
    /// Graph refused: the account's role or the app's consented permissions do not allow it.
    AccessDenied,
    /// Graph asked Rehome to slow down (429, or 503 with Retry-After) and retries ran out.
    Throttled,
    /// The user (or other object) is not in the directory, or no longer.
    NotFound,
    /// A newer search replaced this one before it finished; the UI ignores it.
    Superseded,
    /// Graph answered with an error that has no more specific code.
    ServiceError,
    /// Graph itself failed or was unavailable (5xx): nothing was refused, trying again may work.
    ServiceUnavailable,
    /// Graph answered with something that is not what its documentation describes.
    UnexpectedResponse,
    /// The network or the service could not be reached.
    Network,
    /// The OS keyring (Secret Service, Credential Manager, Keychain) cannot be used.
    KeyringUnavailable,
    /// A conversion of this user is already running; a second one is refused.
    AlreadyRunning,
    /// The review a write was asked for is not known (any more): open the user again.
    ReviewExpired,
    /// The admin stopped waiting for Microsoft to see a new email; nothing more was sent.
    StoppedWaiting,
    /// The local journal cannot be written, so nothing is sent (a conversion nobody can see
    /// afterwards is worse than none).
    JournalUnavailable,
    /// A bug or an unexpected state in Rehome itself.
    Internal,
}

/// What support needs to trace a failure, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    /// The service's own error code, e.g. `Authorization_RequestDenied`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub service_code: Option<String>,
    /// Microsoft Graph `request-id` response header.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request_id: Option<String>,
    /// The OAuth `error` of a failed sign-in (`invalid_grant`, `authorization_pending`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub oauth_error: Option<String>,
    /// The `Date` response header, so support can find the request in their logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    // Boxed: most errors have none, and a small error keeps every `Result` small.
    pub details: Option<Box<ErrorDetails>>,
}

impl AppError {
    /// Every error message passes through secret redaction, so a token quoted by a server or a
    /// library can never reach the UI or a log through an error.
    pub fn new(code: ErrorCode, message: impl AsRef<str>) -> Self {
        Self { code, message: redact_secrets(message.as_ref()).into_owned(), details: None }
    }

    pub fn with_details(mut self, details: ErrorDetails) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    pub fn invalid_input(message: impl AsRef<str>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn internal(message: impl AsRef<str>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn serializes_to_code_message_and_no_details_when_absent() {
        let error = AppError::invalid_input("The email address has no @.");
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({ "code": "invalidInput", "message": "The email address has no @." })
        );
    }

    #[test]
    fn serializes_details_in_camel_case_and_leaves_out_what_is_unknown() {
        let error = AppError::internal("Graph said no.").with_details(ErrorDetails {
            service_code: Some("Authorization_RequestDenied".into()),
            request_id: Some("0d2a7f1c-0000-4000-8000-000000000001".into()),
            ..Default::default()
        });
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({
                "code": "internal",
                "message": "Graph said no.",
                "details": {
                    "serviceCode": "Authorization_RequestDenied",
                    "requestId": "0d2a7f1c-0000-4000-8000-000000000001"
                }
            })
        );
    }

    #[test]
    fn a_token_in_an_error_message_is_redacted() {
        let error = AppError::internal("request failed: Authorization: Bearer abc.def-ghi_123");
        assert!(!error.message.contains("abc.def-ghi_123"), "{}", error.message);
        assert!(error.to_string().contains("Bearer [redacted]"));
    }
}
