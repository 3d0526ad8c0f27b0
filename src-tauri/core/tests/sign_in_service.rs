//! The app's signed-in state over real HTTP against the sample directory: each sign-in method
//! ends with the admin's profile read in one Graph round trip; resume, cancel and sign out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{browser, ANNA};
use rehome_core::{
    auth::{MemoryStore, SignInTarget, TokenStore},
    cloud::{Cloud, CloudId},
    permissions::{Feature, PermissionGap},
    profile::{AdminRole, Capability, RolesSource, SignInMethod},
    sign_in::{SignInPrompt, SignInService},
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};

const BJORN: &str = "bjorn.oberg@contoso-sample.se";
const ELIN: &str = "elin.holm@contoso-sample.se";

async fn sandbox(auto: Option<&str>) -> Sandbox {
    let config = SandboxConfig { auto_sign_in: auto.map(str::to_owned), ..Default::default() };
    Sandbox::start(config).await.unwrap()
}

fn target(sandbox: &Sandbox) -> SignInTarget {
    SignInTarget {
        cloud: Cloud::sample(sandbox.base_url()).unwrap(),
        tenant: "organizations".into(),
        client_id: SANDBOX_CLIENT_ID.into(),
    }
}

#[tokio::test]
async fn browser_sign_in_shows_the_admin_org_and_roles_from_one_graph_round_trip() {
    let sandbox = sandbox(Some(ANNA)).await;
    let store = Arc::new(MemoryStore::default());
    let service = SignInService::with_store(reqwest::Client::new(), store.clone());
    let mut prompts = Vec::new();
    let profile =
        service.with_browser(target(&sandbox), "sv", browser(), |p| prompts.push(p)).await.unwrap();
    assert!(
        matches!(&prompts[..], [SignInPrompt::Browser { opened: true, url }] if url.contains("code_challenge="))
    );
    assert_eq!(profile.admin.user_principal_name, ANNA);
    assert_eq!(profile.admin.display_name, "Anna Lindqvist");
    assert_eq!(profile.organisation.display_name, "Contoso (sample)");
    assert_eq!(profile.organisation.tenant_id, sandbox.control().tenant_id());
    assert_eq!(profile.organisation.default_domain.as_deref(), Some("contoso-sample.se"));
    assert_eq!((profile.cloud, profile.method), (CloudId::Sample, SignInMethod::Browser));
    assert_eq!(profile.roles, [AdminRole::UserAdministrator]);
    assert_eq!(profile.roles_from, RolesSource::SignIn, "the ID token's wids claim");
    assert_eq!(
        profile.capabilities,
        [Capability::ConvertUsers, Capability::ResendInvitations, Capability::ResetRedemption]
    );
    assert_eq!(profile.missing_permissions, Some(vec![]), "the recommended registration");
    let graph_trips: Vec<_> = sandbox
        .control()
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v1.0") && !r.in_batch)
        .collect();
    assert_eq!(graph_trips.len(), 1, "the profile is one $batch: {graph_trips:?}");
    assert_eq!(graph_trips[0].path, "/v1.0/$batch");
    assert_eq!(service.profile().await, Some(profile));
    assert_eq!(store.load().unwrap().unwrap().username, ANNA);

    service.sign_out().await.unwrap();
    assert_eq!(store.load().unwrap(), None);
    assert_eq!(service.profile().await, None);
    assert_eq!(service.graph().await.unwrap_err().code, ErrorCode::SessionExpired);
}

#[tokio::test]
async fn the_panel_reflects_each_admins_role_and_mailbox() {
    for (admin, capabilities) in [
        (BJORN, vec![Capability::ConvertMayBeRefused, Capability::ResendInvitations]),
        (
            ELIN,
            vec![
                Capability::ConvertUsers,
                Capability::ResendInvitations,
                Capability::ResetRedemption,
                Capability::PersonalMessageDropped,
            ],
        ),
    ] {
        let sandbox = sandbox(Some(admin)).await;
        let service =
            SignInService::with_store(reqwest::Client::new(), Arc::new(MemoryStore::default()));
        let profile = service.with_browser(target(&sandbox), "en", browser(), drop).await.unwrap();
        assert_eq!(profile.capabilities, capabilities, "{admin}");
    }
}

#[tokio::test]
async fn a_restart_resumes_silently_even_when_the_sample_directory_restarted_too() {
    // The practice directory signs with a key made per run; a restart that keeps it (as a test
    // can) accepts the earlier sign-in.
    let keyed = |auto: Option<&str>| SandboxConfig {
        auto_sign_in: auto.map(str::to_owned),
        signing_key: Some([3; 32]),
        ..Default::default()
    };
    let first = Sandbox::start(keyed(Some(ANNA))).await.unwrap();
    let store = Arc::new(MemoryStore::default());
    let service = SignInService::with_store(reqwest::Client::new(), store.clone());
    service.with_browser(target(&first), "en", browser(), drop).await.unwrap();
    first.stop().await;

    let second = Sandbox::start(keyed(None)).await.unwrap();
    let restarted = SignInService::with_store(reqwest::Client::new(), store.clone());
    let base = second.base_url().to_owned();
    let profile = restarted
        .resume(|cloud| async move {
            assert_eq!(cloud, CloudId::Sample);
            Cloud::sample(&base)
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.admin.user_principal_name, ANNA);

    // Nothing stored: nothing to resume, and no network call.
    let fresh = SignInService::with_store(reqwest::Client::new(), Arc::new(MemoryStore::default()));
    assert_eq!(fresh.resume(|_| async { unreachable!() }).await.unwrap(), None);
}

#[tokio::test]
async fn a_practice_sign_in_ends_quietly_when_the_new_practice_directory_does_not_know_it() {
    let first = sandbox(Some(ANNA)).await;
    let store = Arc::new(MemoryStore::default());
    let service = SignInService::with_store(reqwest::Client::new(), store.clone());
    service.with_browser(target(&first), "en", browser(), drop).await.unwrap();
    first.stop().await;
    // The app's next run starts a practice directory with a key of its own.
    let second = sandbox(None).await;
    let base = second.base_url().to_owned();
    let restarted = SignInService::with_store(reqwest::Client::new(), store.clone());
    let resumed = restarted.resume(|_| async move { Cloud::sample(&base) }).await;
    assert_eq!(resumed.unwrap(), None, "back to the start screen, no warning");
    assert_eq!(store.load().unwrap(), None, "and forgotten");
}

#[tokio::test]
async fn device_code_sign_in_and_cancel() {
    let sandbox = sandbox(None).await;
    sandbox.control().set_device_code_interval(1);
    let service = Arc::new(SignInService::with_store(
        reqwest::Client::new(),
        Arc::new(MemoryStore::default()),
    ));
    let control = sandbox.control().clone();
    let profile = service
        .with_device_code(target(&sandbox), |prompt| {
            let SignInPrompt::DeviceCode { user_code, verification_uri, expires_in_seconds } =
                prompt
            else {
                panic!("{prompt:?}")
            };
            assert!(verification_uri.ends_with("/devicelogin"));
            assert_eq!(expires_in_seconds, 900);
            assert!(control.approve_device_code(&user_code, BJORN));
        })
        .await
        .unwrap();
    assert_eq!(profile.method, SignInMethod::DeviceCode);
    assert_eq!(profile.roles, [AdminRole::GuestInviter]);

    // Cancelled once the code is on screen (the prompt arrived), not after a guessed delay.
    let (shown, on_screen) = tokio::sync::oneshot::channel();
    let waiting = {
        let service = service.clone();
        let target = target(&sandbox);
        let shown = std::sync::Mutex::new(Some(shown));
        tokio::spawn(async move {
            let prompt = move |_| {
                if let Some(shown) = shown.lock().unwrap().take() {
                    let _ = shown.send(());
                }
            };
            service.with_device_code(target, prompt).await
        })
    };
    on_screen.await.unwrap();
    service.cancel();
    assert_eq!(waiting.await.unwrap().unwrap_err().code, ErrorCode::SignInCancelled);
}

#[tokio::test]
async fn a_browser_sign_in_nobody_finishes_can_be_cancelled() {
    let sandbox = sandbox(None).await;
    let service = Arc::new(SignInService::with_store(
        reqwest::Client::new(),
        Arc::new(MemoryStore::default()),
    ));
    // Cancelled once the browser was asked to open, not after a guessed delay.
    let (opened, browser_asked) = tokio::sync::oneshot::channel();
    let waiting = {
        let service = service.clone();
        let target = target(&sandbox);
        let open = move |_: &str| {
            let _ = opened.send(());
            false
        };
        tokio::spawn(async move { service.with_browser(target, "en", open, drop).await })
    };
    browser_asked.await.unwrap();
    service.cancel();
    assert_eq!(waiting.await.unwrap().unwrap_err().code, ErrorCode::SignInCancelled);
}

#[tokio::test]
async fn a_throttled_batch_item_is_retried_and_a_malformed_answer_is_explained() {
    use rehome_sandbox::{Fault, FaultRule};
    let sandbox = sandbox(Some(ANNA)).await;
    sandbox.control().add_fault(
        FaultRule::new(
            Some("GET"),
            "/v1.0/organization",
            Fault::Throttle { retry_after_secs: 0.2 },
        )
        .times(1),
    );
    let service =
        SignInService::with_store(reqwest::Client::new(), Arc::new(MemoryStore::default()));
    let profile = service.with_browser(target(&sandbox), "en", browser(), drop).await.unwrap();
    assert_eq!(profile.roles, [AdminRole::UserAdministrator]);
    let batches = sandbox.control().requests().iter().filter(|r| r.path == "/v1.0/$batch").count();
    assert_eq!(batches, 2, "the throttled item alone was sent again");

    sandbox.control().add_fault(FaultRule::new(Some("POST"), "/$batch", Fault::MalformedBody));
    let error = service.with_browser(target(&sandbox), "en", browser(), drop).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::UnexpectedResponse, "{error:?}");
}

async fn sign_in_as(sandbox: &Sandbox) -> rehome_core::profile::Profile {
    let service =
        SignInService::with_store(reqwest::Client::new(), Arc::new(MemoryStore::default()));
    service.with_browser(target(sandbox), "en", browser(), drop).await.unwrap()
}

#[tokio::test]
async fn without_the_roles_claim_roles_come_from_the_directory_or_are_said_to_be_unknown() {
    let sandbox = sandbox(Some(ANNA)).await;
    sandbox.control().set_group_membership_claims("None");
    // Rehome's permissions do not read directory roles: Graph lists each role with its id only.
    let profile = sign_in_as(&sandbox).await;
    assert_eq!(profile.roles_from, RolesSource::Unknown);
    assert_eq!(profile.roles, []);
    assert_eq!(profile.capabilities, [Capability::RolesUnknown], "not 'no roles'");
    let roles_read: Vec<_> = sandbox
        .control()
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/transitiveMemberOf"))
        .collect();
    assert_eq!(roles_read.len(), 1, "one batch item: {roles_read:?}");

    // The Azure CLI's token, or an organisation that consented to reading roles: Graph can tell,
    // roles held through a role-assignable group included.
    let sandbox = self::sandbox(Some(ANNA)).await;
    sandbox.control().set_group_membership_claims("None");
    let graph = common::graph_with_scopes(
        &sandbox,
        ANNA,
        &["User.ReadWrite.All", "RoleManagement.Read.Directory"],
    );
    let facts = rehome_core::profile::SignInFacts::default();
    let profile =
        rehome_core::profile::load(&graph, CloudId::Sample, SignInMethod::AzureCli, facts)
            .await
            .unwrap();
    assert_eq!(
        (profile.roles_from, profile.roles),
        (RolesSource::Directory, vec![AdminRole::UserAdministrator])
    );
    assert_eq!(profile.missing_permissions, None, "the CLI does not say what it was granted");
}

#[tokio::test]
async fn permissions_the_organisation_did_not_consent_to_are_named_with_their_feature() {
    let sandbox = sandbox(Some(ANNA)).await;
    sandbox.control().withhold_consent("Domain.Read.All");
    sandbox.control().withhold_consent("OrgContact.Read.All");
    let profile = sign_in_as(&sandbox).await;
    assert_eq!(
        profile.missing_permissions.unwrap(),
        [
            PermissionGap {
                feature: Feature::CheckFederation,
                permission: "Domain.Read.All".into()
            },
            PermissionGap {
                feature: Feature::CheckContacts,
                permission: "OrgContact.Read.All".into()
            },
        ],
        "the sign-in still works: only the features that need them are affected"
    );
    let authorize =
        sandbox.control().requests().into_iter().find(|r| r.path.ends_with("/authorize")).unwrap();
    assert!(
        authorize.query.contains("User.Read%20") || authorize.query.contains("User.Read+"),
        "User.Read is asked for: {}",
        authorize.query
    );
}
