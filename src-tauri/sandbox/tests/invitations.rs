//! Contract tests of POST /invitations: conversion, resend, reset, new guests, redemption.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const REDIRECT: &str = "https://myapps.microsoft.com/?tenantId=contoso-sample.se";

fn conversion(id: &str, email: &str) -> Value {
    json!({
        "invitedUserEmailAddress": email,
        "sendInvitationMessage": true,
        "invitedUserMessageInfo": { "messageLanguage": "sv-SE", "customizedMessageBody": "Hej!", "ccRecipients": [] },
        "inviteRedirectUrl": REDIRECT,
        "invitedUser": { "id": id },
    })
}

#[tokio::test]
async fn converting_a_ready_internal_user_answers_201_and_marks_the_user_pending() {
    let env = start().await;
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    let reply = env
        .graph_post(&env.admin(), "/invitations", &conversion(&oscar, "Oscar.Ward@fabrikam.com"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let body = &reply.body;
    assert_eq!(
        body["invitedUser"],
        json!({ "id": oscar, "userPrincipalName": "oscar.ward@contoso-sample.se" })
    );
    assert_eq!(
        (body["status"].as_str(), body["invitedUserType"].as_str()),
        (Some("PendingAcceptance"), Some("Member"))
    );
    assert_eq!(
        (body["sendInvitationMessage"].as_bool(), body["resetRedemption"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(body["invitedUserMessageInfo"]["customizedMessageBody"], "Hej!");
    assert_eq!(
        body["invitedUserMessageInfo"]["ccRecipients"],
        json!([{ "emailAddress": { "name": null, "address": null } }])
    );
    assert!(body["@odata.context"].as_str().unwrap().ends_with("$metadata#invitations/$entity"));
    let user = env.sandbox.control().user(&oscar).unwrap();
    assert_eq!(user["externalUserState"], "PendingAcceptance");
    assert!(user["externalUserStateChangeDateTime"].is_string());
    assert_eq!(
        (user["userType"].as_str(), user["userPrincipalName"].as_str()),
        (Some("Member"), Some("oscar.ward@contoso-sample.se"))
    );

    // The person opens the link: redeemed, identities switch to the external issuer.
    let link = body["inviteRedeemUrl"].as_str().unwrap();
    let page = env.send(env.http.get(link)).await;
    assert!(page.text.contains("Invitation accepted"));
    let user = env.sandbox.control().user(&oscar).unwrap();
    assert_eq!(user["externalUserState"], "Accepted");
    assert_eq!(user["identities"][0]["issuer"], "ExternalAzureAD");
    assert!(env.send(env.http.get(link)).await.text.contains("not valid any more"));
}

#[tokio::test]
async fn the_service_rules_for_conversion_with_its_real_messages() {
    let env = start().await;
    let token = env.admin();
    let cases = [
        ("ingrid.falk@contoso-sample.se", "ingrid.falk@litware.example", "Invalid request input."),
        ("karin.sjoberg@contoso-sample.se", "karin.sjoberg@contoso-sample.se", "User's email address cannot be in a verified domain. Please change the user's email to enable conversion to a B2B user."),
        ("lars.ek@contoso-sample.se", "lars.ek@contoso-sample.com", "User's email address cannot be in a verified domain."),
        ("astrid.berg@contoso-sample.se", "astrid.berg@northwind.example", "doesn't match any emails on the user object"),
        ("oscar.ward@contoso-sample.se", "someone.else@fabrikam.com", "doesn't match any emails on the user object"),
        ("xander.holmberg@contoso-sample.se", "xander@holmberg-consulting.example", "Non-external user already exists with the given mail address and can't be invited."),
        ("dora.lindberg@contoso-sample.se", "dora.lindberg@fabrikam.com", "The invited user already exists in the directory as objectID"),
    ];
    for (upn, email, message) in cases {
        let reply =
            env.graph_post(&token, "/invitations", &conversion(&env.id_of(upn), email)).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (StatusCode::BAD_REQUEST, "BadRequest"),
            "{upn}: {}",
            reply.text
        );
        assert!(reply.error_message().contains(message), "{upn}: {}", reply.error_message());
    }
    // Nothing changed for the refused ones.
    assert_eq!(
        env.sandbox.control().user("ingrid.falk@contoso-sample.se").unwrap()["externalUserState"],
        Value::Null
    );
    let unknown = env
        .graph_post(
            &token,
            "/invitations",
            &conversion("00000000-0000-4000-8000-000000000000", "a@b.example"),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.error_code()),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
}

#[tokio::test]
async fn request_validation_fields_addresses_and_one_cc() {
    let env = start().await;
    let token = env.admin();
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    let mut no_redirect = conversion(&oscar, "oscar.ward@fabrikam.com");
    no_redirect.as_object_mut().unwrap().remove("inviteRedirectUrl");
    assert!(env
        .graph_post(&token, "/invitations", &no_redirect)
        .await
        .error_message()
        .contains("inviteRedirectUrl"));
    let mut no_email = conversion(&oscar, "");
    no_email["invitedUserEmailAddress"] = Value::Null;
    assert!(env
        .graph_post(&token, "/invitations", &no_email)
        .await
        .error_message()
        .contains("invitedUserEmailAddress"));
    for bad in [
        "albin+contoso@forsberg.example",
        ".dot@first.example",
        "dash-@last.example",
        "no-at-sign.example",
        "a b@c.example",
        "x@nodot",
        "semi;colon@x.example",
    ] {
        let reply = env.graph_post(&token, "/invitations", &conversion(&oscar, bad)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad} was accepted");
        assert!(reply.error_message().contains("is not valid"), "{bad}: {}", reply.error_message());
    }
    let mut two_cc = conversion(&oscar, "oscar.ward@fabrikam.com");
    two_cc["invitedUserMessageInfo"]["ccRecipients"] = json!([{ "emailAddress": { "address": "a@x.example" } }, { "emailAddress": { "address": "b@x.example" } }]);
    assert!(env
        .graph_post(&token, "/invitations", &two_cc)
        .await
        .error_message()
        .contains("Only one"));
    let mut one_cc = conversion(&oscar, "oscar.ward@fabrikam.com");
    one_cc["invitedUserMessageInfo"]["ccRecipients"] =
        json!([{ "emailAddress": { "name": "Team", "address": "_team-lead_@x.example" } }]);
    let accepted = env.graph_post(&token, "/invitations", &one_cc).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.text);
    assert_eq!(
        accepted.body["invitedUserMessageInfo"]["ccRecipients"][0]["emailAddress"]["name"],
        "Team"
    );
    let garbage = env
        .send(
            env.http
                .post(env.url("/v1.0/invitations"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(garbage.error_code(), "BadRequest");
}

#[tokio::test]
async fn who_may_convert_resend_and_reset() {
    let env = start().await;
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    for (upn, scopes) in [
        (BJORN, APP_SCOPES),
        (DAVID, APP_SCOPES),
        (CECILIA, APP_SCOPES),
        (ANNA, &["User.Read.All"][..]),
    ] {
        let reply = env
            .graph_post(
                &env.token(upn, scopes),
                "/invitations",
                &conversion(&oscar, "oscar.ward@fabrikam.com"),
            )
            .await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (StatusCode::FORBIDDEN, "Authorization_RequestDenied"),
            "{upn}"
        );
    }
    // A Guest Inviter may resend to a pending user, but a Helpdesk Administrator may not.
    let carl = env.id_of("carl.magnusson@contoso-sample.se");
    let resend = env
        .graph_post(
            &env.token(BJORN, APP_SCOPES),
            "/invitations",
            &conversion(&carl, "carl@magnusson-partners.example"),
        )
        .await;
    assert_eq!(resend.status, StatusCode::CREATED, "{}", resend.text);
    assert_eq!(
        env.graph_post(
            &env.token(CECILIA, APP_SCOPES),
            "/invitations",
            &conversion(&carl, "carl@magnusson-partners.example")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Reset: Helpdesk Administrator with User.ReadWrite.All; not with User.Invite.All alone.
    let dora = env.id_of("dora.lindberg@contoso-sample.se");
    let mut reset = conversion(&dora, "dora@lindberg-design.example");
    reset["resetRedemption"] = json!(true);
    assert_eq!(
        env.graph_post(&env.token(CECILIA, &["User.Invite.All"]), "/invitations", &reset)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        env.graph_post(&env.token(BJORN, APP_SCOPES), "/invitations", &reset).await.status,
        StatusCode::FORBIDDEN
    );
    let done = env.graph_post(&env.token(CECILIA, APP_SCOPES), "/invitations", &reset).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["resetRedemption"], true);
    let user = env.sandbox.control().user(&dora).unwrap();
    assert_eq!(user["externalUserState"], "PendingAcceptance");
    assert_eq!(user["identities"][0]["signInType"], "userPrincipalName");
    let mut without_id = reset.clone();
    without_id.as_object_mut().unwrap().remove("invitedUser");
    assert!(env
        .graph_post(&env.admin(), "/invitations", &without_id)
        .await
        .error_message()
        .contains("requires invitedUser.id"));
}

#[tokio::test]
async fn new_guests_and_addresses_that_belong_to_members() {
    let env = start().await;
    let inviter = env.token(BJORN, APP_SCOPES);
    let guest = json!({ "invitedUserEmailAddress": "new.partner@wingtip.example", "inviteRedirectUrl": REDIRECT, "invitedUserDisplayName": "New Partner" });
    let created = env.graph_post(&inviter, "/invitations", &guest).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["invitedUserType"], "Guest");
    assert_eq!(
        created.body["invitedUser"]["userPrincipalName"],
        "new.partner_wingtip.example#EXT#@contososample.onmicrosoft.com"
    );
    assert_eq!(created.body["sendInvitationMessage"], false, "Graph's default");
    let again = env.graph_post(&inviter, "/invitations", &guest).await;
    assert_eq!(
        again.body["invitedUser"]["id"], created.body["invitedUser"]["id"],
        "a re-invite, not a second guest"
    );
    let member = json!({ "invitedUserEmailAddress": "oscar.ward@fabrikam.com", "inviteRedirectUrl": REDIRECT });
    assert_eq!(
        env.graph_post(&inviter, "/invitations", &member).await.error_message(),
        "Non-external user already exists with the given mail address and can't be invited."
    );
    assert_eq!(
        env.graph_post(&env.token(DAVID, APP_SCOPES), "/invitations", &guest).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn redemption_can_be_scheduled_and_invitations_cannot_be_listed() {
    let env = start().await;
    let control = env.sandbox.control();
    control.accept_invitations_after(Duration::from_secs(30));
    let henrik = env.id_of("henrik.dahl@contoso-sample.se");
    let reply = env
        .graph_post(
            &env.admin(),
            "/invitations",
            &conversion(&henrik, "henrik.dahl@litware.example"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(external_state(&env, &henrik).await, "PendingAcceptance");
    control.advance_clock(Duration::from_secs(31));
    assert_eq!(external_state(&env, &henrik).await, "Accepted");
    let list = env.graph_get(&env.admin(), "/invitations", &[], false).await;
    assert_eq!((list.status, list.error_code()), (StatusCode::NOT_FOUND, "UnknownError"));
    // The control panel can also redeem at once.
    let carl = env.id_of("carl.magnusson@contoso-sample.se");
    assert!(control.accept_invitation(&carl));
    assert_eq!(control.user(&carl).unwrap()["externalUserState"], "Accepted");
}

async fn external_state(env: &Env, id: &str) -> Value {
    let reply = env
        .graph_get(
            &env.admin(),
            &format!("/users/{id}"),
            &[("$select", "externalUserState")],
            false,
        )
        .await;
    reply.body["externalUserState"].clone()
}
