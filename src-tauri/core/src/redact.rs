//! Removes anything that looks like a credential from text that is about to be logged or shown.
//!
//! This is the last line of defence, not the first: tokens are kept in types that never print
//! them. It recognises bearer headers, JWTs (access and ID tokens), OAuth parameters carrying
//! secrets in JSON, form and query syntax (Microsoft refresh tokens are opaque, so their *name*
//! is what gives them away) and authorization codes in redirect URLs.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

pub const REDACTED: &str = "[redacted]";

struct Rule {
    pattern: Regex,
    replacement: &'static str,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |pattern: &str, replacement| Rule {
        // The patterns are constants checked by the tests below.
        #[allow(clippy::expect_used)]
        pattern: Regex::new(pattern).expect("redaction pattern compiles"),
        replacement,
    };
    vec![
        // `Authorization: Bearer <token>` in any case.
        rule(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*", "$1 [redacted]"),
        // Secret-carrying OAuth parameters: `"refresh_token": "…"`, `refresh_token=…`.
        rule(
            r#"(?i)(["']?\b(?:access_token|refresh_token|id_token|code_verifier|client_secret|client_assertion|device_code|assertion|password)\b["']?\s*[:=]\s*["']?)[^"'&\s,;}]+"#,
            "${1}[redacted]",
        ),
        // The authorization code in a redirect: `?code=…` / `&code=…`.
        rule(r"([?&]code=)[^&\s\x22']+", "${1}[redacted]"),
        // Any JWT (three base64url parts, the first one a JSON object).
        rule(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", REDACTED),
    ]
});

/// Returns `text` with every credential-looking part replaced by `[redacted]`.
/// Borrows when there is nothing to redact, so it is cheap on the logging path.
pub fn redact_secrets(text: &str) -> Cow<'_, str> {
    let mut result = Cow::Borrowed(text);
    for rule in RULES.iter() {
        if let Cow::Owned(replaced) = rule.pattern.replace_all(&result, rule.replacement) {
            result = Cow::Owned(replaced);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIwMDAwMDAwMy0wMDAwIn0.c2lnbmF0dXJl";
    const REFRESH: &str = "0.AXoA7jVzbWFsbC1yZWZyZXNoLXRva2VuLWV4YW1wbGU";

    fn assert_clean(text: &str, secret: &str) {
        let cleaned = redact_secrets(text);
        assert!(!cleaned.contains(secret), "secret survived in: {cleaned}");
        assert!(cleaned.contains(REDACTED), "nothing marked redacted in: {cleaned}");
    }

    #[test]
    fn bearer_header_in_any_case() {
        assert_clean(&format!("Authorization: Bearer {JWT}"), JWT);
        assert_clean("authorization: bearer opaque-Token_123.abc", "opaque-Token_123.abc");
        assert_clean("BEARER abc/def+ghi==", "abc/def+ghi");
    }

    #[test]
    fn token_response_json() {
        let body = format!(
            r#"{{"token_type":"Bearer","scope":"User.Read","expires_in":3599,"access_token":"{JWT}","refresh_token":"{REFRESH}","id_token":"{JWT}"}}"#
        );
        let cleaned = redact_secrets(&body);
        assert!(!cleaned.contains(JWT) && !cleaned.contains(REFRESH), "{cleaned}");
        assert!(cleaned.contains(r#""expires_in":3599"#), "harmless fields stay: {cleaned}");
    }

    #[test]
    fn pretty_printed_json_with_spaces() {
        assert_clean(&format!("{{\n  \"refresh_token\" : \"{REFRESH}\"\n}}"), REFRESH);
    }

    #[test]
    fn form_encoded_refresh_and_device_grants() {
        assert_clean(
            &format!("grant_type=refresh_token&refresh_token={REFRESH}&client_id=abc"),
            REFRESH,
        );
        assert_clean(
            "grant_type=device_code&device_code=GAQABAAEAAAB2UyzwtQ",
            "GAQABAAEAAAB2UyzwtQ",
        );
        assert_clean("code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "dBjftJeZ4CVP");
    }

    #[test]
    fn authorization_code_in_a_redirect_url() {
        assert_clean("GET /?code=0.AXoAsecretcode123&state=xyz HTTP/1.1", "0.AXoAsecretcode123");
    }

    #[test]
    fn a_bare_jwt() {
        assert_clean(&format!("token was {JWT} (expired)"), JWT);
    }

    #[test]
    fn ordinary_text_and_graph_errors_are_untouched() {
        for text in [
            "Searching users for \"anna\" (25 results)",
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
            "error_codes=[65001] tokens refreshed",
        ] {
            assert!(matches!(redact_secrets(text), Cow::Borrowed(_)), "changed: {text}");
        }
    }
}
