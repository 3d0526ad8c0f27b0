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
    convert::{intent_of, reconcile, ConversionContext, Conversions, Progress, PropagationWaits},
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
    let context = ConversionContext::of(&profile, true);
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
            "inviteRedirectUrl": format!("https://myapps.microsoft.com/?tenantId={}", s.context.tenant.id),
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
        !serde_json::to_string(&entry.intent.requests).unwrap().contains("/redeem"),
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
    assert_eq!(entry.intent.requests.len(), 1);
    assert!(!entry.intent.requests[0].body.contains("Välkommen"));
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
    // The service's text for this case is only known from the portal: no guessed cause, Graph's
    // own words with what support needs.
    assert_eq!(result.refusal, None);
    let error = result.error.unwrap();
    assert_eq!(error.message, "Invalid request input.");
    assert!(error.details.unwrap().request_id.is_some());
    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.outcome, Some(EntryOutcome::Failed));
    assert_eq!(entry.error.unwrap().message, "Invalid request input.");
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_journalled_or_sent() {
    let s = setup().await;
    let mut bad = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar+x@fabrikam.com", false);
    let conversions = Conversions::default();
    let error =
        conversions.convert(&s.graph, &s.journal, &bad, &s.context, drop).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    // Letters outside ASCII: `mail` cannot hold them (DOMAIN.md §11.3).
    let asa = plan(&s.sandbox, "asa.odman@contoso-sample.se", "åsa.ödman@lindgren.example", true);
    let error =
        conversions.convert(&s.graph, &s.journal, &asa, &s.context, drop).await.unwrap_err();
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
    // The second starts when the first is sending its invitation (its progress says so).
    let inviting = tokio::sync::Notify::new();
    let first_progress = |step| {
        if step == Progress::Inviting {
            inviting.notify_one();
        }
    };
    let (first, second) = tokio::join!(
        conversions.convert(&s.graph, &s.journal, &oscar, &s.context, first_progress),
        async {
            inviting.notified().await;
            conversions.convert(&s.graph, &s.journal, &oscar, &s.context, drop).await
        }
    );
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
        .write(reqwest::Method::POST, "/invitations", &oscar.invitation(&s.context.tenant), drop)
        .await
        .unwrap();
    let unfinished = s.journal.unfinished().unwrap();
    assert_eq!(unfinished.iter().map(|e| e.id).collect::<Vec<_>>(), [sent, lost]);
    // Only in the organisation the entry was made in.
    let elsewhere = reconcile(&s.graph, &s.journal, sent, "another-tenant").await.unwrap_err();
    assert_eq!(elsewhere.code, ErrorCode::InvalidInput);
    for entry in &unfinished {
        reconcile(&s.graph, &s.journal, entry.id, &s.context.tenant.id).await.unwrap();
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
    use rehome_core::journal::EntryKind;
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

/// A conversion with the given waits for propagation, streaming every step into `steps`.
fn recording() -> (Arc<Mutex<Vec<Progress>>>, impl Fn(Progress)) {
    let steps = Arc::new(Mutex::new(Vec::new()));
    let sink = steps.clone();
    (steps, move |p| sink.lock().unwrap().push(p))
}

fn invitation_statuses(sandbox: &Sandbox) -> Vec<u16> {
    let requests = sandbox.control().requests();
    requests.iter().filter(|r| r.path == "/v1.0/invitations").map(|r| r.status).collect()
}

#[tokio::test]
async fn astrids_conversion_waits_until_the_invitation_service_sees_her_new_email() {
    let mut s = setup().await;
    s.sandbox.control().set_mail_propagation(Duration::from_millis(1_500));
    s.context.propagation = PropagationWaits(vec![Duration::from_millis(400); 10]);
    let astrid =
        plan(&s.sandbox, "astrid.berg@contoso-sample.se", "astrid.berg@northwind.example", true);
    let (steps, progress) = recording();
    let result = Conversions::default()
        .convert(&s.graph, &s.journal, &astrid, &s.context, progress)
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    let statuses = invitation_statuses(&s.sandbox);
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "one accepted POST: {statuses:?}"
    );
    assert!(statuses.len() >= 2 && statuses[..statuses.len() - 1].iter().all(|s| *s == 400));
    let waits = steps
        .lock()
        .unwrap()
        .iter()
        .filter(|p| matches!(p, Progress::WaitingForMail { attempts: 10, .. }))
        .count();
    assert_eq!(waits, statuses.len() - 1, "each refused attempt was followed by a visible wait");
    // Every attempt's request-id is in the journal.
    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.request_ids.len(), statuses.len() + 1, "the PATCH and each POST");
}

#[tokio::test]
async fn the_admin_can_stop_waiting_and_nothing_more_is_sent() {
    let mut s = setup().await;
    s.sandbox.control().set_mail_propagation(Duration::from_secs(600));
    s.context.propagation = PropagationWaits(vec![Duration::from_secs(60); 5]);
    let astrid =
        plan(&s.sandbox, "astrid.berg@contoso-sample.se", "astrid.berg@northwind.example", true);
    let conversions = Conversions::default();
    let (result, ()) =
        tokio::join!(conversions.convert(&s.graph, &s.journal, &astrid, &s.context, drop), async {
            while invitation_statuses(&s.sandbox).is_empty() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(conversions.stop_waiting(&astrid.user_id.to_uppercase()));
        });
    let result = result.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Failed);
    assert!(result.mail_set && !result.invitation_sent);
    assert_eq!(result.error.unwrap().code, ErrorCode::StoppedWaiting);
    assert_eq!(invitation_statuses(&s.sandbox), [400], "no attempt after the stop");
    let entry = s.journal.entry(result.journal_id).unwrap().unwrap();
    assert_eq!(entry.outcome, Some(EntryOutcome::Failed));
    assert!(!conversions.stop_waiting(&astrid.user_id), "nothing runs any more");
}

#[tokio::test]
async fn an_admin_whose_roles_cannot_be_read_converts_oscar() {
    use rehome_core::profile::{Capability, RolesSource};
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.control().set_group_membership_claims("None");
    let (service, profile) = signed_in(&sandbox, ANNA).await;
    assert_eq!(profile.roles_from, RolesSource::Unknown);
    assert!(profile.capabilities.contains(&Capability::RolesUnknown));
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
    let oscar = plan(&sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let result = Conversions::default()
        .convert(
            &service.graph().await.unwrap(),
            &journal,
            &oscar,
            &ConversionContext::of(&profile, true),
            drop,
        )
        .await
        .unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
}

#[tokio::test]
async fn rehome_does_not_refuse_on_roles_microsoft_does_and_the_refusal_names_the_roles() {
    use rehome_core::journal::EntryKind;
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    // Cecilia is Helpdesk Administrator: Rehome advises, Microsoft refuses.
    let (service, profile) = signed_in(&sandbox, "cecilia.akesson@contoso-sample.se").await;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
    let context = ConversionContext::of(&profile, true);
    let graph = service.graph().await.unwrap();
    let oscar = plan(&sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let conversions = Conversions::default();
    let result = conversions.convert(&graph, &journal, &oscar, &context, drop).await.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Failed);
    assert_eq!(result.refusal, Some(Refusal::NotAllowedToInvite));
    assert_eq!(invitation_statuses(&sandbox), [403], "Microsoft decided");
    let mut carl = plan(
        &sandbox,
        "carl.magnusson@contoso-sample.se",
        "carl@magnusson-partners.example",
        false,
    );
    carl.kind = EntryKind::ResetRedemption;
    let (service, profile) = signed_in(&sandbox, "bjorn.oberg@contoso-sample.se").await;
    let context = ConversionContext::of(&profile, true);
    let result = conversions
        .convert(&service.graph().await.unwrap(), &journal, &carl, &context, drop)
        .await
        .unwrap();
    assert_eq!(result.refusal, Some(Refusal::NotAllowedToReset));
}

#[tokio::test]
async fn a_resend_whose_answer_is_lost_is_settled_by_the_state_change_time() {
    use rehome_core::journal::EntryKind;
    let s = setup().await;
    let mut carl = plan(
        &s.sandbox,
        "carl.magnusson@contoso-sample.se",
        "carl@magnusson-partners.example",
        false,
    );
    carl.kind = EntryKind::Resend;
    // Applied, answer lost: the state changed after Rehome began.
    s.sandbox.control().add_fault(
        FaultRule::new(Some("POST"), "/v1.0/invitations", Fault::DropAfterWrite).times(1),
    );
    let conversions = Conversions::default();
    let result = conversions.convert(&s.graph, &s.journal, &carl, &s.context, drop).await.unwrap();
    assert_eq!(result.outcome, EntryOutcome::Succeeded, "{:?}", result.error);
    assert!(result.confirmed_by_reading);

    // Not applied (Microsoft refused the admin), answer lost: the state is still set from the
    // earlier invitation, but it did not change – not reported as sent. (Graph's times are whole
    // seconds: the next second begins before this run does.)
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (service, profile) = signed_in(&s.sandbox, "cecilia.akesson@contoso-sample.se").await;
    s.sandbox.control().add_fault(
        FaultRule::new(Some("POST"), "/v1.0/invitations", Fault::DropAfterWrite).times(1),
    );
    let context = ConversionContext::of(&profile, true);
    let result = conversions
        .convert(&service.graph().await.unwrap(), &s.journal, &carl, &context, drop)
        .await
        .unwrap();
    assert_ne!(result.outcome, EntryOutcome::Succeeded);
    assert!(!result.invitation_sent);
    assert_eq!(invitation_statuses(&s.sandbox).len(), 2, "never sent again");
}

#[tokio::test]
async fn settling_an_entry_cut_short_after_the_email_was_set_says_so() {
    let s = setup().await;
    let astrid =
        plan(&s.sandbox, "astrid.berg@contoso-sample.se", "astrid.berg@northwind.example", true);
    // As if the app was killed between the PATCH and the invitation.
    let id = s.journal.begin(&intent_of(&astrid, &s.context)).unwrap();
    let path = format!("/users/{}", astrid.user_id);
    s.graph.write(reqwest::Method::PATCH, &path, &astrid.mail_patch(), drop).await.unwrap();
    let outcome = reconcile(&s.graph, &s.journal, id, &s.context.tenant.id).await.unwrap();
    assert_eq!(outcome, EntryOutcome::Failed);
    let error = s.journal.entry(id).unwrap().unwrap().error.unwrap();
    assert!(
        error.message.contains("email was changed to astrid.berg@northwind.example"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn only_a_failure_that_refused_nothing_is_worth_trying_again() {
    let s = setup().await;
    let outage = Fault::Unavailable { retry_after_secs: None };
    s.sandbox
        .control()
        .add_fault(FaultRule::new(Some("POST"), "/v1.0/invitations", outage).times(1));
    let oscar = plan(&s.sandbox, "oscar.ward@contoso-sample.se", "oscar.ward@fabrikam.com", false);
    let conversions = Conversions::default();
    let result = conversions.convert(&s.graph, &s.journal, &oscar, &s.context, drop).await.unwrap();
    assert_eq!(result.error.as_ref().unwrap().code, ErrorCode::ServiceUnavailable);
    assert!(result.can_try_again, "an outage refused nothing and sent nothing");
    let again = conversions.convert(&s.graph, &s.journal, &oscar, &s.context, drop).await.unwrap();
    assert_eq!(again.outcome, EntryOutcome::Succeeded);

    // A refusal is not tried again as it is.
    let ingrid =
        plan(&s.sandbox, "ingrid.falk@contoso-sample.se", "ingrid.falk@litware.example", false);
    let refused =
        conversions.convert(&s.graph, &s.journal, &ingrid, &s.context, drop).await.unwrap();
    assert_eq!(refused.outcome, EntryOutcome::Failed);
    assert!(!refused.can_try_again);
}
