//! Converting against the sample directory over real HTTP: a whole conversion with and without
//! setting `mail` first, throttling before acceptance, a connection dropped after the invitation
//! was applied (no second POST), a refusal, one run per user, and reconciling an entry the app
//! never finished.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use common::{signed_in, ANNA};
use rehome_core::{
    convert::{intent_of, reconcile, ConversionContext, Conversions, Progress},
    graph::GraphClient,
    invitation::{ConversionPlan, Landing, MessageSettings},
    journal::{EntryOutcome, Journal},
    refusal::Refusal,
    ErrorCode,
};
use rehome_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig};

struct Setup {
    sandbox: Sandbox,
    graph: Arc<GraphClient>,
    journal: Journal,
    context: ConversionContext,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, profile) = signed_in(&sandbox, ANNA).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
    let context = ConversionContext {
        admin_upn: ANNA.into(),
        cloud: "sample".into(),
        tenant_id: profile.organisation.tenant_id.clone(),
        keep_message_bodies: true,
    };
    sandbox.control().clear_log();
    Setup { graph: service.graph().await.unwrap(), sandbox, journal, context, _dir: dir }
}

fn plan(sandbox: &Sandbox, upn: &str, email: &str, set_mail: bool) -> ConversionPlan {
    let user = sandbox.control().user(upn).unwrap();
    ConversionPlan {
        kind: rehome_core::journal::EntryKind::Conversion,
        user_id: user["id"].as_str().unwrap().into(),
        user_principal_name: upn.into(),
        display_name: user["displayName"].as_str().unwrap().into(),
        email: email.into(),
        set_mail,
        message: MessageSettings {
            send_email: false,
            language: "sv-SE".into(),
            personal_message: "Välkommen!".into(),
            cc: None,
            landing: Landing::MyApps,
        },
    }
}

fn writes(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .control()
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| format!("{} {} {}", r.method, r.path, r.status))
        .collect()
}

#[tokio::test]
async fn a_cloud_user_gets_mail_set_then_the_invitation_and_is_verified_pending() {
    let s = setup().await;
    let astrid =
        plan(&s.sandbox, "astrid.berg@contoso-sample.se", "astrid.berg@northwind.example", true);
    let steps = Mutex::new(Vec::new());
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &astrid, &s.context, |p| steps.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    assert!(result.mail_set && result.invitation_sent && !result.confirmed_by_reading);
    assert_eq!(result.external_user_state.as_deref(), Some("PendingAcceptance"));
    assert!(result.redeem_url.as_deref().is_some_and(|u| u.contains("/redeem?")));
    assert_eq!(result.request_ids.len(), 2, "one per write");
    let id = astrid.user_id.clone();
    assert_eq!(
        writes(&s.sandbox),
        [format!("PATCH /v1.0/users/{id} 204"), "POST /v1.0/invitations 201".to_owned()]
    );
    // The exact bodies that arrived: `invitedUser` is only the id, the email choice explicit.
    let bodies: Vec<serde_json::Value> = s
        .sandbox
        .control()
        .requests()
        .iter()
        .filter_map(|r| r.body.as_deref().map(|b| serde_json::from_str(b).unwrap()))
        .collect();
    assert_eq!(bodies[0], serde_json::json!({ "mail": "astrid.berg@northwind.example" }));
    assert_eq!(
        bodies[1],
        serde_json::json!({
            "invitedUserEmailAddress": "astrid.berg@northwind.example",
            "inviteRedirectUrl": format!("https://myapps.microsoft.com/?tenantId={}", s.context.tenant_id),
            "sendInvitationMessage": false,
            "invitedUserMessageInfo": { "messageLanguage": "sv-SE", "customizedMessageBody": "Välkommen!" },
            "invitedUser": { "id": id },
        })
    );
    let steps = steps.into_inner().unwrap();
    assert!(matches!(steps[0], Progress::Recorded { .. }));
    assert_eq!(&steps[1..], [Progress::SettingMail, Progress::Inviting, Progress::Verifying]);

    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.outcome, Some(EntryOutcome::Succeeded));
    assert_eq!(entry.status.as_deref(), Some("PendingAcceptance"));
    assert_eq!(entry.intent.personal_message.as_deref(), Some("Välkommen!"));
    assert!(
        !entry.intent.requests.contains("/redeem"),
        "the journal never holds the redemption link"
    );
}

#[tokio::test]
async fn a_user_whose_mail_is_already_external_gets_only_the_invitation() {
    let s = setup().await;
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let context = ConversionContext { keep_message_bodies: false, ..s.context.clone() };
    let result =
        Conversions::default().convert(&s.graph, &s.journal, &oscar, &context, drop).await.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded);
    assert_eq!(writes(&s.sandbox), ["POST /v1.0/invitations 201"]);
    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.intent.personal_message, None, "not kept when the admin said so");
    assert!(!entry.intent.requests.contains("Välkommen"));
}

#[tokio::test]
async fn throttling_before_acceptance_is_waited_out_and_sent_again() {
    let s = setup().await;
    let throttle = Fault::Throttle { retry_after_secs: 0.3 };
    s.sandbox
        .control()
        .add_fault(FaultRule::new(Some("POST"), "/v1.0/invitations", throttle).times(1));
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let steps = Mutex::new(Vec::new());
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &oscar, &s.context, |p| steps.lock().unwrap().push(p))
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded);
    assert_eq!(writes(&s.sandbox), ["POST /v1.0/invitations 429", "POST /v1.0/invitations 201"]);
    assert!(steps.into_inner().unwrap().contains(&Progress::Throttled { seconds: 0.3 }));
}

#[tokio::test]
async fn a_connection_dropped_after_the_invitation_was_applied_is_reported_done_without_a_second_post(
) {
    let s = setup().await;
    s.sandbox.control().add_fault(
        FaultRule::new(Some("POST"), "/v1.0/invitations", Fault::DropAfterWrite).times(1),
    );
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &oscar, &s.context, drop)
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    assert!(result.confirmed_by_reading && result.redeem_url.is_none());
    let posts = s.sandbox.control().requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1, "the invitation is never sent twice");
}

#[tokio::test]
async fn a_refusal_is_recorded_as_failed_with_what_support_needs() {
    let s = setup().await;
    let ingrid =
        plan(&s.sandbox, "ingrid.falk@contoso-sample.se", "ingrid.falk@litware.example", false);
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &ingrid, &s.context, drop)
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Failed);
    assert_eq!(result.refusal, Some(Refusal::SyncedAccount), "explained, not just quoted");
    let error = result.error.unwrap();
    assert_eq!(error.message, "Invalid request input.");
    assert!(error.details.unwrap().request_id.is_some());
    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.outcome, Some(EntryOutcome::Failed));
    assert!(entry.error.unwrap().contains("Invalid request input."));
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_journalled_or_sent() {
    let s = setup().await;
    let mut bad = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar+x@fabrikam.com", false);
    let conversions = Conversions::default();
    let error =
        conversions.convert(&s.graph, &s.journal, &bad, &s.context, drop).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    bad.email = "oscar.ward@fabrikam.com".into();
    bad.message.cc = Some("not-an-address".into());
    let error =
        conversions.convert(&s.graph, &s.journal, &bad, &s.context, drop).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(s.sandbox.control().round_trips(), 0);
    assert!(s.journal.entries().unwrap().is_empty());
}

#[tokio::test]
async fn a_second_conversion_of_the_same_user_is_refused_while_one_runs() {
    let s = setup().await;
    let slow = Fault::SlowBody { delay: Duration::from_millis(800) };
    s.sandbox.control().add_fault(FaultRule::new(Some("POST"), "/v1.0/invitations", slow).times(1));
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let conversions = Conversions::default();
    let (first, second) =
        tokio::join!(conversions.convert(&s.graph, &s.journal, &oscar, &s.context, drop), async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            conversions.convert(&s.graph, &s.journal, &oscar, &s.context, drop).await
        });
    assert_eq!(first.unwrap().outcome, EntryOutcome::Succeeded);
    assert_eq!(second.unwrap_err().code, ErrorCode::AlreadyRunning);
    let posts = s.sandbox.control().requests().iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn entries_the_app_never_finished_are_reconciled_by_reading_the_user() {
    let s = setup().await;
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let asa = plan(
        &s.sandbox,
        "asa.odman@contoso-sample.se",
        "asa.odman@lindgren-partner.example",
        false,
    );
    // As if the app was killed: the intent is written, then only Oscar's invitation got out.
    let sent = s.journal.begin(&intent_of(&oscar, &s.context)).unwrap();
    let lost = s.journal.begin(&intent_of(&asa, &s.context)).unwrap();
    s.graph
        .write(reqwest::Method::POST, "/invitations", &oscar.invitation(&s.context.tenant_id), drop)
        .await
        .unwrap();
    let unfinished = s.journal.unfinished().unwrap();
    assert_eq!(unfinished.iter().map(|e| e.id).collect::<Vec<_>>(), [sent, lost]);
    for entry in &unfinished {
        reconcile(&s.graph, &s.journal, entry).await.unwrap();
    }
    assert!(s.journal.unfinished().unwrap().is_empty());
    assert_eq!(s.journal.entry(sent).unwrap().unwrap().outcome, Some(EntryOutcome::Succeeded));
    assert_eq!(s.journal.entry(lost).unwrap().unwrap().outcome, Some(EntryOutcome::Failed));
}

/// Every sample user the report lets through converts, whatever kind of account it is (cloud-only,
/// synced, previously synced, disabled, federated domain, diacritics, email set first).
#[tokio::test]
async fn every_sample_user_the_report_lets_through_converts() {
    use rehome_core::eligibility::{review, AdminFacts, Outcome};
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, profile) = signed_in(&sandbox, ANNA).await;
    let graph = service.graph().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
    let context = ConversionContext::of(&profile, true);
    let admin = AdminFacts::of(&profile);
    let readme = include_str!("../../sandbox/README.md");
    let table =
        readme.split("<!-- sample users:").nth(1).unwrap().split("<!-- end").next().unwrap();
    let upns = table
        .lines()
        .filter_map(|line| line.split('|').nth(2))
        .filter_map(|cell| cell.trim().strip_prefix('`')?.strip_suffix('`'));
    let conversions = Conversions::default();
    let mut converted = Vec::new();
    for upn in upns {
        let user = sandbox.control().user(upn).unwrap();
        let id = user["id"].as_str().unwrap();
        let mut report = review(&graph, id, user["mail"].as_str(), admin).await.unwrap();
        if report.email.is_none() {
            if let Some(candidate) = report.candidates.iter().find(|c| c.problem.is_none()) {
                report = review(&graph, id, Some(&candidate.address), admin).await.unwrap();
            }
        }
        if !matches!(report.outcome, Outcome::Ready | Outcome::ReadyWithWarnings) {
            continue;
        }
        let mut plan = plan(&sandbox, upn, report.email.as_deref().unwrap(), report.sets_mail);
        plan.user_id = id.to_owned();
        let result = conversions.convert(&graph, &journal, &plan, &context, drop).await.unwrap();
        assert_eq!(result.outcome, EntryOutcome::Succeeded, "{upn}: {:?}", result.error);
        assert_eq!(sandbox.control().user(upn).unwrap()["externalUserState"], "PendingAcceptance");
        converted.push(upn.to_owned());
    }
    assert!(converted.len() >= 15, "{converted:?}");
    for kind in ["henrik.dahl", "leo.wikstrom", "ulf.gustafsson", "yngve.bergstrom", "astrid.berg"]
    {
        assert!(converted.iter().any(|u| u.starts_with(kind)), "{kind} converted: {converted:?}");
    }
}

#[tokio::test]
async fn resend_to_a_pending_user_and_reset_of_an_accepted_guest_send_the_documented_bodies() {
    use rehome_core::{convert::allowed, journal::EntryKind, profile::Capability};
    let s = setup().await;
    let conversions = Conversions::default();
    let mut carl = plan(
        &s.sandbox,
        "carl.magnusson@contoso-sample.se",
        "carl@magnusson-partners.example",
        false,
    );
    carl.kind = EntryKind::Resend;
    let result = conversions.convert(&s.graph, &s.journal, &carl, &s.context, drop).await.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);

    let frida_upn = "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com";
    let mut frida = plan(&s.sandbox, frida_upn, "frida.hansson@woodgrove.example", false);
    frida.kind = EntryKind::ResetRedemption;
    let result = conversions.convert(&s.graph, &s.journal, &frida, &s.context, drop).await.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    assert_eq!(result.external_user_state.as_deref(), Some("PendingAcceptance"), "accepts again");

    let bodies: Vec<serde_json::Value> = s
        .sandbox
        .control()
        .requests()
        .iter()
        .filter(|r| r.path == "/v1.0/invitations")
        .map(|r| serde_json::from_str(r.body.as_deref().unwrap()).unwrap())
        .collect();
    assert_eq!(bodies[0].get("resetRedemption"), None, "a resend is a plain invitation");
    assert_eq!(bodies[1]["resetRedemption"], true);
    assert_eq!(bodies[1]["invitedUser"], serde_json::json!({ "id": frida.user_id }));
    let kinds: Vec<_> = s.journal.entries().unwrap().iter().map(|e| e.intent.kind).collect();
    assert_eq!(kinds, [EntryKind::ResetRedemption, EntryKind::Resend]);

    // Who may do which, before anything is sent.
    let helpdesk = [Capability::CannotConvert, Capability::ResetRedemption];
    assert!(allowed(EntryKind::ResetRedemption, &helpdesk).is_ok());
    assert_eq!(
        allowed(EntryKind::Conversion, &helpdesk).unwrap_err().code,
        ErrorCode::AccessDenied
    );
    let inviter = [Capability::GuestInviterCannotConvert, Capability::ResendInvitations];
    assert!(allowed(EntryKind::Resend, &inviter).is_ok());
    assert!(allowed(EntryKind::ResetRedemption, &inviter).is_err());
    assert!(allowed(EntryKind::Conversion, &[Capability::RolesUnknown]).is_ok());
}

#[tokio::test]
async fn a_reset_to_a_new_address_sets_the_email_first_then_resets() {
    use rehome_core::{
        eligibility::{review, AdminFacts, Outcome},
        journal::EntryKind,
    };
    let s = setup().await;
    let (_, profile) = signed_in(&s.sandbox, ANNA).await;
    let upn = "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com";
    let id = s.sandbox.control().user_id(upn).unwrap();
    let report =
        review(&s.graph, &id, Some("frida@hansson-design.example"), AdminFacts::of(&profile))
            .await
            .unwrap();
    assert_eq!(report.outcome, Outcome::AlreadyB2b);
    assert!(report.sets_mail, "the new address goes into mail first (DOMAIN.md §3.1)");

    let mut reset = plan(&s.sandbox, upn, "frida@hansson-design.example", true);
    reset.kind = EntryKind::ResetRedemption;
    s.sandbox.control().clear_log();
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &reset, &s.context, drop)
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    assert_eq!(
        writes(&s.sandbox),
        [format!("PATCH /v1.0/users/{id} 204"), "POST /v1.0/invitations 201".into()]
    );
    assert_eq!(s.sandbox.control().user(upn).unwrap()["mail"], "frida@hansson-design.example");
}
