//! Issue 14's fault matrix: a whole conversion (Astrid: `mail` set first, then the invitation), a
//! resend (Carl, pending) and a reset of redemption (Frida, accepted guest), each driven the app's
//! way – review `$batch`, plan from the kept review, `Conversions::convert`, and at the next start
//! `convert::reconcile` of what was left unfinished – with one fault injected at one step per
//! cell, against a fresh sample directory per cell.
//!
//! Per cell it records what Rehome shows, how many times the directory *applied* each write (the
//! request log keeps the status its handler answered, before a fault mangles what the client
//! gets), and what the journal holds; and it asserts that no write was applied twice, that no
//! journal entry is lost or left unexplained, that the outcome is one the admin can act on, and
//! that it agrees with the directory. The table goes to stdout and to `target/fault-matrix.md`
//! (`make faults`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::{
    future::Future,
    sync::Mutex,
    time::{Duration, Instant},
};

use common::{signed_in, signed_in_with_http, ANNA};
use rehome_core::{
    convert::{reconcile, ConversionContext, Conversions, Progress},
    eligibility::{review, AdminFacts},
    invitation::{Landing, MessageSettings},
    journal::{EntryKind, EntryOutcome, Journal},
    reviews::{Intention, Reviews, REVIEW_MAX_AGE},
    AppError,
};
use rehome_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};

/// The identity platform's token endpoint (any tenant segment).
const TOKEN: &str = "/oauth2/v2.0/token";
/// The slow-body cells: Rehome's own limits are 30 s (GET) and 60 s (writes, `$batch`); the HTTP
/// client of these cells also has this read timeout, and the body comes `SLOW` late, so the same
/// timeout error arrives at the same place in seconds instead of minutes.
const READ_TIMEOUT: Duration = Duration::from_millis(700);
const SLOW: Duration = Duration::from_millis(1_400);
/// The killed cells: the step's answer is held back this long; the run is dropped long before.
const HELD: Duration = Duration::from_secs(5);
/// Within Rehome's refresh margin (5 min): a token said to expire this soon is refreshed first.
const SHORT_TOKEN_SECS: u64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Conversion,
    Resend,
    Reset,
}

impl Op {
    const ALL: [Op; 3] = [Op::Conversion, Op::Resend, Op::Reset];

    fn name(self) -> &'static str {
        match self {
            Op::Conversion => "Conversion (Astrid)",
            Op::Resend => "Resend (Carl)",
            Op::Reset => "Reset (Frida)",
        }
    }

    fn kind(self) -> EntryKind {
        match self {
            Op::Conversion => EntryKind::Conversion,
            Op::Resend => EntryKind::Resend,
            Op::Reset => EntryKind::ResetRedemption,
        }
    }

    fn upn(self) -> &'static str {
        match self {
            Op::Conversion => "astrid.berg@contoso-sample.se",
            Op::Resend => "carl.magnusson@contoso-sample.se",
            Op::Reset => "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com",
        }
    }

    fn email(self) -> &'static str {
        match self {
            Op::Conversion => "astrid.berg@northwind.example",
            Op::Resend => "carl@magnusson-partners.example",
            Op::Reset => "frida.hansson@woodgrove.example",
        }
    }

    fn steps(self) -> &'static [Step] {
        match self {
            Op::Conversion => {
                &[Step::Review, Step::Patch, Step::Invite, Step::Verify, Step::Refresh]
            }
            Op::Resend | Op::Reset => &[Step::Review, Step::Invite, Step::Verify, Step::Refresh],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Review,
    Patch,
    Invite,
    Verify,
    Refresh,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Review => "review `POST /$batch`",
            Step::Patch => "`PATCH /users/{id}`",
            Step::Invite => "`POST /invitations`",
            Step::Verify => "verify `GET /users/{id}`",
            Step::Refresh => "token refresh before the first write",
        }
    }

    /// The request a fault of this step is put on.
    fn target(self, user_id: &str) -> (&'static str, String) {
        match self {
            Step::Review => ("POST", "/v1.0/$batch".into()),
            Step::Patch => ("PATCH", format!("/v1.0/users/{user_id}")),
            Step::Invite => ("POST", "/v1.0/invitations".into()),
            Step::Verify => ("GET", format!("/v1.0/users/{user_id}")),
            Step::Refresh => ("POST", TOKEN.into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Throttle,
    Unavailable,
    Drop,
    Malformed,
    Slow,
    Kill,
}

impl Kind {
    const ALL: [Kind; 6] =
        [Kind::Throttle, Kind::Unavailable, Kind::Drop, Kind::Malformed, Kind::Slow, Kind::Kill];

    fn name(self) -> &'static str {
        match self {
            Kind::Throttle => "429, Retry-After 0.2 s",
            Kind::Unavailable => "503 (no Retry-After)",
            Kind::Drop => "connection dropped after the write",
            Kind::Malformed => "malformed body",
            Kind::Slow => "slow body past the timeout",
            Kind::Kill => "killed mid-step, restarted",
        }
    }

    fn fault(self) -> Fault {
        match self {
            Kind::Throttle => Fault::Throttle { retry_after_secs: 0.2 },
            Kind::Unavailable => Fault::Unavailable { retry_after_secs: None },
            Kind::Drop => Fault::DropAfterWrite,
            Kind::Malformed => Fault::MalformedBody,
            Kind::Slow => Fault::SlowBody { delay: SLOW },
            // Held in flight after the directory applied it, until the run is dropped.
            Kind::Kill => Fault::SlowBody { delay: HELD },
        }
    }
}

/// One cell of the matrix.
#[derive(Debug, Default)]
struct Cell {
    outcome: String,
    writes: String,
    journal: String,
    double_writes: usize,
    lost_entries: usize,
    /// What this cell found wrong; empty when every assertion holds.
    problems: Vec<String>,
}

fn message() -> MessageSettings {
    MessageSettings {
        send_email: false,
        language: "en-US".into(),
        personal_message: String::new(),
        cc: None,
        landing: Landing::MyApps,
    }
}

fn code(error: &AppError) -> String {
    serde_json::to_value(error.code).unwrap().as_str().unwrap().to_owned()
}

/// Resolves once a client request (not a `$batch` item) to `method path`, after the first
/// `since` in the log, has been answered by the sample directory's handler – it reached the
/// directory and, for a write, was applied.
async fn reached(sandbox: &Sandbox, method: &str, path: &str, since: usize) {
    loop {
        let requests = sandbox.control().requests();
        let later = requests.get(since..).unwrap_or_default();
        if later.iter().any(|r| !r.in_batch && r.method == method && r.path.contains(path)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Runs `work`, or – in a killed cell – drops it as a killed process would once the step's
/// request has reached the directory (`None`).
async fn run_or_kill<T>(
    work: impl Future<Output = T>,
    kill: bool,
    sandbox: &Sandbox,
    (method, path): (&str, &str),
) -> Option<T> {
    if !kill {
        return Some(work.await);
    }
    let since = sandbox.control().requests().len();
    tokio::select! {
        biased;
        () = reached(sandbox, method, path, since) => None,
        done = work => Some(done),
    }
}

/// The rule for this cell's fault, once; a refresh cell keeps every token answer short-lived, so
/// the next request is preceded by a refresh, and puts its fault on that refresh.
fn install(sandbox: &Sandbox, step: Step, kind: Kind, user_id: &str) {
    let (method, path) = step.target(user_id);
    let rule = FaultRule::new(Some(method), &path, kind.fault()).times(1);
    let control = sandbox.control();
    if step == Step::Refresh {
        control.clear_faults();
        control.add_fault(rule);
        control.add_fault(short_tokens());
    } else {
        control.add_fault(rule);
    }
}

fn short_tokens() -> FaultRule {
    FaultRule::new(Some("POST"), TOKEN, Fault::TokenExpiresIn { secs: SHORT_TOKEN_SECS })
}

async fn run_cell(op: Op, step: Step, kind: Kind) -> Cell {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let control = sandbox.control();
    if step == Step::Refresh {
        control.add_fault(short_tokens());
    }
    let http = if kind == Kind::Slow {
        reqwest::Client::builder().read_timeout(READ_TIMEOUT).build().unwrap()
    } else {
        reqwest::Client::new()
    };
    let (service, profile) = signed_in_with_http(&sandbox, ANNA, http).await;
    let graph = service.graph().await.unwrap();
    let admin = AdminFacts::of(&profile);
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.sqlite3");
    let journal = Journal::open(&journal_path).unwrap();
    let context = ConversionContext::of(&profile, true);
    let user_id = control.user_id(op.upn()).unwrap();
    let (method, path) = step.target(&user_id);
    let kill = kind == Kind::Kill;
    let mut cell = Cell::default();
    control.clear_log();

    // Review, then the plan from the kept review, as the app does.
    if step == Step::Review {
        install(&sandbox, step, kind, &user_id);
    }
    let reviewing = review(&graph, &user_id, Some(op.email()), admin);
    let reviewed = if step == Step::Review {
        run_or_kill(reviewing, kill, &sandbox, (method, &path)).await
    } else {
        Some(reviewing.await)
    };
    let mut recorded = false;
    let mut checks = 0;
    let mut run: Option<Result<rehome_core::convert::ConversionResult, AppError>> = None;
    match reviewed {
        None => cell.outcome = "killed during the review: nothing to settle".into(),
        Some(Err(error)) => {
            cell.outcome = format!("review failed, nothing sent: `{}`", code(&error));
        }
        Some(Ok(report)) => {
            let reviews = Reviews::default();
            let report = reviews.keep(report).unwrap();
            let intention =
                Intention { review_id: report.review_id, kind: op.kind(), message: message() };
            let plan = reviews.plan(&graph, &intention, admin, REVIEW_MAX_AGE).await.unwrap();
            assert_eq!(plan.set_mail, op == Op::Conversion, "{op:?}: only Astrid's mail is set");
            if step != Step::Review {
                install(&sandbox, step, kind, &user_id);
            }
            let steps = Mutex::new(Vec::new());
            let conversions = Conversions::default();
            let converting = conversions
                .convert(&graph, &journal, &plan, &context, |p| steps.lock().unwrap().push(p));
            run = run_or_kill(converting, kill, &sandbox, (method, &path)).await;
            let steps = steps.into_inner().unwrap();
            recorded = steps.iter().any(|p| matches!(p, Progress::Recorded { .. }));
            checks = steps.iter().filter(|p| **p == Progress::Checking).count();
        }
    }
    if kill && run.is_some() {
        cell.problems.push("the run ended before it could be killed".into());
    }
    drop((service, graph, journal));

    // The next start: a new sign-in, the journal opened again, every unfinished entry settled.
    let (service, profile) = signed_in(&sandbox, ANNA).await;
    let graph = service.graph().await.unwrap();
    let journal = Journal::open(&journal_path).unwrap();
    let tenant_id = profile.organisation.tenant_id.clone();
    let unfinished: Vec<u32> = journal.unfinished().unwrap().iter().map(|e| e.id).collect();
    let mut reconciled = Vec::new();
    for id in &unfinished {
        match reconcile(&graph, &journal, *id, &tenant_id).await {
            Ok(outcome) => reconciled.push(outcome),
            Err(error) => cell.problems.push(format!("reconcile {id} failed: {error:?}")),
        }
    }
    let entries = journal.entries().unwrap();

    // What the directory applied: the handler's own status is in the log.
    let log = control.requests();
    let applied = |method: &str, path: &str, ok: &[u16]| {
        log.iter()
            .filter(|r| !r.in_batch && r.method == method && r.path == path)
            .filter(|r| ok.contains(&r.status))
            .count()
    };
    let patches = applied("PATCH", &format!("/v1.0/users/{user_id}"), &[200, 204]);
    let invitations = applied("POST", "/v1.0/invitations", &[201]);
    cell.writes = match (op, patches, invitations) {
        (_, 0, 0) => "none".into(),
        (Op::Conversion, p, i) => format!("PATCH×{p} POST×{i}"),
        (_, p, i) if p > 0 => format!("PATCH×{p}(!) POST×{i}"),
        (_, _, i) => format!("POST×{i}"),
    };
    if patches > 1 || invitations > 1 {
        cell.double_writes = 1;
        cell.problems.push(format!("a write applied twice: PATCH×{patches} POST×{invitations}"));
    }

    // The journal: every entry finished, or reconciled to a finished state; none lost.
    let expected_entries = usize::from(recorded || matches!(run, Some(Ok(_))));
    if entries.len() != expected_entries {
        cell.lost_entries = expected_entries.saturating_sub(entries.len());
        cell.problems
            .push(format!("{} journal entries, {expected_entries} expected", entries.len()));
    }
    if (patches > 0 || invitations > 0) && entries.is_empty() {
        cell.lost_entries = 1;
        cell.problems.push("a write was applied with no journal entry".into());
    }
    if entries.iter().any(|e| e.outcome.is_none()) {
        cell.problems.push("a journal entry is left unfinished after reconciling".into());
    }
    if !kill && !unfinished.is_empty() {
        cell.problems.push("a run that ended left its entry unfinished".into());
    }
    cell.journal = match (entries.first(), unfinished.is_empty()) {
        (None, _) => "no entry".into(),
        (Some(entry), true) => format!("finished {:?}", entry.outcome.unwrap()),
        (Some(entry), false) => match entry.outcome {
            Some(outcome) => format!("unfinished → reconciled {outcome:?}"),
            None => "unfinished".into(),
        },
    };

    // What the admin is shown, and whether it is true.
    let mail_after = control.user(&user_id).unwrap()["mail"].as_str().map(str::to_lowercase);
    let mail_holds = mail_after.as_deref() == Some(op.email());
    let shown: Option<(EntryOutcome, bool)> = match &run {
        Some(Ok(result)) => {
            let mut text = format!("{:?}", result.outcome);
            if checks > 0 {
                // An answer was lost and the user read to learn what happened.
                text.push_str(" (answer lost → read)");
            }
            if let Some(error) = &result.error {
                text.push_str(&format!(" `{}`", code(error)));
            }
            cell.outcome = text;
            if result.outcome != EntryOutcome::Succeeded && result.error.is_none() {
                cell.problems.push(format!("{:?} without an error", result.outcome));
            }
            if result.invitation_sent != (invitations == 1) {
                cell.problems.push(format!(
                    "shows invitation sent = {}, the directory applied {invitations}",
                    result.invitation_sent
                ));
            }
            if op == Op::Conversion && result.mail_set != mail_holds {
                cell.problems.push(format!(
                    "shows mail set = {}, the directory's mail is {mail_after:?}",
                    result.mail_set
                ));
            }
            let entry = entries.iter().find(|e| e.id == result.journal_id);
            if entry.and_then(|e| e.outcome) != Some(result.outcome) {
                cell.problems.push("the journal's outcome is not the one shown".into());
            }
            Some((result.outcome, result.error.is_some()))
        }
        Some(Err(error)) => {
            cell.outcome = format!("not started `{}`", code(error));
            None
        }
        None if reconciled.is_empty() => {
            if cell.outcome.is_empty() {
                cell.outcome = "killed, nothing to settle".into();
            }
            None
        }
        None => {
            let entry = &entries[0];
            let outcome = reconciled[0];
            cell.outcome = format!("killed → at restart {outcome:?}");
            Some((outcome, entry.error.is_some()))
        }
    };
    if let Some((outcome, has_error)) = shown {
        if outcome != EntryOutcome::Succeeded && !has_error {
            cell.problems.push(format!("{outcome:?} with no error to act on"));
        }
        let truth = match outcome {
            EntryOutcome::Succeeded => invitations == 1,
            EntryOutcome::Failed => invitations == 0,
            EntryOutcome::Unknown => true,
        };
        if !truth {
            cell.problems.push(format!(
                "shows {outcome:?}, the directory applied {invitations} invitation(s)"
            ));
        }
    } else if patches + invitations > 0 {
        cell.problems.push("writes applied, nothing shown".into());
    }
    cell
}

fn table(rows: &[(Op, Step, Vec<Cell>)]) -> String {
    let mut out = String::from("| operation | step |");
    for kind in Kind::ALL {
        out.push_str(&format!(" {} |", kind.name()));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(Kind::ALL.len()));
    out.push('\n');
    for (op, step, cells) in rows {
        out.push_str(&format!("| {} | {} |", op.name(), step.name()));
        for cell in cells {
            let flag = if cell.problems.is_empty() { "" } else { " **✗**" };
            out.push_str(&format!(
                " {}{flag}<br>{}<br>{} |",
                cell.outcome, cell.writes, cell.journal
            ));
        }
        out.push('\n');
    }
    out
}

#[tokio::test]
async fn fault_matrix() {
    let started = Instant::now();
    let mut rows = Vec::new();
    for op in Op::ALL {
        for &step in op.steps() {
            let mut cells = Vec::new();
            for kind in Kind::ALL {
                cells.push(run_cell(op, step, kind).await);
            }
            rows.push((op, step, cells));
        }
    }
    let cells: Vec<&Cell> = rows.iter().flat_map(|(_, _, c)| c).collect();
    let double: usize = cells.iter().map(|c| c.double_writes).sum();
    let lost: usize = cells.iter().map(|c| c.lost_entries).sum();
    let problems: Vec<String> = rows
        .iter()
        .flat_map(|(op, step, cells)| {
            cells.iter().zip(Kind::ALL).flat_map(move |(cell, kind)| {
                cell.problems
                    .iter()
                    .map(move |p| format!("{} / {} / {}: {p}", op.name(), step.name(), kind.name()))
            })
        })
        .collect();
    let mut report = table(&rows);
    report.push_str(&format!(
        "\n{} cells: {double} double writes, {lost} lost journal entries, {} cells with a problem \
         (**✗**). Each cell: what Rehome shows · the writes the directory applied · the journal.\n",
        cells.len(),
        problems.len(),
    ));
    for problem in &problems {
        report.push_str(&format!("- ✗ {problem}\n"));
    }
    println!("\n{report}\n(wall time {:.1} s)", started.elapsed().as_secs_f64());
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("fault-matrix.md"), &report).unwrap();
    assert_eq!(double, 0, "no write is applied twice");
    assert_eq!(lost, 0, "no journal entry is lost");
    assert!(problems.is_empty(), "{problems:#?}");
}
