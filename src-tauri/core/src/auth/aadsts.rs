//! The identity platform's errors (DOMAIN.md §9.9): AADSTS codes become the few situations the
//! admin can act on, with the service's code, correlation id and time kept for support.

use serde::Deserialize;

use crate::{AppError, ErrorCode, ErrorDetails};

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

pub(super) fn error_from_body(status: reqwest::StatusCode, body: &str) -> AppError {
    match serde_json::from_str::<AadErrorBody>(body) {
        Ok(error) => translate(&error.error, &error.error_description, Some(&error)),
        // Not the identity platform's error shape: the service itself is busy or failing, which
        // says nothing about the sign-in.
        Err(_) if status == reqwest::StatusCode::TOO_MANY_REQUESTS => AppError::new(
            ErrorCode::Throttled,
            "The sign-in service asked Rehome to slow down. Try again in a minute.",
        ),
        Err(_) if status.is_server_error() => AppError::new(
            ErrorCode::ServiceError,
            format!("The sign-in service is not available right now ({status}). Try again later."),
        ),
        Err(_) => AppError::new(
            ErrorCode::SignInFailed,
            format!("The sign-in service answered {status} without an explanation."),
        ),
    }
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
    // One line, whatever the service sent: a line break in a message must not forge a log line.
    let line = |text: &str| text.split(['\r', '\n']).next().unwrap_or_default().to_owned();
    let first_line = if description.is_empty() { line(error) } else { line(description) };
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
    fn a_busy_or_failing_service_is_not_a_failed_sign_in() {
        use reqwest::StatusCode;
        let graph_shaped = r#"{"error":{"code":"TooManyRequests","message":"Too many requests"}}"#;
        let busy = error_from_body(StatusCode::TOO_MANY_REQUESTS, graph_shaped);
        assert_eq!(busy.code, ErrorCode::Throttled);
        let down = error_from_body(StatusCode::SERVICE_UNAVAILABLE, "<html>oops</html>");
        assert_eq!(down.code, ErrorCode::ServiceError);
        let odd = error_from_body(StatusCode::BAD_REQUEST, "not json");
        assert_eq!((odd.code, odd.details), (ErrorCode::SignInFailed, None));
    }
}
