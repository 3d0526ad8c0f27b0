//! Microsoft's limit on `/invitations` (150 requests per 5 s per tenant, all apps together) and
//! its abuse protection, as the sample directory enforces them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

fn conversion(id: &str, email: &str) -> serde_json::Value {
    json!({
        "invitedUserEmailAddress": email,
        "sendInvitationMessage": false,
        "inviteRedirectUrl": "https://myapps.microsoft.com/",
        "invitedUser": { "id": id },
    })
}

#[tokio::test]
async fn the_151st_request_in_five_seconds_is_throttled_whoever_sends_it() {
    let env = start().await;
    let control = env.sandbox.control();
    // Two apps' worth of requests (any request counts, a refused one too).
    let (anna, kim) = (env.admin(), env.token(KIM, APP_SCOPES));
    for n in 0..150 {
        let token = if n % 2 == 0 { &anna } else { &kim };
        let reply = env.graph_post(token, "/invitations", &json!({})).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "request {n}: {}", reply.text);
    }
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    let throttled =
        env.graph_post(&anna, "/invitations", &conversion(&oscar, "oscar.ward@fabrikam.com")).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "{}", throttled.text);
    assert_eq!(throttled.error_code(), "TooManyRequests");
    let wait: f64 = throttled.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1.0..=5.0).contains(&wait), "{wait}");
    assert!(control.user(&oscar).unwrap()["externalUserState"].is_null(), "nothing was done");

    // Retrying at once only waits longer: the throttled request counted too.
    control.advance_clock(Duration::from_secs_f64(wait - 0.5));
    let early =
        env.graph_post(&anna, "/invitations", &conversion(&oscar, "oscar.ward@fabrikam.com")).await;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);

    control.advance_clock(Duration::from_secs(5));
    let later =
        env.graph_post(&anna, "/invitations", &conversion(&oscar, "oscar.ward@fabrikam.com")).await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.text);
}

#[tokio::test]
async fn abuse_protection_blocks_every_invitation_once_it_struck() {
    let env = start().await;
    env.sandbox.control().block_invitations_after(Some(1));
    let (oscar, asa) =
        (env.id_of("oscar.ward@contoso-sample.se"), env.id_of("asa.odman@contoso-sample.se"));
    let first = env
        .graph_post(&env.admin(), "/invitations", &conversion(&oscar, "oscar.ward@fabrikam.com"))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    for _ in 0..2 {
        let blocked = env
            .graph_post(
                &env.admin(),
                "/invitations",
                &conversion(&asa, "asa.odman@lindgren-partner.example"),
            )
            .await;
        assert_eq!(blocked.status, StatusCode::FORBIDDEN);
        assert_eq!(
            blocked.error_message(),
            "Invitations are blocked for this directory due to suspicious activity. Please contact Microsoft support for help."
        );
    }
    assert!(env.sandbox.control().user(&asa).unwrap()["externalUserState"].is_null());
}
