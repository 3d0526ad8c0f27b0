//! Contract tests of $batch and of what the sandbox injects: throttling, outages, dropped
//! connections, malformed and slow bodies, latency; and the request counters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use rehome_sandbox::{Fault, FaultRule, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn by_id<'a>(reply: &'a Reply, id: &str) -> &'a Value {
    reply.body["responses"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()
}

#[tokio::test]
async fn a_batch_answers_every_item_by_id_in_one_round_trip() {
    let env = start().await;
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    let batch = json!({ "requests": [
        { "id": "user", "method": "GET", "url": format!("/users/{oscar}?$select=id,mail,onPremisesUserPrincipalName") },
        { "id": "licenses", "method": "GET", "url": format!("/users/{oscar}/licenseDetails") },
        { "id": "org", "method": "GET", "url": "/organization?$select=verifiedDomains" },
        { "id": "federation", "method": "GET", "url": "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation?$filter=domains/any(x:x/id eq 'fabrikam.com')" },
        { "id": "taken", "method": "GET", "url": "/users?$filter=mail eq 'oscar.ward@fabrikam.com'&$select=id", "headers": { "ConsistencyLevel": "eventual" } },
        { "id": "search", "method": "GET", "url": "/users?$search=\"displayName:oscar\"&$select=id" },
    ]});
    env.sandbox.control().clear_log();
    let reply = env.graph_post(&env.admin(), "/$batch", &batch).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let order: Vec<&str> = reply.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_ne!(
        order,
        ["user", "licenses", "org", "federation", "taken", "search"],
        "clients must correlate by id"
    );
    assert_eq!(by_id(&reply, "user")["body"]["mail"], "oscar.ward@fabrikam.com");
    assert_eq!(by_id(&reply, "licenses")["status"], 200);
    assert_eq!(
        by_id(&reply, "org")["body"]["value"][0]["verifiedDomains"].as_array().unwrap().len(),
        4
    );
    // A User Administrator may not read federations (DOMAIN.md §11.5): the item says so.
    assert_eq!(by_id(&reply, "federation")["status"], 403);
    assert_eq!(by_id(&reply, "taken")["body"]["value"].as_array().unwrap().len(), 1);
    let search = by_id(&reply, "search");
    assert_eq!(
        (search["status"].as_u64(), search["body"]["error"]["code"].as_str()),
        (Some(400), Some("Request_UnsupportedQuery")),
        "the header is per item"
    );
    assert!(by_id(&reply, "user")["headers"]["Content-Type"]
        .as_str()
        .unwrap()
        .starts_with("application/json"));
    // One round trip; six requests in it.
    let control = env.sandbox.control();
    assert_eq!(control.round_trips(), 1);
    assert_eq!(control.requests().iter().filter(|r| r.in_batch).count(), 6);
    assert!(control.requests().iter().all(|r| r.client == rehome_sandbox::SANDBOX_CLIENT_ID));
}

#[tokio::test]
async fn batch_limits_unique_ids_and_depends_on() {
    let env = start().await;
    let token = env.admin();
    let many: Vec<Value> =
        (0..21).map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/me" })).collect();
    let too_many = env.graph_post(&token, "/$batch", &json!({ "requests": many })).await;
    assert_eq!((too_many.status, too_many.error_code()), (StatusCode::BAD_REQUEST, "BadRequest"));
    let twenty: Vec<Value> =
        (0..20).map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/me" })).collect();
    assert_eq!(
        env.graph_post(&token, "/$batch", &json!({ "requests": twenty })).await.status,
        StatusCode::OK
    );
    let duplicate = json!({ "requests": [{ "id": "a", "method": "GET", "url": "/me" }, { "id": "A", "method": "GET", "url": "/me" }] });
    assert_eq!(env.graph_post(&token, "/$batch", &duplicate).await.status, StatusCode::BAD_REQUEST);
    let chained = json!({ "requests": [
        { "id": "3", "method": "GET", "url": "/me", "dependsOn": ["2"] },
        { "id": "1", "method": "GET", "url": "/users/00000000-0000-4000-8000-000000000000" },
        { "id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"] },
    ]});
    let reply = env.graph_post(&token, "/$batch", &chained).await;
    assert_eq!(by_id(&reply, "1")["status"], 404);
    assert_eq!(by_id(&reply, "2")["status"], 424);
    assert_eq!(by_id(&reply, "3")["status"], 424);
    let body_without_type = json!({ "requests": [{ "id": "1", "method": "PATCH", "url": "/me", "body": { "jobTitle": "x" } }] });
    assert_eq!(
        by_id(&env.graph_post(&token, "/$batch", &body_without_type).await, "1")["status"],
        400
    );
    assert_eq!(
        env.graph_post(&token, "/$batch", &json!({ "nope": [] })).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_throttled_batch_item_gets_its_own_429_and_retry_after() {
    let env = start().await;
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    env.sandbox.control().add_fault(
        FaultRule::new(Some("GET"), "/licenseDetails", Fault::Throttle { retry_after_secs: 2.128 })
            .times(1),
    );
    let batch = json!({ "requests": [
        { "id": "user", "method": "GET", "url": format!("/users/{oscar}") },
        { "id": "licenses", "method": "GET", "url": format!("/users/{oscar}/licenseDetails") },
    ]});
    let reply = env.graph_post(&env.admin(), "/$batch", &batch).await;
    assert_eq!(reply.status, StatusCode::OK);
    let throttled = by_id(&reply, "licenses");
    assert_eq!(
        (throttled["status"].as_u64(), throttled["headers"]["Retry-After"].as_str()),
        (Some(429), Some("2.128"))
    );
    assert_eq!(throttled["body"]["error"]["code"], "TooManyRequests");
    assert_eq!(by_id(&reply, "user")["status"], 200);
    // Only once: the retry succeeds.
    assert_eq!(
        by_id(&env.graph_post(&env.admin(), "/$batch", &batch).await, "licenses")["status"],
        200
    );
}

#[tokio::test]
async fn throttling_and_outages_of_whole_requests() {
    let env = start().await;
    let control = env.sandbox.control();
    control.add_fault(
        FaultRule::new(None, "/v1.0/users", Fault::Throttle { retry_after_secs: 3.0 }).times(1),
    );
    let throttled = env.graph_get(&env.admin(), "/users", &[], false).await;
    assert_eq!(
        (throttled.status, throttled.headers["retry-after"].to_str().unwrap()),
        (StatusCode::TOO_MANY_REQUESTS, "3")
    );
    assert_eq!(throttled.body["error"]["innerError"]["status"], "429");
    assert_eq!(env.graph_get(&env.admin(), "/users", &[], false).await.status, StatusCode::OK);
    control.add_fault(
        FaultRule::new(None, "/v1.0/me", Fault::Unavailable { retry_after_secs: Some(5) }).times(2),
    );
    for _ in 0..2 {
        let reply = env.graph_get(&env.admin(), "/me", &[], false).await;
        assert_eq!(
            (reply.status, reply.headers["retry-after"].to_str().unwrap()),
            (StatusCode::SERVICE_UNAVAILABLE, "5")
        );
    }
    assert_eq!(env.graph_get(&env.admin(), "/me", &[], false).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_dropped_connection_after_the_write_still_applied_it() {
    let env = start().await;
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    env.sandbox.control().add_fault(
        FaultRule::new(Some("POST"), "/v1.0/invitations", Fault::DropAfterWrite).times(1),
    );
    let body = json!({ "invitedUserEmailAddress": "oscar.ward@fabrikam.com", "inviteRedirectUrl": "https://myapps.microsoft.com", "invitedUser": { "id": oscar } });
    let sent = env
        .http
        .post(env.url("/v1.0/invitations"))
        .bearer_auth(env.admin())
        .json(&body)
        .send()
        .await;
    let outcome = match sent {
        Err(error) => Err(error),
        Ok(response) => response.text().await.map(|_| ()),
    };
    assert!(outcome.is_err(), "the client must see a broken connection");
    // What a careful client does next: read the user to learn whether it happened.
    assert_eq!(
        env.sandbox.control().user(&oscar).unwrap()["externalUserState"],
        "PendingAcceptance"
    );
}

#[tokio::test]
async fn malformed_and_slow_bodies() {
    let env = start().await;
    let control = env.sandbox.control();
    control.add_fault(FaultRule::new(Some("GET"), "/v1.0/users", Fault::MalformedBody).times(1));
    let malformed = env.graph_get(&env.admin(), "/users", &[], false).await;
    assert_eq!(malformed.status, StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&malformed.text).is_err(), "{}", malformed.text);

    control.add_fault(
        FaultRule::new(
            Some("GET"),
            "/v1.0/me",
            Fault::SlowBody { delay: Duration::from_millis(300) },
        )
        .times(1),
    );
    let response = env.http.get(env.url("/v1.0/me")).bearer_auth(env.admin()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the head arrives first");
    let started = Instant::now();
    let body: Value = response.json().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250), "the body was held back");
    assert_eq!(body["userPrincipalName"], ANNA);
}

#[tokio::test]
async fn configured_latency_is_added_to_every_round_trip() {
    let env = start_with(SandboxConfig { latency_ms: 150, ..Default::default() }).await;
    let token = env.admin();
    let started = Instant::now();
    env.graph_get(&token, "/me", &[], false).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    env.sandbox.control().set_latency(Duration::ZERO, Duration::ZERO);
    let log = env.sandbox.control().requests();
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str(), log[0].status),
        ("GET", "/v1.0/me", 200)
    );
}

#[tokio::test]
async fn request_ids_are_echoed_and_client_request_ids_kept() {
    let env = start().await;
    let reply = env
        .send(
            env.http
                .get(env.url("/v1.0/me"))
                .bearer_auth(env.admin())
                .header("client-request-id", "my-trace-1"),
        )
        .await;
    assert_eq!(reply.headers["client-request-id"], "my-trace-1");
    assert_eq!(reply.headers["request-id"].to_str().unwrap().len(), 36);
    let unknown = env.graph_get(&env.admin(), "/shoes", &[], false).await;
    assert_eq!(
        (unknown.status, unknown.error_message()),
        (StatusCode::BAD_REQUEST, "Resource not found for the segment 'shoes'.")
    );
}
