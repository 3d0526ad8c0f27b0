//! Sign-in with a code on another device, against the sample directory over real HTTP. The
//! test plays the person at the other device through the sandbox's control panel.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use rehome_core::{
    auth::{default_scopes, OAuthClient, SignInTarget},
    cloud::Cloud,
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};

const ANNA: &str = "anna.lindqvist@contoso-sample.se";

async fn setup() -> (Sandbox, OAuthClient, Vec<String>) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sandbox.control().set_device_code_interval(1);
    let cloud = Cloud::sample(sandbox.base_url()).unwrap();
    let scopes = default_scopes(&cloud);
    let target =
        SignInTarget { cloud, tenant: "organizations".into(), client_id: SANDBOX_CLIENT_ID.into() };
    (sandbox, OAuthClient::new(reqwest::Client::new(), target), scopes)
}

fn device_polls(sandbox: &Sandbox) -> usize {
    sandbox.control().requests().iter().filter(|r| r.path.ends_with("/token")).count()
}

#[tokio::test]
async fn waits_while_pending_then_gets_tokens_when_approved() {
    let (sandbox, client, scopes) = setup().await;
    let code = client.begin_device_code(&scopes).await.unwrap();
    assert_eq!(code.verification_uri, format!("{}/devicelogin", sandbox.base_url()));
    assert!(code.message.contains(&code.user_code));
    let approve = async {
        // Let at least one poll come back pending first.
        while device_polls(&sandbox) < 1 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(sandbox.control().approve_device_code(&code.user_code, ANNA));
    };
    let (tokens, ()) =
        tokio::join!(client.finish_device_code(&code, std::future::pending()), approve);
    let tokens = tokens.unwrap();
    assert_eq!(tokens.account.unwrap().username, ANNA);
    assert!(tokens.refresh_token.is_some());
    // It polled at the service's pace: never fast enough to be told to slow down.
    let statuses: Vec<u16> = sandbox
        .control()
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/token"))
        .map(|r| r.status)
        .collect();
    assert!(statuses.len() >= 2 && statuses.ends_with(&[200]), "{statuses:?}");
}

#[tokio::test]
async fn declined_on_the_other_device_ends_as_cancelled() {
    let (sandbox, client, scopes) = setup().await;
    let code = client.begin_device_code(&scopes).await.unwrap();
    assert!(sandbox.control().decline_device_code(&code.user_code));
    let error = client.finish_device_code(&code, std::future::pending()).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInCancelled);
}

#[tokio::test]
async fn an_expired_code_ends_as_timed_out() {
    let (sandbox, client, scopes) = setup().await;
    let code = client.begin_device_code(&scopes).await.unwrap();
    sandbox.control().advance_clock(Duration::from_secs(901));
    let error = client.finish_device_code(&code, std::future::pending()).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInTimedOut);
    assert_eq!(error.details.unwrap().service_code.as_deref(), Some("AADSTS70019"));
}

#[tokio::test]
async fn public_client_flows_off_is_explained_and_cancel_stops_polling() {
    let (sandbox, client, scopes) = setup().await;
    sandbox.control().set_public_client_flows(false);
    let code = client.begin_device_code(&scopes).await.unwrap();
    let error = client.finish_device_code(&code, std::future::pending()).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::PublicClientFlowsDisabled);

    sandbox.control().set_public_client_flows(true);
    let code = client.begin_device_code(&scopes).await.unwrap();
    let before = device_polls(&sandbox);
    let error = client.finish_device_code(&code, async {}).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInCancelled);
    assert_eq!(device_polls(&sandbox), before, "no poll after cancelling");
}
