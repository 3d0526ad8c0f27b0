//! `make bench`: a batch against the sample directory.
//!
//! - Dry run: round trips and reads per account, for 300 rows of the practice list.
//! - Run: accounts per minute under Microsoft's invitation limit (150 per 5 s per tenant;
//!   Rehome paces at 120), with 0 ms and 100 ms of injected latency per request, and with the
//!   practice directory's 12 s before Microsoft's invitation service sees a new email.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use rehome_core::{
    batch::{self, BatchIntention, Batches, RunEnv, RunState, IN_FLIGHT},
    convert::{ConversionContext, Conversions},
    eligibility::AdminFacts,
    graph::INVITATION_PACE,
    invitation::{Landing, MessageSettings},
    journal::Journal,
    reviews::Reviews,
};
use rehome_sandbox::{directory::Directory, Sandbox, SandboxConfig};

fn list(rows: usize) -> String {
    let csv = rehome_sandbox::directory::practice_batch_csv(&Directory::sample(2020));
    csv.lines().take(rows + 1).map(|l| format!("{l}\n")).collect()
}

struct Measured {
    accounts: usize,
    seconds: f64,
    throttled: usize,
    reads: u32,
    round_trips: u32,
    rows: usize,
}

async fn measure(latency_ms: u64, propagation: Duration, rows: usize) -> Measured {
    let config = SandboxConfig { latency_ms, mail_propagation: propagation, ..Default::default() };
    let sandbox = Sandbox::start(config).await.unwrap();
    let (service, profile) = common::signed_in(&sandbox, common::ANNA).await;
    let graph = service.graph().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
    let (reviews, conversions, batches) =
        (Reviews::default(), Conversions::default(), Batches::default());
    let (admin, context) = (AdminFacts::of(&profile), ConversionContext::of(&profile, true));
    let list = batches.keep_list(batch::parse(&list(rows))).unwrap();
    let tenant = profile.organisation.tenant_id.clone();
    let dry_run = batches.dry_run(&graph, &reviews, &list.list_id, &tenant, admin).await.unwrap();
    let lines: Vec<u32> =
        dry_run.rows.iter().filter(|r| r.verdict.allows()).map(|r| r.row.line).collect();
    let intention = BatchIntention {
        batch_id: dry_run.batch_id.clone(),
        confirmed_count: lines.len() as u32,
        lines,
        message: MessageSettings {
            send_email: true,
            language: "sv-SE".into(),
            personal_message: "Välkommen!".into(),
            cc: None,
            landing: Landing::MyApps,
        },
    };
    sandbox.control().clear_log();
    let env = RunEnv {
        graph: &graph,
        journal: &journal,
        reviews: &reviews,
        conversions: &conversions,
        context: &context,
        admin,
    };
    let started = Instant::now();
    let status = batches.run(&env, &intention).await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(status.state, RunState::Finished);
    let throttled = sandbox
        .control()
        .requests()
        .iter()
        .filter(|r| r.path == "/v1.0/invitations" && r.status == 429)
        .count();
    Measured {
        accounts: status.converted as usize,
        seconds,
        throttled,
        reads: dry_run.reads,
        round_trips: dry_run.round_trips,
        rows: dry_run.rows.len(),
    }
}

#[tokio::main]
async fn main() {
    let dry = measure(0, Duration::ZERO, 300).await;
    println!("Dry run: {} rows", dry.rows);
    println!("| reads | round trips | reads per account | round trips per account |");
    println!("|---|---|---|---|");
    println!(
        "| {} | {} | {:.2} | {:.3} |",
        dry.reads,
        dry.round_trips,
        f64::from(dry.reads) / dry.rows as f64,
        f64::from(dry.round_trips) / dry.rows as f64
    );
    println!();
    println!(
        "Run: every account the dry run lets through ({IN_FLIGHT} at a time, invitations paced at {INVITATION_PACE} per 5 s under Microsoft's 150)"
    );
    println!("| injected latency | email propagation | accounts | seconds | accounts per minute | 429s |");
    println!("|---|---|---|---|---|---|");
    let row = |latency: u64, propagation: u64, m: &Measured| {
        println!(
            "| {latency} ms | {propagation} s | {} | {:.1} | {:.0} | {} |",
            m.accounts,
            m.seconds,
            m.accounts as f64 / m.seconds * 60.0,
            m.throttled
        );
    };
    row(0, 0, &dry);
    row(100, 0, &measure(100, Duration::ZERO, 329).await);
    row(100, 12, &measure(100, Duration::from_secs(12), 329).await);
    println!();
    println!(
        "The pace's ceiling, sustained: {} accounts per minute ({INVITATION_PACE} per 5 s); a shorter batch starts with up to {INVITATION_PACE} at once, so its average can be higher.",
        INVITATION_PACE * 12
    );
}
