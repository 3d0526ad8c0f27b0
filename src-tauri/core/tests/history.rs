//! History against the sample directory: redemption read twenty users to a round trip, and a
//! redemption accepted in the directory shows as Accepted after a refresh.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{signed_in, ANNA};
use rehome_core::history::refresh;
use rehome_sandbox::{Sandbox, SandboxConfig};

#[tokio::test]
async fn forty_five_users_are_refreshed_in_three_round_trips() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, _) = signed_in(&sandbox, ANNA).await;
    let graph = service.graph().await.unwrap();
    let page = graph.get("/users?$select=id&$top=45").await.unwrap();
    let mut ids: Vec<String> = page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 45);
    ids.push(ids[0].to_uppercase()); // the same user twice is read once
    sandbox.control().clear_log();
    let found = refresh(&graph, &ids).await.unwrap();
    assert_eq!(found.len(), 45);
    assert_eq!(sandbox.control().round_trips(), 3, "batches of 20, 20 and 5");
    assert!(found.iter().all(|r| r.error.is_none()));
}

#[tokio::test]
async fn an_accepted_invitation_shows_as_accepted_after_a_refresh() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (service, _) = signed_in(&sandbox, ANNA).await;
    let graph = service.graph().await.unwrap();
    let carl = sandbox.control().user_id("carl.magnusson@contoso-sample.se").unwrap();
    let gone = "00000000-0000-4000-8000-00000000dead".to_owned();
    let before = refresh(&graph, &[carl.clone(), gone]).await.unwrap();
    assert_eq!(before[0].state.as_deref(), Some("PendingAcceptance"));
    assert!(before[1].error.is_some(), "a deleted user says so, the rest still reads");

    assert!(sandbox.control().accept_invitation(&carl));
    let after = refresh(&graph, &[carl]).await.unwrap();
    assert_eq!(after[0].state.as_deref(), Some("Accepted"));
    assert!(after[0].changed_at.is_some());
    assert_eq!(after[0].signs_in_with.as_deref(), Some("ExternalAzureAD"));
}
