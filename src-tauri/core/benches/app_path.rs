//! `make bench`: what Rehome's own code adds on top of the network when finding and reviewing a
//! user, measured against the sample directory with injected latency.
//!
//! - Search: p50/p95 over 240 queries through the app path (`Searches::search`: token, request,
//!   JSON into rows) and through a bare HTTP GET of the same URL, at 0 ms and 100 ms of injected
//!   latency; the overhead is the app path minus the injected latency, and the ratio app / bare.
//! - Report: HTTP round trips per eligibility report, over every sample user.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use rehome_core::{
    eligibility::{review, AdminFacts},
    search::{search_path, Searches},
};
use rehome_sandbox::{Sandbox, SandboxConfig};

const QUERIES: &[&str] = &[
    "a", "an", "anna", "oscar", "lind", "åsa", "ö", "maria", "sv", "karl", "e", "jo", "m.woj",
    "zoë", "per", "s", "t", "ulf", "ingrid", "xander", "o\"brien", "b", "c", "d",
];
const ROUNDS: usize = 10;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, profile) = common::signed_in(&sandbox, common::ANNA).await;
    let graph = service.graph().await.unwrap();
    let token = sandbox
        .control()
        .access_token(common::ANNA, &["User.ReadWrite.All", "User.Invite.All"])
        .unwrap();
    let bare = reqwest::Client::new();
    let searches = Searches::default();

    println!("Search: {} queries per row (p50 / p95, milliseconds)", QUERIES.len() * ROUNDS);
    println!("| injected | app p50 / p95 | bare HTTP p50 / p95 | app − injected p50 / p95 | app − bare p50 / p95 | app / bare p50 |");
    println!("|---|---|---|---|---|---|");
    for latency in [0, 100] {
        sandbox.control().set_latency(Duration::from_millis(latency), Duration::ZERO);
        let (mut app, mut raw) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            for query in QUERIES {
                let started = Instant::now();
                searches.search(graph.clone(), query).await.unwrap();
                app.push(started.elapsed());

                let url = format!("{}/v1.0{}", sandbox.base_url(), search_path(query));
                let started = Instant::now();
                let response = bare
                    .get(url)
                    .bearer_auth(&token)
                    .header("ConsistencyLevel", "eventual")
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let _: serde_json::Value = response.json().await.unwrap();
                raw.push(started.elapsed());
            }
        }
        app.sort();
        raw.sort();
        let injected = Duration::from_millis(latency);
        let (app50, app95) = (percentile(&app, 0.5), percentile(&app, 0.95));
        let (raw50, raw95) = (percentile(&raw, 0.5), percentile(&raw, 0.95));
        println!(
            "| {latency} ms | {:.1} / {:.1} | {:.1} / {:.1} | {:.1} / {:.1} | {:.2} / {:.2} | {:.2} |",
            ms(app50),
            ms(app95),
            ms(raw50),
            ms(raw95),
            ms(app50.saturating_sub(injected)),
            ms(app95.saturating_sub(injected)),
            ms(app50) - ms(raw50),
            ms(app95) - ms(raw95),
            app50.as_secs_f64() / raw50.as_secs_f64(),
        );
    }

    sandbox.control().set_latency(Duration::ZERO, Duration::ZERO);
    let admin = AdminFacts::of(&profile);
    let readme = include_str!("../../sandbox/README.md");
    let table =
        readme.split("<!-- sample users:").nth(1).unwrap().split("<!-- end").next().unwrap();
    let upns: Vec<&str> = table
        .lines()
        .filter_map(|line| line.split('|').nth(2))
        .filter_map(|cell| cell.trim().strip_prefix('`')?.strip_suffix('`'))
        .collect();
    let mut trips = Vec::new();
    for upn in &upns {
        let user = sandbox.control().user(upn).unwrap();
        sandbox.control().clear_log();
        let id = user["id"].as_str().unwrap();
        review(&graph, id, user["mail"].as_str(), admin).await.unwrap();
        trips.push(sandbox.control().round_trips());
    }
    println!();
    println!("Eligibility report: HTTP round trips per report over {} sample users", upns.len());
    println!("| min | max | mean |");
    println!("|---|---|---|");
    println!(
        "| {} | {} | {:.2} |",
        trips.iter().min().unwrap(),
        trips.iter().max().unwrap(),
        trips.iter().sum::<usize>() as f64 / trips.len() as f64
    );
}
