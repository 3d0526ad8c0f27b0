//! A careful batch in the real window, English and Swedish: a list from a CSV file (with rows
//! that are left out, each with its line and why), the dry run (nothing written; filter, sort,
//! findings, export), one invitation without email, the confirmation that asks for the count,
//! the run and its result (each account invited once, its one-time link on screen and in the
//! export). Then a slower batch is stopped mid-way and continued from the home screen's offer:
//! no account is invited twice.

use std::collections::HashMap;

use rehome_sandbox::{Fault, FaultRule};

use crate::harness::{translation, App, Launch};

/// The first rows of the sample directory's practice list (cases and staff), then three rows
/// the import leaves out: not a UPN, a duplicate of line 2, and an address with a plus sign.
fn list(separator: char) -> String {
    let practice = include_str!("../../src-tauri/sandbox/practice-batch.csv");
    let mut rows: Vec<String> = practice
        .trim_start_matches('\u{feff}')
        .lines()
        .take(15)
        .map(|l| l.replace(',', &separator.to_string()))
        .collect();
    let s = separator;
    rows.push(format!("not-a-upn{s}{s}"));
    rows.push(format!("oscar.ward@contoso-sample.se{s}{s}"));
    rows.push(format!("hugo.ottosson3@contoso-sample.se{s}{s}hugo+x@contractors.example"));
    rows.join("\r\n")
}

/// Invitations that arrived at the sample directory, by invited user id.
fn invitations(sandbox: &rehome_sandbox::Sandbox) -> HashMap<String, usize> {
    let mut by_user = HashMap::new();
    for request in sandbox.control().requests() {
        if request.method == "POST"
            && request.path.ends_with("/invitations")
            && request.status == 201
        {
            let body: serde_json::Value =
                serde_json::from_str(request.body.as_deref().unwrap_or("{}")).unwrap();
            *by_user
                .entry(body["invitedUser"]["id"].as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
    }
    by_user
}

async fn signed_in(
    locale: &'static str,
    latency_ms: u64,
    files: &tempfile::TempDir,
) -> (rehome_sandbox::Sandbox, App) {
    let config = rehome_sandbox::SandboxConfig {
        auto_sign_in: Some("anna.lindqvist@contoso-sample.se".into()),
        latency_ms,
        ..Default::default()
    };
    let sandbox = rehome_sandbox::Sandbox::start(config).await.unwrap();
    let mut launch = Launch::sample(locale, &sandbox);
    launch.env.push(("REHOME_IMPORT_PATH", files.path().join("list.csv").display().to_string()));
    launch.env.push(("REHOME_EXPORT_PATH", files.path().join("export.csv").display().to_string()));
    let app = App::launch(launch).await;
    app.sign_in_to_sample().await;
    (sandbox, app)
}

/// Thirty of the practice list's staff, each with an address of their own at a partner, on a
/// slower directory (150 ms a request): the app signed in, the list where the dialog finds it.
async fn thirty_staff() -> (tempfile::TempDir, rehome_sandbox::Sandbox, App) {
    let files = tempfile::tempdir().unwrap();
    let practice = include_str!("../../src-tauri/sandbox/practice-batch.csv");
    let staff: Vec<&str> =
        practice.lines().filter(|l| l.contains("@contractors.example")).take(30).collect();
    let list = format!("userPrincipalName,objectId,email\n{}", staff.join("\n"));
    std::fs::write(files.path().join("list.csv"), list).unwrap();
    let (sandbox, app) = signed_in("en_US.UTF-8", 150, &files).await;
    (files, sandbox, app)
}

/// From home: the list, its dry run, the message as it starts, the count typed, Convert.
/// Returns how many accounts were ticked (every one the dry run lets through).
async fn start_batch(app: &App) -> usize {
    app.click("open-batch").await;
    app.click("choose-file").await;
    app.click("start-dry-run").await;
    let ticked = "[data-testid=\"dry-run-row\"] input[data-testid=\"tick\"]:checked";
    app.wait_for_css(ticked).await;
    let ready = app.all(ticked).await.len();
    app.click("to-batch-message").await;
    app.click("to-confirm").await;
    app.type_into("confirm-count", &ready.to_string()).await;
    app.click("run-batch").await;
    ready
}

async fn journey(locale: &'static str, language: &str, separator: char) {
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("list.csv"), list(separator)).unwrap();
    let (sandbox, app) = signed_in(locale, 0, &files).await;
    let shot = |name: &str| format!("batch-{name}-{language}");

    // The list: three rows left out, each with its line and why; nothing read yet.
    app.click("open-batch").await;
    app.wait_for("batch-import-screen").await;
    sandbox.control().clear_log();
    // The sample directory's own practice list is one click away (its 329 rows, all usable)…
    app.click("practice-list").await;
    app.wait_for_text_containing("list-summary", "329").await;
    assert!(app.all("[data-testid=\"rejected-row\"]").await.is_empty());
    // …and a file replaces it.
    app.click("choose-file").await;
    app.wait_for("rejected-row").await;
    let rejected = app.all("[data-testid=\"rejected-row\"]").await;
    let mut why = Vec::new();
    for row in &rejected {
        why.push((
            row.attr("data-line").await.unwrap().unwrap(),
            row.attr("data-problem").await.unwrap().unwrap(),
        ));
    }
    let expected = [("16", "notAUserPrincipalName"), ("17", "duplicateUser"), ("18", "notAnEmail")];
    assert_eq!(why, expected.map(|(l, p)| (l.to_owned(), p.to_owned())));
    let summary = app.text_of("list-summary").await;
    assert!(
        summary.contains(&translation(language, "batch.rowProblems.notAUserPrincipalName")),
        "{summary}"
    );
    assert_eq!(sandbox.control().requests().len(), 0, "checking the list reads nothing");
    app.screenshot(&shot("1-list")).await;

    // The dry run: 14 accounts in one round trip of reads, nothing written.
    app.click("start-dry-run").await;
    app.wait_for("dry-run-table").await;
    let rows = app.all("[data-testid=\"dry-run-row\"]").await;
    assert_eq!(rows.len(), 14);
    let writes: Vec<_> = sandbox
        .control()
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.ends_with("/$batch"))
        .collect();
    assert!(writes.is_empty(), "a dry run writes nothing: {writes:?}");
    let mut verdicts = HashMap::<String, usize>::new();
    for row in &rows {
        *verdicts.entry(row.attr("data-verdict").await.unwrap().unwrap()).or_default() += 1;
    }
    for verdict in ["ready", "blocked", "alreadyB2b", "notFound"] {
        assert!(verdicts.contains_key(verdict), "the practice rows show {verdict}: {verdicts:?}");
    }
    // Ticked from the start: every row the dry run lets through.
    let ready = verdicts["ready"] + verdicts.get("readyWithWarnings").copied().unwrap_or(0);
    // A blocked row's findings say what to fix.
    app.click_css(
        "[data-testid=\"dry-run-row\"][data-verdict=\"blocked\"] [data-testid=\"row-details\"]",
    )
    .await;
    let findings = app.wait_for("row-findings").await.text().await.unwrap();
    assert!(findings.contains(&translation(language, "batch.verdicts.blocked.body")), "{findings}");
    app.script("window.scrollTo(0, 0)").await;
    app.screenshot(&shot("2-dry-run")).await;

    // Filter: only those that cannot be converted; sort by name; export.
    app.click("filter-notReady").await;
    for row in app.all("[data-testid=\"dry-run-row\"]").await {
        let verdict = row.attr("data-verdict").await.unwrap().unwrap();
        assert!(verdict != "ready" && verdict != "readyWithWarnings", "{verdict}");
    }
    app.click("filter-all").await;
    app.click("export-dry-run").await;
    app.wait_for("dry-run-saved").await;
    let exported = std::fs::read_to_string(files.path().join("export.csv")).unwrap();
    assert_eq!(
        exported.trim_end().lines().count(),
        1 + 14 + 3,
        "header, every row, the rows left out:\n{exported}"
    );

    // One invitation without email: the links are shown once.
    app.click("to-batch-message").await;
    app.wait_for("batch-message-screen").await;
    app.click("send-email").await;
    app.wait_for("no-email-warning").await;
    app.click("to-confirm").await;

    // The confirmation asks for the number of accounts.
    app.wait_for("batch-steps").await;
    let run = app.wait_for("run-batch").await;
    app.type_into("confirm-count", &format!("{ready}0")).await;
    assert!(run.attr("disabled").await.unwrap().is_some(), "the wrong count does not start it");
    app.type_into("confirm-count", &char::from(fantoccini::key::Key::Backspace).to_string()).await;
    assert!(run.attr("disabled").await.unwrap().is_none());
    app.screenshot(&shot("3-confirm")).await;
    sandbox.control().clear_log();
    app.click("run-batch").await;

    // The result: every ticked account converted, each invited once, its link on screen.
    app.wait_for_css("[data-testid=\"batch-run-screen\"][data-state=\"finished\"]").await;
    let converted = app.all("[data-testid=\"batch-row\"][data-state=\"converted\"]").await;
    assert_eq!(converted.len(), ready);
    let sent = invitations(&sandbox);
    assert_eq!(sent.len(), ready, "{sent:?}");
    assert!(sent.values().all(|&n| n == 1), "each account invited once: {sent:?}");
    let links = app.all("[data-testid=\"row-redeem-url\"]").await;
    assert_eq!(links.len(), ready);
    let first_link = links[0].text().await.unwrap();
    assert!(first_link.starts_with("http") && first_link.contains("redeem"), "{first_link}");
    app.wait_for("links-once").await;
    app.hold_animations_at_their_end().await;
    app.screenshot(&shot("4-result")).await;
    app.click("export-result").await;
    app.wait_for("result-saved").await;
    let result = std::fs::read_to_string(files.path().join("export.csv")).unwrap();
    assert!(result.contains(&first_link), "the export holds the links:\n{result}");

    // Every conversion is in History.
    app.click("batch-done").await;
    app.click("open-history").await;
    app.wait_for("history-entry").await;
    let entries = app.all("[data-testid=\"history-entry\"]").await;
    assert_eq!(entries.len(), ready);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_is_dry_run_and_converted_in_english() {
    journey("en_US.UTF-8", "en", ',').await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_list_is_dry_run_and_converted_in_swedish() {
    // Excel in a Swedish locale separates with semicolons.
    journey("sv_SE.UTF-8", "sv", ';').await;
}

/// A slower directory: the batch is stopped mid-way, the home screen offers the rest, and
/// continuing converts it – each account invited once.
#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_batch_is_continued_from_home() {
    let (_files, sandbox, app) = thirty_staff().await;
    let ready = start_batch(&app).await;
    assert!(ready >= 10, "{ready}");

    // Stop once a few are done: those under way finish, the rest wait.
    app.wait_for_css("[data-testid=\"count-converted\"]").await;
    app.click("stop-batch").await;
    app.wait_for_css("[data-testid=\"batch-run-screen\"][data-state=\"stopped\"]").await;
    let first = invitations(&sandbox);
    assert!(
        !first.is_empty() && first.len() < ready,
        "stopped mid-way: {} of {ready}",
        first.len()
    );
    let links = app.all("[data-testid=\"row-redeem-url\"]").await;
    assert!(links.is_empty(), "Microsoft emailed the invitations: no links to hand over");
    app.screenshot("batch-5-stopped-en").await;

    // Home offers the rest; continuing converts it.
    app.click("batch-done").await;
    app.wait_for("unfinished-batch").await;
    app.screenshot("batch-6-offer-en").await;
    app.click("continue-unfinished-batch").await;
    app.click("continue-batch").await;
    app.wait_for_css("[data-testid=\"batch-run-screen\"][data-state=\"finished\"]").await;
    let all = invitations(&sandbox);
    assert_eq!(all.len(), ready, "{all:?}");
    assert!(all.values().all(|&n| n == 1), "no account invited twice: {all:?}");
    app.click("batch-done").await;
    app.wait_for("home-screen").await;
    let offers = app.all("[data-testid=\"unfinished-batch\"]").await;
    assert!(offers.is_empty(), "nothing left to offer");
}

/// Rehome is closed mid-run, one invitation applied but its answer never arrived: at the next
/// start home offers the batch (not that account on its own), and continuing settles it by
/// reading and converts the rest – each account invited once.
#[tokio::test(flavor = "multi_thread")]
async fn a_batch_cut_short_by_closing_rehome_continues_at_the_next_start() {
    let (_files, sandbox, app) = thirty_staff().await;
    let held = Fault::SlowBody { delay: std::time::Duration::from_secs(120) };
    sandbox.control().add_fault(FaultRule::new(Some("POST"), "/v1.0/invitations", held).times(1));
    let ready = start_batch(&app).await;
    app.wait_for_css("[data-testid=\"count-converted\"]").await;
    let home = app.close().await;

    let app = App::launch_in(home, Launch::sample("en_US.UTF-8", &sandbox)).await;
    let offer = app.wait_for("unfinished-batch").await.text().await.unwrap();
    assert!(offer.contains(&format!("of {ready} accounts done")), "{offer}");
    // What the home screen lists one by one, asked the way the page asks.
    let ask = "const done = arguments[arguments.length - 1]; \
               window.__TAURI_INTERNALS__.invoke('unfinished_conversions', {}).then(done, (e) => done(e))";
    let single = app.client.execute_async(ask, vec![]).await.unwrap();
    assert_eq!(single, serde_json::json!([]), "the account cut short is the batch's to settle");
    app.click("continue-unfinished-batch").await;
    app.click("continue-batch").await;
    app.wait_for_css("[data-testid=\"batch-run-screen\"][data-state=\"finished\"]").await;
    let all = invitations(&sandbox);
    assert_eq!(all.len(), ready, "{all:?}");
    assert!(all.values().all(|&n| n == 1), "no account invited twice: {all:?}");
}
