//! The eligibility report against the sample directory over real HTTP: for every sample user in
//! the sandbox README's table, the verdicts that table describes; one round trip per report;
//! throttled and forbidden batch items.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{graph_with_scopes, signed_in, ANNA};
use rehome_core::{
    eligibility::{review, AdminFacts, CheckId, Outcome, Report, Verdict},
    graph::GraphClient,
    ErrorCode,
};
use rehome_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};
use Outcome::{AlreadyB2b, Blocked, Ready, ReadyWithWarnings};

/// The UPN column of the sandbox README's sample-user table.
fn readme_users() -> Vec<String> {
    let readme = include_str!("../../sandbox/README.md");
    let table =
        readme.split("<!-- sample users:").nth(1).unwrap().split("<!-- end").next().unwrap();
    table
        .lines()
        .filter_map(|line| line.split('|').nth(2))
        .filter_map(|cell| cell.trim().strip_prefix('`')?.strip_suffix('`').map(str::to_owned))
        .collect()
}

/// What the report says besides "passed", leaving out the admin and the general information.
fn summary(report: &Report) -> String {
    let general = [
        CheckId::AdminRole,
        CheckId::AdminMailbox,
        CheckId::WhatIsKept,
        CheckId::UserTypeStays,
        CheckId::TeamsLink,
    ];
    let words: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.verdict != Verdict::Passed && !general.contains(&c.id))
        .map(|c| {
            let finding = serde_json::to_value(c.finding).unwrap();
            let verdict = serde_json::to_value(c.verdict).unwrap();
            format!("{}:{}", finding.as_str().unwrap(), verdict.as_str().unwrap())
        })
        .collect();
    words.join(" ")
}

/// Opens the user as the app does (with the account's own `mail`), and when there is none, picks
/// the first usable candidate as the admin would.
async fn open_and_choose(
    graph: &GraphClient,
    admin: AdminFacts,
    id: &str,
    mail: Option<&str>,
) -> Report {
    let report = review(graph, id, mail, admin).await.unwrap();
    if report.email.is_some() {
        return report;
    }
    match report.candidates.iter().find(|c| c.problem.is_none()) {
        Some(candidate) => review(graph, id, Some(&candidate.address), admin).await.unwrap(),
        None => report,
    }
}

/// Every row of the sandbox README's table, and what its "What it shows" column means for the
/// report: the outcome, and each check that did not simply pass (`finding:verdict`).
const EXPECTED: &[(&str, Outcome, &str)] = &[
    // Admins: internal mail, and a mailbox for all but Elin.
    ("anna.lindqvist@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("bjorn.oberg@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("cecilia.akesson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("david.nilsson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("elin.holm@contoso-sample.se", Blocked, "emailNotChosen:blocks"),
    // Cloud-only members.
    ("oscar.ward@contoso-sample.se", Ready, ""),
    ("astrid.berg@contoso-sample.se", ReadyWithWarnings, "mailWillBeSet:warning"),
    ("gustav.lind@contoso-sample.se", Blocked, "emailNotChosen:blocks"),
    ("karin.sjoberg@contoso-sample.se", Blocked, "emailVerifiedDomain:blocks"),
    ("lars.ek@contoso-sample.se", Blocked, "emailVerifiedDomain:blocks"),
    ("maja.hedlund@contoso-sample.se", Ready, ""),
    ("asa.odman@contoso-sample.se", Ready, ""),
    ("jose.nunez@contoso-sample.se", Ready, ""),
    ("malgorzata.wojcik@contoso-sample.se", Ready, ""),
    ("soren.aero@contoso-sample.se", ReadyWithWarnings, "mailWillBeSet:warning"),
    ("zoe.lefevre@contoso-sample.se", Ready, ""),
    // Synced from on-premises.
    ("henrik.dahl@contoso-sample.se", ReadyWithWarnings, "synced:warning"),
    ("ingrid.falk@contoso-sample.se", Blocked, "onPremisesUpnSet:blocks synced:warning"),
    (
        "johan.strand@contoso-sample.se",
        Blocked,
        "onPremisesUpnSet:blocks synced:warning emailVerifiedDomain:blocks",
    ),
    ("klara.noren@contoso-sample.se", Blocked, "synced:warning emailVerifiedDomain:blocks"),
    ("leo.wikstrom@contoso-sample.se", Ready, "previouslySynced:information"),
    // Mailboxes decided by service plan.
    ("maria.persson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("nils.olsson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("olivia.karlsson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("per.andersson@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("rut.eriksson@contoso-sample.se", Ready, ""),
    ("sara.johansson@contoso-sample.se", Ready, ""),
    ("tobias.larsson@contoso-sample.se", Ready, ""),
    // Disabled.
    ("ulf.gustafsson@contoso-sample.se", ReadyWithWarnings, "disabled:warning"),
    ("vera.pettersson@contoso-sample.se", ReadyWithWarnings, "synced:warning disabled:warning"),
    // Addresses in use: Wilma's other email is Yara's mail, so each is in use by the other.
    ("wilma.axelsson@contoso-sample.se", Blocked, "emailInUse:blocks mailWillBeSet:warning"),
    ("yara.svensson@contoso-sample.se", Blocked, "emailInUse:blocks"),
    ("xander.holmberg@contoso-sample.se", Blocked, "emailInUse:blocks"),
    // Federated domains: information only since the 2020 limitation went away.
    ("yngve.bergstrom@contoso-sample.se", Ready, "federatedDomain:information"),
    ("zara.lundgren@contoso-sample.se", Ready, "federatedDomain:information"),
    // Addresses the service rejects.
    ("albin.forsberg@contoso-sample.se", Blocked, "emailPlusSign:blocks"),
    ("beata.sandberg@contoso-sample.se", Blocked, "emailNotChosen:blocks"),
    // Already B2B.
    ("carl.magnusson@contoso-sample.se", AlreadyB2b, "convertedPending:blocks"),
    ("dora.lindberg@contoso-sample.se", AlreadyB2b, "convertedAccepted:blocks"),
    (
        "erik.jakobsson_woodgrove.example#EXT#@contososample.onmicrosoft.com",
        AlreadyB2b,
        "invitedGuest:blocks",
    ),
    (
        "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com",
        AlreadyB2b,
        "invitedGuest:blocks",
    ),
    (
        "greta_bengtsson.example#EXT#@contososample.onmicrosoft.com",
        AlreadyB2b,
        "invitedGuest:blocks",
    ),
];

async fn anna(sandbox: &Sandbox) -> (std::sync::Arc<GraphClient>, AdminFacts) {
    let (service, profile) = signed_in(sandbox, ANNA).await;
    (service.graph().await.unwrap(), AdminFacts::of(&profile))
}

fn id_of(sandbox: &Sandbox, upn: &str) -> String {
    sandbox.control().user_id(upn).unwrap()
}

#[tokio::test]
async fn every_sample_user_gets_the_verdicts_the_sandbox_readme_describes() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    let listed = readme_users();
    let expected: Vec<&str> = EXPECTED.iter().map(|(upn, _, _)| *upn).collect();
    assert_eq!(listed, expected, "one expectation per README row, in its order");
    let mut wrong = Vec::new();
    for (upn, outcome, checks) in EXPECTED {
        let user = sandbox.control().user(upn).unwrap();
        let report =
            open_and_choose(&graph, admin, &id_of(&sandbox, upn), user["mail"].as_str()).await;
        if (report.outcome, summary(&report).as_str()) != (*outcome, *checks) {
            wrong.push(format!("{upn}: {:?} \"{}\"", report.outcome, summary(&report)));
        }
    }
    assert!(wrong.is_empty(), "reports that differ from the README:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn opening_a_user_is_one_round_trip_and_choosing_an_email_one_more() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    let astrid = id_of(&sandbox, "astrid.berg@contoso-sample.se");
    sandbox.control().clear_log();
    let report = review(&graph, &astrid, None, admin).await.unwrap();
    assert_eq!(sandbox.control().round_trips(), 1);
    let batched: Vec<_> = sandbox.control().requests().into_iter().filter(|r| r.in_batch).collect();
    assert_eq!(
        batched.len(),
        3,
        "user, licences, domains: nothing to check an address against yet"
    );
    assert!(batched[0].query.contains("onPremisesUserPrincipalName"), "{:?}", batched[0]);
    let chosen = &report.candidates[0];
    assert_eq!((chosen.address.as_str(), chosen.problem), ("astrid.berg@northwind.example", None));

    sandbox.control().clear_log();
    let report = review(&graph, &astrid, Some(&chosen.address), admin).await.unwrap();
    assert_eq!(sandbox.control().round_trips(), 1);
    assert_eq!(sandbox.control().requests().iter().filter(|r| r.in_batch).count(), 5);
    assert!(
        report.sets_mail,
        "a cloud user without a mailbox gets the address set by the conversion"
    );
    assert_eq!(report.outcome, ReadyWithWarnings);
}

#[tokio::test]
async fn a_throttled_item_is_retried_after_its_retry_after_and_the_report_is_whole() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    let maria = id_of(&sandbox, "maria.persson@contoso-sample.se");
    sandbox.control().add_fault(
        FaultRule::new(Some("GET"), "/licenseDetails", Fault::Throttle { retry_after_secs: 0.2 })
            .times(1),
    );
    sandbox.control().clear_log();
    let report = review(&graph, &maria, None, admin).await.unwrap();
    let mailbox = report.checks.iter().find(|c| c.id == CheckId::Mailbox).unwrap();
    assert_eq!(mailbox.verdict, Verdict::Blocks);
    assert_eq!(sandbox.control().round_trips(), 2, "the first batch and one retry of that item");
    let licence_reads = sandbox
        .control()
        .requests()
        .iter()
        .filter(|r| r.in_batch && r.path.ends_with("/licenseDetails"))
        .map(|r| r.status)
        .collect::<Vec<_>>();
    assert_eq!(licence_reads, [429, 200]);
}

#[tokio::test]
async fn a_missing_permission_makes_only_its_own_check_unknown() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (_, admin) = anna(&sandbox).await;
    // Consent to the required permissions only: Domain.Read.All is optional.
    let graph =
        graph_with_scopes(&sandbox, ANNA, &["User.ReadWrite.All", "User.Invite.All", "openid"]);
    let yngve = id_of(&sandbox, "yngve.bergstrom@contoso-sample.se");
    let report = review(&graph, &yngve, Some("yngve@fjordpartners.no"), admin).await.unwrap();
    let unknown: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::CouldNotCheck)
        .map(|c| (c.id, c.reason.as_ref().unwrap().code))
        .collect();
    assert_eq!(unknown, [(CheckId::EmailFederation, ErrorCode::AccessDenied)]);
    assert_eq!(report.outcome, ReadyWithWarnings);
}

#[tokio::test]
async fn bad_ids_unknown_users_and_answers_that_are_not_json_are_explained() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    sandbox.control().clear_log();
    let error = review(&graph, "../me", None, admin).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(sandbox.control().round_trips(), 0, "nothing is sent for an id that is not one");

    let gone = review(&graph, "00000000-0000-4000-8000-00000000dead", None, admin).await;
    assert_eq!(gone.unwrap_err().code, ErrorCode::NotFound);

    sandbox.control().add_fault(FaultRule::new(Some("POST"), "/$batch", Fault::MalformedBody));
    let oscar = id_of(&sandbox, "oscar.ward@contoso-sample.se");
    let error = review(&graph, &oscar, None, admin).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::UnexpectedResponse);
}
