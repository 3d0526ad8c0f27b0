//! The sandbox's wire format against the documented samples in `tests/fixtures/graph/` (copied
//! from the project's spec, sources in its SOURCES.md): same property names, JSON types, nesting, `@odata.*` annotations and error
//! envelopes. Values differ (ids, hosts, dates); shapes must not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use common::*;
use rehome_sandbox::{Fault, FaultRule, SANDBOX_CLIENT_ID};
use serde_json::{json, Value};

fn sample(name: &str) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/graph");
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is in the repository: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every property of `expected` is in `actual` with the same JSON type (a null in the sample
/// allows any value), recursively; arrays compare their first elements. With `exact`, `actual`
/// has no property the sample lacks.
fn assert_shape(expected: &Value, actual: &Value, exact: bool, at: &str) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let here = format!("{at}.{key}");
                let Some(found) = a.get(key) else { panic!("{here} is missing; got {actual}") };
                assert_shape(value, found, exact, &here);
            }
            if exact {
                let extra: Vec<&String> = a.keys().filter(|k| !e.contains_key(*k)).collect();
                assert!(extra.is_empty(), "{at} has properties the sample does not: {extra:?}");
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(first), Some(found)) = (e.first(), a.first()) {
                assert_shape(first, found, exact, &format!("{at}[0]"));
            }
        }
        _ => assert_eq!(kind(expected), kind(actual), "{at}: sample {expected}, sandbox {actual}"),
    }
}

#[tokio::test]
async fn graph_error_envelopes() {
    let env = start().await;
    let token = env.admin();
    let search = env.graph_get(&token, "/users", &[("$search", "\"displayName:wa\"")], false).await;
    let expected = sample("graph_error_search_missing_consistencylevel.json");
    assert_shape(&expected, &search.body, true, "search");
    assert_eq!(search.body["error"]["message"], expected["error"]["message"]);
    assert_eq!(search.body["error"]["code"], expected["error"]["code"]);

    let count = env.graph_get(&token, "/users/$count", &[], false).await;
    let expected = sample("graph_error_count_without_consistencylevel.json");
    assert_shape(&expected, &count.body, false, "count");
    assert_eq!(
        (&count.body["error"]["code"], &count.body["error"]["message"]),
        (&expected["error"]["code"], &expected["error"]["message"])
    );

    let advanced = env
        .graph_get(&token, "/users", &[("$filter", "endswith(mail,'@fabrikam.com')")], false)
        .await;
    let expected = sample("graph_error_advanced_query_params_missing.json");
    assert_shape(&expected, &advanced.body, false, "advanced");
    assert_eq!(advanced.body["error"]["code"], expected["error"]["code"]);

    assert_shape(&sample("graph_error_generic_shape.json"), &advanced.body, false, "generic");

    env.sandbox.control().add_fault(
        FaultRule::new(None, "/v1.0/me", Fault::Throttle { retry_after_secs: 2.128 }).times(1),
    );
    let throttled = env.graph_get(&token, "/me", &[], false).await;
    let expected = sample("graph_error_throttled_429.json");
    assert_shape(&expected, &throttled.body, true, "throttled");
    assert_eq!(throttled.body["error"]["code"], expected["error"]["code"]);
}

#[tokio::test]
async fn users_pages_single_users_and_licenses() {
    let env = start().await;
    let token = env.admin();
    let expected = sample("users_search_page.constructed.json");
    let select = "id,displayName,userPrincipalName,mail,otherMails,userType,onPremisesSyncEnabled,externalUserState";
    let page = env
        .graph_get(
            &token,
            "/users",
            &[
                ("$search", "\"displayName:wa\""),
                ("$count", "true"),
                ("$top", "1"),
                ("$select", select),
            ],
            true,
        )
        .await;
    assert_shape(&expected, &page.body, true, "search page");

    let expected = sample("users_search_displayname.response.json");
    let page = env
        .graph_get(
            &token,
            "/users",
            &[
                ("$search", "\"displayName:wa\" OR \"displayName:ad\""),
                ("$count", "true"),
                ("$select", "displayName,givenName,mail,userPrincipalName"),
            ],
            true,
        )
        .await;
    assert_shape(&expected, &page.body, false, "search displayName");

    let expected = sample("user_relevant_properties.constructed.json");
    let select = expected["@odata.context"]
        .as_str()
        .unwrap()
        .split("users(")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_owned();
    let user = env
        .graph_get(
            &token,
            &format!("/users/{}", env.id_of("oscar.ward@contoso-sample.se")),
            &[("$select", &select)],
            false,
        )
        .await;
    assert_shape(&expected, &user.body, true, "user");
    assert!(user.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with(&format!("users({select})/$entity")));

    let expected = sample("users_list_guest_identities.response.json");
    let guests = env
        .graph_get(
            &token,
            "/users",
            &[
                ("$select", "id,displayName,mail,identities"),
                ("$filter", "endsWith(userPrincipalName,'#EXT#@contososample.onmicrosoft.com')"),
                ("$count", "true"),
            ],
            true,
        )
        .await;
    assert!(guests.body["value"].as_array().unwrap().len() >= 3, "{}", guests.text);
    assert_shape(&expected, &guests.body, false, "guests");

    let expected = sample("license_details_list.response.json");
    let licenses = env
        .graph_get(
            &token,
            &format!("/users/{}/licenseDetails", env.id_of("tobias.larsson@contoso-sample.se")),
            &[],
            false,
        )
        .await;
    assert_shape(&expected, &licenses.body, true, "licenseDetails");

    let expected = sample("saml_wsfed_federations_list.response.json");
    let federations = env
        .graph_get(
            &env.token(JONAS, APP_SCOPES),
            "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation",
            &[],
            false,
        )
        .await;
    assert_shape(&expected, &federations.body, false, "federations");
}

#[tokio::test]
async fn invitations_and_reset_redemption() {
    let env = start().await;
    let token = env.admin();
    let mut request = sample("invitation_internal_user.request.json");
    request["invitedUserEmailAddress"] = json!("oscar.ward@fabrikam.com");
    request["invitedUser"]["id"] = json!(env.id_of("oscar.ward@contoso-sample.se"));
    request["inviteRedirectUrl"] =
        json!("https://myapps.microsoft.com/?tenantId=contoso-sample.se");
    request["invitedUserMessageInfo"]["ccRecipients"][0]["emailAddress"]["address"] =
        json!("partner-manager@contoso-sample.se");
    let created = env.graph_post(&token, "/invitations", &request).await;
    assert_eq!(created.status, reqwest::StatusCode::CREATED, "{}", created.text);
    assert_shape(&sample("invitation_guest.response.json"), &created.body, true, "invitation");

    let mut reset = sample("invitation_reset_redemption.request.json");
    reset["invitedUser"]["id"] = json!(env.id_of("dora.lindberg@contoso-sample.se"));
    reset["invitedUserEmailAddress"] = json!("dora@lindberg-design.example");
    let done = env.graph_post(&token, "/invitations", &reset).await;
    assert_eq!(done.status, reqwest::StatusCode::CREATED, "{}", done.text);
    assert_shape(&sample("invitation_reset_redemption.response.json"), &done.body, true, "reset");

    let mut with_message = sample("invitation_reset_redemption_with_message.request.json");
    with_message["invitedUser"]["id"] =
        json!(env.id_of("frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com"));
    with_message["invitedUserEmailAddress"] = json!("frida@hansson-consulting.example");
    with_message["invitedUserMessageInfo"]["ccRecipients"][0]["emailAddress"]["address"] =
        json!("partner-manager@contoso-sample.se");
    let done = env.graph_post(&token, "/invitations", &with_message).await;
    assert_eq!(done.status, reqwest::StatusCode::CREATED, "{}", done.text);
    assert_shape(
        &sample("invitation_reset_redemption.response.json"),
        &done.body,
        true,
        "reset with message",
    );
}

#[tokio::test]
async fn batch_envelope() {
    let env = start().await;
    let batch = json!({ "requests": [
        { "id": "1", "method": "GET", "url": "/me/memberOf?$top=1" },
        { "id": "2", "method": "GET", "url": "/users?$select=id,displayName,userPrincipalName&$top=1&$count=true", "headers": { "ConsistencyLevel": "eventual" } },
    ]});
    // A token that reads roles, so memberOf returns them in full as in the sample.
    let token = env.token(ANNA, &["User.ReadWrite.All", "RoleManagement.Read.Directory"]);
    let reply = env.graph_post(&token, "/$batch", &batch).await;
    let expected = sample("batch.response.json");
    // The envelope exactly; the item bodies are checked against their own samples below.
    let mut skeleton = expected["responses"][0].clone();
    skeleton["headers"] = Value::Null;
    skeleton["body"] = Value::Null;
    assert_shape(&json!({ "responses": [skeleton] }), &reply.body, true, "batch");
    let memberships =
        reply.body["responses"].as_array().unwrap().iter().find(|r| r["id"] == "1").unwrap();
    assert_shape(
        &expected["responses"][0]["body"]["value"],
        &memberships["body"]["value"],
        true,
        "memberOf",
    );
    let users =
        reply.body["responses"].as_array().unwrap().iter().find(|r| r["id"] == "2").unwrap();
    assert_shape(
        &expected["responses"][4]["body"]["value"],
        &users["body"]["value"],
        true,
        "users in batch",
    );
    assert!(users["body"]["@odata.count"].is_number());
}

#[tokio::test]
async fn token_and_device_code_responses() {
    let env = start().await;
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    let verifier = "a-verifier-of-sufficient-length-for-pkce-0123456789abcdef";
    use base64::Engine;
    use sha2::Digest;
    let challenge =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier));
    let redirect = "http://localhost:40000/";
    let response = env
        .http
        .get(env.url("/organizations/oauth2/v2.0/authorize"))
        .query(&[
            ("client_id", SANDBOX_CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", "openid offline_access User.Read"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let tokens = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ],
        )
        .await;
    assert_shape(&sample("token_authcode_success.response.json"), &tokens.body, false, "token");
    let refreshed = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("grant_type", "refresh_token"),
                ("refresh_token", tokens.body["refresh_token"].as_str().unwrap()),
            ],
        )
        .await;
    assert_shape(
        &sample("token_devicecode_success.response.json"),
        &refreshed.body,
        false,
        "refreshed",
    );

    let device = env
        .form(
            "/organizations/oauth2/v2.0/devicecode",
            &[("client_id", SANDBOX_CLIENT_ID), ("scope", "User.Read")],
        )
        .await;
    assert_shape(&sample("devicecode.response.constructed.json"), &device.body, true, "devicecode");
    let poll = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", device.body["device_code"].as_str().unwrap()),
            ],
        )
        .await;
    assert_shape(
        &sample("devicecode_poll_pending.response.constructed.json"),
        &poll.body,
        false,
        "pending",
    );

    let invalid_scope = env
        .form(
            "/organizations/oauth2/v2.0/devicecode",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("scope", "https://example.contoso.com/activity.read"),
            ],
        )
        .await;
    let expected = sample("token_error_invalid_scope.response.json");
    assert_shape(&expected, &invalid_scope.body, true, "invalid scope");
    assert_eq!(invalid_scope.body["error_codes"], expected["error_codes"]);

    env.sandbox.control().set_public_client_flows(false);
    let blocked_device = env
        .form(
            "/organizations/oauth2/v2.0/devicecode",
            &[("client_id", SANDBOX_CLIENT_ID), ("scope", "User.Read")],
        )
        .await;
    let blocked = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", blocked_device.body["device_code"].as_str().unwrap()),
            ],
        )
        .await;
    let expected = sample("token_error_public_client_flows_disabled.response.json");
    assert_shape(&expected, &blocked.body, false, "public client flows");
    assert_eq!(
        (&blocked.body["error"], &blocked.body["error_codes"]),
        (&expected["error"], &expected["error_codes"])
    );
}

#[tokio::test]
async fn conversion_to_internal_request_answer_and_synced_refusal() {
    let env = start().await;
    let admin = env.admin();
    let post = |id: String, body: Value| {
        let url = env.url(&format!("/beta/users/{id}/convertExternalToInternalMemberUser"));
        env.send(env.http.post(url).bearer_auth(admin.clone()).json(&body))
    };
    // The documented body (its UPN and mail in the sample's domains), and the documented answer.
    let mut body = sample("convert_external_to_internal_cloud_user.request.json");
    body["userPrincipalName"] = json!("dora.lindberg@contoso-sample.se");
    let reply = post(env.id_of("dora.lindberg@contoso-sample.se"), body).await;
    assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.text);
    let expected = sample("convert_external_to_internal.response.json");
    assert_shape(&expected, &reply.body, true, "conversionUserDetails");

    let synced = post(
        env.id_of("signe.astrom@contoso-sample.se"),
        json!({ "userPrincipalName": "signe@contoso-sample.se" }),
    )
    .await;
    let expected = sample("convert_external_to_internal_synced_with_upn.error.json");
    assert_shape(&expected, &synced.body, false, "synced refusal");
    assert_eq!(synced.body["error"]["code"], expected["error"]["code"]);
    assert_eq!(synced.body["error"]["message"], expected["error"]["message"]);
}
