//! History in the real window, English and Swedish: a conversion made here is listed, the person
//! accepts in the sample directory, "Check pending now" shows Accepted, and the CSV export opens
//! in Excel with Swedish letters intact (UTF-8 with BOM).

use crate::harness::{signed_in_as_anna, translation};

async fn journey(locale: &'static str, language: &str) {
    let export = tempfile::tempdir().unwrap();
    let csv = export.path().join("historik.csv");
    let env = vec![("REHOME_EXPORT_PATH", csv.display().to_string())];
    let (sandbox, app) = signed_in_as_anna(locale, env).await;

    // Convert Åsa Ödman, whose email is already her own: review, message, confirm, result.
    app.type_into("search-box", "åsa").await;
    app.click_css("[data-testid=\"search-row\"][data-upn=\"asa.odman@contoso-sample.se\"]").await;
    app.click("to-message").await;
    app.click("to-confirm").await;
    app.type_into("confirm-upn", "asa.odman@contoso-sample.se").await;
    app.click("convert").await;
    app.wait_for_css("[data-testid=\"result-screen\"][data-outcome=\"succeeded\"]").await;
    app.click("convert-another").await;

    app.click("open-history").await;
    let entry = app.wait_for_css("[data-testid=\"history-entry\"][data-state=\"pending\"]").await;
    assert!(entry.text().await.unwrap().contains("Åsa Ödman"));

    // The person accepts; checking the pending ones reads it in one round trip.
    let id = sandbox.control().user_id("asa.odman@contoso-sample.se").unwrap();
    assert!(sandbox.control().accept_invitation(&id));
    sandbox.control().clear_log();
    app.click("refresh-pending").await;
    app.wait_for_css("[data-testid=\"history-entry\"][data-state=\"accepted\"]").await;
    assert_eq!(sandbox.control().round_trips(), 1);
    let state = app.text_of("history-state").await;
    let accepted = translation(language, "history.state.accepted");
    assert!(state.starts_with(accepted.split("{{").next().unwrap()), "{state}");
    app.click("history-open").await;
    app.wait_for("history-details").await;
    app.screenshot(&format!("history-{language}")).await;

    app.click("export").await;
    app.wait_for("exported").await;
    let bytes = std::fs::read(&csv).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a byte-order mark for Excel");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("Åsa Ödman") && text.contains("asa.odman@lindgren-partner.example"));
    assert_eq!(text.matches("\r\n").count(), 2, "the header and one conversion");

    // From History to the user's review, where resend and reset are offered.
    app.click("history-resend-reset").await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"alreadyB2b\"]").await;
    app.wait_for("to-reset").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn history_shows_acceptance_and_exports_in_english() {
    journey("en_US.UTF-8", "en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn history_shows_acceptance_and_exports_in_swedish() {
    journey("sv_SE.UTF-8", "sv").await;
}

async fn reset_redemption(locale: &'static str, language: &str) {
    let (sandbox, app) = signed_in_as_anna(locale, vec![]).await;
    let upn = "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com";
    app.type_into("search-box", "frida").await;
    app.click_css(&format!("[data-testid=\"search-row\"][data-upn=\"{upn}\"]")).await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"alreadyB2b\"]").await;
    // Frida moved company: her new address goes into mail first, then the reset.
    app.click("email-other").await;
    app.type_into("email-typed", "frida@hansson-design.example").await;
    app.click("email-check").await;
    app.wait_for("sets-mail").await;
    app.click("to-reset").await;
    app.click("to-confirm").await;
    app.click("show-requests").await;
    assert!(app.text_of("request-PATCH").await.contains("frida@hansson-design.example"));
    assert!(app.text_of("request-POST").await.contains("\"resetRedemption\": true"));
    app.type_into("confirm-upn", upn).await;
    app.click("convert").await;
    app.wait_for_css("[data-testid=\"result-screen\"][data-outcome=\"succeeded\"]").await;
    let posted = sandbox.control().requests();
    let body = posted.iter().find(|r| r.path == "/v1.0/invitations").unwrap().body.clone().unwrap();
    assert!(body.contains("\"resetRedemption\":true"), "{body}");
    let frida = sandbox.control().user(upn).unwrap();
    assert_eq!(frida["externalUserState"], "PendingAcceptance", "she accepts again");
    assert_eq!(frida["mail"], "frida@hansson-design.example");
    app.screenshot(&format!("reset-redemption-{language}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_redemption_of_an_accepted_guest_to_a_new_address_in_english() {
    reset_redemption("en_US.UTF-8", "en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_redemption_of_an_accepted_guest_to_a_new_address_in_swedish() {
    reset_redemption("sv_SE.UTF-8", "sv").await;
}
