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
    // More admins: a role through a group, federation reader, Directory Writers.
    ("ines.bergh@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("jonas.ahlgren@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    ("kim.lundin@contoso-sample.se", Blocked, "mailbox:blocks emailVerifiedDomain:blocks"),
    // Addresses a group or a contact holds (proxy addresses are unique across all three).
    ("nora.vik@contoso-sample.se", Blocked, "emailInUse:blocks mailWillBeSet:warning"),
    ("pontus.hallberg@contoso-sample.se", Blocked, "emailVerifiedDomain:blocks"),
    // The way back to internal (issue 16): external accounts, so already B2B here.
    ("signe.astrom@contoso-sample.se", AlreadyB2b, "convertedAccepted:blocks synced:warning"),
    ("moa.lindahl@contoso-sample.net", AlreadyB2b, "convertedAccepted:blocks synced:warning"),
    ("tuva.nordin@contoso-sample.se", AlreadyB2b, "convertedAccepted:blocks"),
    ("viktor.sand@contoso-sample.net", AlreadyB2b, "convertedAccepted:blocks"),
];

/// User Administrator and External Identity Provider Administrator: reads federation too.
const JONAS: &str = "jonas.ahlgren@contoso-sample.se";

async fn admin(sandbox: &Sandbox, upn: &str) -> (std::sync::Arc<GraphClient>, AdminFacts) {
    let (service, profile) = signed_in(sandbox, upn).await;
    (service.graph().await.unwrap(), AdminFacts::of(&profile))
}

async fn anna(sandbox: &Sandbox) -> (std::sync::Arc<GraphClient>, AdminFacts) {
    admin(sandbox, ANNA).await
}

fn id_of(sandbox: &Sandbox, upn: &str) -> String {
    sandbox.control().user_id(upn).unwrap()
}

#[tokio::test]
async fn every_sample_user_gets_the_verdicts_the_sandbox_readme_describes() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = admin(&sandbox, JONAS).await;
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
    let batched: Vec<_> = sandbox.control().requests().into_iter().filter(|r| r.in_batch).collect();
    let paths: Vec<&str> = batched.iter().map(|r| r.path.as_str()).collect();
    assert!(paths.contains(&"/v1.0/groups") && paths.contains(&"/v1.0/contacts"), "{paths:?}");
    assert_eq!(batched.len(), 7, "and federation, users, groups, contacts holding the address");
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
async fn a_user_administrator_may_not_read_federation_and_the_report_says_so_as_information() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    let yngve = id_of(&sandbox, "yngve.bergstrom@contoso-sample.se");
    let report = review(&graph, &yngve, Some("yngve@fjordpartners.no"), admin).await.unwrap();
    let federation = report.checks.iter().find(|c| c.id == CheckId::EmailFederation).unwrap();
    assert_eq!(federation.verdict, Verdict::Information);
    assert_eq!(federation.reason.as_ref().unwrap().code, ErrorCode::AccessDenied);
    assert_eq!(report.outcome, Ready, "not knowing about federation does not degrade the report");
}

#[tokio::test]
async fn groups_and_contacts_holding_the_address_block_and_unread_ones_are_said_plainly() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (graph, admin) = anna(&sandbox).await;
    // Nora's other email is an alias of a mail-enabled group; Pontus's is a contact's address.
    for (upn, address) in [
        ("nora.vik@contoso-sample.se", "nora.vik@litware.example"),
        ("pontus.hallberg@contoso-sample.se", "pontus.hallberg@proseware.example"),
    ] {
        let report = review(&graph, &id_of(&sandbox, upn), Some(address), admin).await.unwrap();
        let in_use = report.checks.iter().find(|c| c.id == CheckId::EmailInUse).unwrap();
        assert_eq!(in_use.verdict, Verdict::Blocks, "{upn}: {in_use:?}");
        assert_eq!(report.outcome, Blocked, "{upn}");
    }

    // Without consent to read groups and contacts: only users are checked, and the report says so.
    let graph = graph_with_scopes(&sandbox, ANNA, &["User.ReadWrite.All", "User.Invite.All"]);
    let nora = id_of(&sandbox, "nora.vik@contoso-sample.se");
    let report = review(&graph, &nora, Some("nora.vik@litware.example"), admin).await.unwrap();
    let in_use = report.checks.iter().find(|c| c.id == CheckId::EmailInUse).unwrap();
    assert_eq!(
        (in_use.verdict, serde_json::to_value(in_use.finding).unwrap()),
        (Verdict::Information, serde_json::json!("emailFreeAmongUsers"))
    );
    assert_eq!(in_use.reason.as_ref().unwrap().code, ErrorCode::AccessDenied);
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
