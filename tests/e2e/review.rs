//! Finding a user and reading their eligibility report in the real window, in English and
//! Swedish: a convertible cloud user, a synced user Entra Connect blocks, and a mailbox user.
//! Typing a name sends one search; opening a user is one round trip to the directory.

use rehome_sandbox::Sandbox;

use crate::harness::{signed_in_as_anna, translation, App};

/// The searches sent since the log was cleared.
fn searches(sandbox: &Sandbox) -> Vec<String> {
    let requests = sandbox.control().requests();
    requests.iter().filter(|r| r.path == "/v1.0/users").map(|r| r.query.clone()).collect()
}

/// Types `query`, waits for `upn`'s row and opens it; returns the report's round trips.
async fn open(app: &App, sandbox: &Sandbox, query: &str, upn: &str, outcome: &str) -> usize {
    // Esc empties the box, as the hint on screen says.
    app.press_escape("search-box").await;
    sandbox.control().clear_log();
    app.type_into("search-box", query).await;
    let row = format!("[data-testid=\"search-row\"][data-upn=\"{upn}\"]");
    app.wait_for_css(&row).await;
    // One search per pause in typing: a person typing at speed sends one. WebDriver's keys can
    // stall on a loaded machine, so only the count's bound and the last query are exact here
    // (the 8-keystrokes-50-ms-apart = 1 request check is the UI test's, with its own clock).
    let sent = searches(sandbox);
    assert!(!sent.is_empty() && sent.len() <= query.len(), "{sent:?}");
    let last = sent.last().unwrap();
    assert!(last.contains(&format!("displayName%3A{query}%22")), "the last search is {last}");
    sandbox.control().clear_log();
    app.click_css(&row).await;
    app.wait_for_css(&format!("[data-testid=\"review-outcome\"][data-outcome=\"{outcome}\"]"))
        .await;
    sandbox.control().round_trips()
}

async fn verdict(app: &App, check: &str) -> (String, String) {
    let item = app.wait_for(&format!("check-{check}")).await;
    let verdict = item.attr("data-verdict").await.unwrap().unwrap_or_default();
    let finding = item.attr("data-finding").await.unwrap().unwrap_or_default();
    (verdict, finding)
}

async fn journey(locale: &'static str, language: &str) {
    let (sandbox, app) = signed_in_as_anna(locale, vec![]).await;
    let text = |key: &str| translation(language, key);

    // A cloud-only member whose email is already external: ready.
    let trips = open(&app, &sandbox, "oscar", "oscar.ward@contoso-sample.se", "ready").await;
    assert_eq!(trips, 1, "opening a user is one round trip");
    assert_eq!(app.text_of("review-title").await, "Oscar Ward");
    assert_eq!(verdict(&app, "mailField").await, ("passed".into(), "mailMatches".into()));
    app.screenshot(&format!("review-ready-{language}")).await;

    // Back to the search, which still holds the query.
    app.click("back-to-search").await;
    app.wait_for_css("[data-testid=\"search-row\"]").await;
    app.screenshot(&format!("search-{language}")).await;

    // A synced user with onPremisesUserPrincipalName: blocked, with the Entra Connect fix.
    open(&app, &sandbox, "ingrid", "ingrid.falk@contoso-sample.se", "blocked").await;
    assert_eq!(verdict(&app, "onPremisesUpn").await.0, "blocks");
    assert_eq!(verdict(&app, "synced").await.0, "warning");
    let fix = app.wait_for_css("[data-testid=\"check-onPremisesUpn\"] [data-testid=\"fix\"]").await;
    assert!(fix.text().await.unwrap().contains("Entra Connect"));
    app.scroll_to("report").await;
    app.screenshot(&format!("review-synced-{language}")).await;

    // A mailbox user (E3): blocked by the mailbox, and by the internal address it has.
    app.click("back-to-search").await;
    open(&app, &sandbox, "maria", "maria.persson@contoso-sample.se", "blocked").await;
    assert_eq!(verdict(&app, "mailbox").await, ("blocks".into(), "mailbox".into()));
    let mailbox = app.text_of("check-mailbox").await;
    assert!(mailbox.contains("Exchange Online (Plan 2)") && mailbox.contains("ENTERPRISEPACK"));
    assert!(mailbox.contains(&text("report.before.mailbox")), "{mailbox}");
    app.scroll_to("report").await;
    app.screenshot(&format!("review-mailbox-{language}")).await;

    // Astrid has no email yet: choosing her other address re-checks in one round trip.
    app.click("back-to-search").await;
    open(&app, &sandbox, "astrid", "astrid.berg@contoso-sample.se", "blocked").await;
    app.click("email-candidate").await;
    sandbox.control().clear_log();
    app.click("email-check").await;
    app.wait_for_css("[data-testid=\"review-outcome\"][data-outcome=\"readyWithWarnings\"]").await;
    assert_eq!(sandbox.control().round_trips(), 1);
    app.wait_for("sets-mail").await;
    app.scroll_to("email-chooser").await;
    app.screenshot(&format!("review-choose-email-{language}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_and_review_in_english() {
    journey("en_US.UTF-8", "en").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_and_review_in_swedish() {
    journey("sv_SE.UTF-8", "sv").await;
}
