//! The way back in the real window, English and Swedish: Dora Lindberg (converted, accepted) is
//! made an internal member again from her review – report, form, confirmation, result – and the
//! sample directory shows her as one. The password on screen is the one Microsoft was sent (so
//! it is the one that works), and it is nowhere in the app's files: journal, log or settings.
//! History then lists the conversion as its own kind, with its outcome.

use std::path::Path;

use fantoccini::key::Key;
use serde_json::Value;

use crate::harness::{signed_in_as_anna, translation};

const DORA: &str = "dora.lindberg@contoso-sample.se";

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

async fn journey(locale: &'static str, language: &str) {
    let (sandbox, app) = signed_in_as_anna(locale, vec![]).await;
    let shot = |name: &str| format!("reverse-{name}-{language}");
    let id = sandbox.control().user_id(DORA).unwrap();

    // From her review: she signs in externally, so the way back is offered.
    app.type_into("search-box", "dora").await;
    app.click_css(&format!("[data-testid=\"search-row\"][data-upn=\"{DORA}\"]")).await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"alreadyB2b\"]").await;
    app.click("to-reverse").await;
    let outcome = app.wait_for("reverse-outcome").await;
    assert_ne!(outcome.attr("data-outcome").await.unwrap().as_deref(), Some("blocked"));
    let report = app.text_of("reverse-report").await;
    let issuer = translation(language, "reverse.issuer.externalAzureAd");
    assert!(report.contains(&issuer) && !report.contains("ExternalAzureAD"), "{report}");
    app.wait_for("preview-badge").await;
    app.screenshot(&shot("1-review")).await;

    // The form: today's UPN is prefilled (a verified, managed domain) and checked as typed.
    app.click("to-reverse-form").await;
    let upn = app.wait_for("reverse-upn").await;
    assert_eq!(upn.prop("value").await.unwrap().as_deref(), Some(DORA));
    let next = app.wait_for("to-reverse-confirm").await;
    app.type_into("reverse-upn", "x").await; // …@contoso-sample.sex: not a verified domain
    let problem = translation(language, "reverse.upnProblem.domainNotVerified");
    app.wait_for_text_containing("reverse-form-screen", &problem).await;
    assert!(next.attr("disabled").await.unwrap().is_some(), "Next waits for a usable UPN");
    app.type_into("reverse-upn", &char::from(Key::Backspace).to_string()).await;
    let usable = translation(language, "reverse.form.upn.ok");
    app.wait_for_text_containing("reverse-form-screen", &usable).await;
    assert!(next.attr("disabled").await.unwrap().is_none());
    app.screenshot(&shot("2-form")).await;

    // The confirmation: the exact beta request with the password hidden, and the PowerShell.
    app.click("to-reverse-confirm").await;
    app.wait_for("reverse-steps").await;
    app.click("show-requests").await;
    let request = app.text_of("reverse-request").await;
    let path = format!("/beta/users/{id}/convertExternalToInternalMemberUser");
    assert!(request.starts_with("POST ") && request.contains(&path), "{request}");
    assert!(request.contains("[hidden: made by Rehome"), "{request}");
    let powershell = app.text_of("powershell").await;
    assert!(powershell.contains("Convert-MgBetaUserExternalToInternalMemberUser"), "{powershell}");
    let convert = app.wait_for("convert-to-internal").await;
    assert!(convert.attr("disabled").await.unwrap().is_some(), "disabled until the UPN is typed");
    app.screenshot(&shot("3-confirm")).await;

    sandbox.control().clear_log();
    app.type_into("confirm-upn", DORA).await;
    app.click("convert-to-internal").await;
    app.wait_for_css("[data-testid=\"reverse-result-screen\"][data-outcome=\"succeeded\"]").await;
    let password = app.text_of("password-value").await;
    assert!(password.len() >= 16, "a strong password is shown: {password:?}");
    assert_eq!(app.text_of("reverse-new-upn").await, DORA);
    app.screenshot(&shot("4-result")).await;

    // The sample directory: one conversion, with exactly the password on screen; Dora is an
    // internal member now.
    let posts: Vec<_> =
        sandbox.control().requests().into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!((posts[0].path.as_str(), posts[0].status), (path.as_str(), 200));
    let body: Value = serde_json::from_str(posts[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["passwordProfile"]["password"], password.as_str());
    assert_eq!(body["passwordProfile"]["forceChangePasswordNextSignIn"], true);
    assert_eq!(body["userPrincipalName"], DORA);
    let dora = sandbox.control().user(DORA).unwrap();
    assert_eq!(dora["userType"], "Member");
    assert_eq!(dora["identities"][0]["signInType"], "userPrincipalName", "signs in internally");
    assert!(dora["externalUserState"].is_null(), "{dora}");

    // History lists it as its own kind, and nothing on screen or on disk holds the password.
    app.click("reverse-done").await;
    app.click("open-history").await;
    let entry = app.wait_for_css("[data-testid=\"history-entry\"][data-state=\"internal\"]").await;
    let text = entry.text().await.unwrap();
    assert!(text.contains(&translation(language, "history.kind.convertToInternal")), "{text}");
    app.click("history-open").await;
    let details = app.text_of("history-details").await;
    assert!(details.contains(&path) && details.contains("[hidden"), "{details}");
    let source = app.client.source().await.unwrap();
    assert!(!source.contains(&password), "the password is gone from the window");
    let journal = files_containing(app.home().path(), path.as_bytes());
    assert!(!journal.is_empty(), "the journal holds the request");
    let leaks = files_containing(app.home().path(), password.as_bytes());
    assert!(leaks.is_empty(), "the password is in {leaks:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn dora_goes_back_to_internal_in_english() {
    journey("en_US.UTF-8", "en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dora_goes_back_to_internal_in_swedish() {
    journey("sv_SE.UTF-8", "sv").await;
}
