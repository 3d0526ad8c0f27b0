//! Contract tests of `POST /beta/users/{id}/convertExternalToInternalMemberUser` (DOMAIN.md §3.2):
//! who may call it, the body rules for cloud and synced users, the refusals, the answer, what
//! changes on the account, and the 412 when a converted account is invited again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const DORA: &str = "dora.lindberg@contoso-sample.se";
const FRIDA: &str = "frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com";
const SIGNE: &str = "signe.astrom@contoso-sample.se";
const MOA: &str = "moa.lindahl@contoso-sample.net";
const TUVA: &str = "tuva.nordin@contoso-sample.se";
const VIKTOR: &str = "viktor.sand@contoso-sample.net";
const PASSWORD: &str = "Zdi087#2jhkahf";

impl Env {
    async fn convert(&self, token: &str, upn: &str, body: Option<&Value>) -> Reply {
        let id = self.id_of(upn);
        let url = self.url(&format!("/beta/users/{id}/convertExternalToInternalMemberUser"));
        let mut request = self.http.post(url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }
}

fn cloud(upn: &str) -> Value {
    json!({
        "userPrincipalName": upn,
        "passwordProfile": { "password": PASSWORD, "forceChangePasswordNextSignIn": true },
    })
}

#[tokio::test]
async fn a_converted_member_who_accepted_becomes_an_internal_member_with_the_documented_answer() {
    let env = start().await;
    let before = env.sandbox.control().user(DORA).unwrap();
    assert_eq!(before["identities"][0]["issuer"], "ExternalAzureAD", "signs in externally");
    let mut body = cloud("dora.lindberg@contoso-sample.se");
    body["mail"] = json!("dora.lindberg@contoso-sample.com");
    let reply = env.convert(&env.admin(), DORA, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["userPrincipalName"], "dora.lindberg@contoso-sample.se");
    assert_eq!(reply.body["mail"], "dora.lindberg@contoso-sample.com");
    assert_eq!(reply.body["displayName"], "Dora Lindberg");
    let when = reply.body["convertedToInternalUserDateTime"].as_str().unwrap();
    assert_eq!(when.len(), "2024-02-05T20:16:37.5012924Z".len(), "{when}");
    assert!(reply.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/beta/$metadata#microsoft.graph.conversionUserDetails"));

    let after = env.sandbox.control().user(DORA).unwrap();
    assert_eq!(after["userType"], "Member");
    assert_eq!(
        after["identities"],
        json!([{ "signInType": "userPrincipalName", "issuer": "contoso-sample.se", "issuerAssignedId": "dora.lindberg@contoso-sample.se" }]),
        "signs in with the organisation now"
    );
    assert_eq!(after["externalUserState"], Value::Null);
    assert_eq!(after["proxyAddresses"][0], "SMTP:dora.lindberg@contoso-sample.com");

    // Converting again: the account is internal now.
    let again = env.convert(&env.admin(), DORA, Some(&cloud(DORA))).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        again.error_message(),
        "The user authentication is already internal and is not eligible for conversion."
    );
}

#[tokio::test]
async fn an_accepted_guest_gets_a_new_upn_in_a_managed_domain_and_the_documentation_string_flag() {
    let env = start().await;
    let body = json!({
        // The 2023 article's own spelling, and its `"true"` as a string.
        "userprincipalName": "frida.hansson@contoso-sample.se",
        "passwordProfile": { "password": "te$tPassw0rd", "forceChangePasswordNextSignIn": "true" },
        "@odata.type": "#microsoft.graph.convertExternalToInternalMemberUserPostRequestBody",
    });
    let reply = env.convert(&env.admin(), FRIDA, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let frida = env.sandbox.control().user("frida.hansson@contoso-sample.se").unwrap();
    assert_eq!(
        (frida["userType"].as_str(), frida["creationType"].as_str()),
        (Some("Member"), None)
    );
    assert_eq!(frida["mail"], "frida.hansson@woodgrove.example", "mail is kept when none is given");
}

#[tokio::test]
async fn the_body_rules_for_cloud_users_refuse_with_the_services_words() {
    let env = start().await;
    let admin = env.admin();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = cloud("dora.lindberg@contoso-sample.se");
        change(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "The provided UPN cannot be empty."),
        (with(&|b| b["userPrincipalName"] = json!("  ")), "The provided UPN cannot be empty."),
        (
            with(&|b| b["userPrincipalName"] = json!("dora@contoso-labs.se")),
            "The provided UPN does not have a valid domain.",
        ),
        (
            with(&|b| b["userPrincipalName"] = json!("dora@northwind.example")),
            "The provided UPN does not have a valid domain.",
        ),
        (
            with(&|b| b["userPrincipalName"] = json!("dora@contoso-sample.net")),
            "The provided UPN's domain is federated: a cloud user needs a UPN in a managed domain.",
        ),
        (
            with(&|b| b["userPrincipalName"] = json!("dora.@contoso-sample.se")),
            "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
        ),
        (
            with(&|b| b["userPrincipalName"] = json!("oscar.ward@contoso-sample.se")),
            "Another object with the same value for property userPrincipalName already exists.",
        ),
        (
            with(&|b| b.as_object_mut().unwrap().remove("passwordProfile").map(drop).unwrap_or(())),
            "A passwordProfile is required for users whose authentication is managed in the cloud.",
        ),
        (
            with(&|b| b["passwordProfile"]["password"] = json!("password")),
            "The provided password is not valid.",
        ),
        (
            with(&|b| b["passwordProfile"]["forceChangePasswordNextSignIn"] = json!("soon")),
            "Invalid value specified for property 'forceChangePasswordNextSignIn' of resource 'PasswordProfile'.",
        ),
        (with(&|b| b["mail"] = json!("")), "The mail provided cannot be empty."),
        (
            with(&|b| b["mail"] = json!("dora@fabrikam.com")),
            "The provided UPN does not have a valid domain.",
        ),
        (
            with(&|b| b["mail"] = json!("anna.lindqvist@contoso-sample.se")),
            "Another object with the same value for property proxyAddresses already exists.",
        ),
        (
            with(&|b| b["displayName"] = json!("Dora")),
            "The parameter 'displayName' in the request payload is not a valid parameter for the operation 'convertExternalToInternalMemberUser'.",
        ),
    ];
    for (body, message) in cases {
        let reply = env.convert(&admin, DORA, Some(&body)).await;
        assert_eq!(
            (reply.status, reply.error_message()),
            (StatusCode::BAD_REQUEST, message),
            "{body}"
        );
        assert!(reply.body["error"]["innerError"]["request-id"].is_string());
    }
    let not_json = env
        .send(
            env.http
                .post(env.url(&format!(
                    "/beta/users/{}/convertExternalToInternalMemberUser",
                    env.id_of(DORA)
                )))
                .bearer_auth(&admin)
                .header("Content-Type", "application/json")
                .body("{ not json"),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let dora = env.sandbox.control().user(DORA).unwrap();
    assert_eq!(dora["identities"][0]["issuer"], "ExternalAzureAD", "nothing changed");
}

#[tokio::test]
async fn a_synced_account_converts_only_with_an_empty_body() {
    let env = start().await;
    let admin = env.admin();
    for body in [
        json!({ "userPrincipalName": "signe.astrom@contoso-sample.se" }),
        json!({ "passwordProfile": { "password": PASSWORD } }),
        cloud("signe.astrom@contoso-sample.se"),
    ] {
        let reply = env.convert(&admin, SIGNE, Some(&body)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        // tests/fixtures/graph/convert_external_to_internal_synced_with_upn.error.json
        assert_eq!(reply.error_code(), "badRequest");
        assert_eq!(
            reply.error_message(),
            "For users synchronized from on-premises, userPrincipalName and passwordProfile must be empty"
        );
    }
    let mail =
        env.convert(&admin, SIGNE, Some(&json!({ "mail": "signe@contoso-sample.se" }))).await;
    assert_eq!(mail.status, StatusCode::BAD_REQUEST, "mail is mastered on-premises");

    // The documentation's synced example: no body at all.
    let reply = env.convert(&admin, SIGNE, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["userPrincipalName"], SIGNE, "the UPN stays what on-premises says");
    let signe = env.sandbox.control().user(SIGNE).unwrap();
    assert_eq!(signe["userType"], "Member", "the guest-like account is a member now");
    assert_eq!(signe["onPremisesSyncEnabled"], true);
    // And `{}` is the same as no body.
    let moa = env.convert(&admin, MOA, Some(&json!({}))).await;
    assert_eq!(moa.status, StatusCode::OK, "{}", moa.text);
}

#[tokio::test]
async fn internal_accounts_pending_invitations_and_role_holders_are_refused() {
    let env = start().await;
    let admin = env.admin();
    for upn in [
        "oscar.ward@contoso-sample.se",
        // Invited but not accepted: still signs in with the organisation (the sample's choice).
        "carl.magnusson@contoso-sample.se",
        "erik.jakobsson_woodgrove.example#EXT#@contososample.onmicrosoft.com",
    ] {
        let reply = env.convert(&admin, upn, Some(&cloud("someone.new@contoso-sample.se"))).await;
        assert_eq!(
            (reply.status, reply.error_message()),
            (
                StatusCode::BAD_REQUEST,
                "The user authentication is already internal and is not eligible for conversion."
            ),
            "{upn}"
        );
    }
    let tuva = env.convert(&admin, TUVA, Some(&cloud(TUVA))).await;
    assert_eq!(tuva.status, StatusCode::BAD_REQUEST);
    assert!(tuva.error_message().contains("holds a directory role"), "{}", tuva.text);
    // Viktor's UPN is in the federated domain: he must move to a managed one.
    let stays = env.convert(&admin, VIKTOR, Some(&cloud(VIKTOR))).await;
    assert_eq!(stays.status, StatusCode::BAD_REQUEST);
    let moved = env.convert(&admin, VIKTOR, Some(&cloud("viktor.sand@contoso-sample.se"))).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let unknown = env
        .send(
            env.http
                .post(env.url(
                    "/beta/users/00000000-0000-4000-8000-000000000000/convertExternalToInternalMemberUser",
                ))
                .bearer_auth(&admin)
                .json(&cloud("x@contoso-sample.se")),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_permission_and_the_role_are_both_needed() {
    let env = start().await;
    let body = cloud(DORA);
    // The least privileged permission is enough; User.Invite.All is not.
    let least = env.token(ANNA, &["User-ConvertToInternal.ReadWrite.All"]);
    let invite_only = env.token(ANNA, &["User.Invite.All", "User.Read"]);
    let denied = env.convert(&invite_only, DORA, Some(&body)).await;
    assert_eq!(
        (denied.status, denied.error_code()),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
    // Guest Inviter, Helpdesk Administrator, no role: not User Administrator.
    for admin in [BJORN, CECILIA, DAVID] {
        let reply = env.convert(&env.token(admin, APP_SCOPES), DORA, Some(&body)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{admin}");
        assert_eq!(reply.error_message(), "Insufficient privileges to complete the operation.");
    }
    // User Administrator through a role-assignable group counts.
    let ines = env.token(INES, &["User-ConvertToInternal.ReadWrite.All"]);
    assert_eq!(env.convert(&ines, DORA, Some(&body)).await.status, StatusCode::OK);
    assert_eq!(
        env.convert(&least, FRIDA, Some(&cloud("frida@contoso-sample.se"))).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_converted_account_invited_again_answers_412() {
    let env = start().await;
    let admin = env.admin();
    let reply = env.convert(&admin, DORA, Some(&cloud(DORA))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let dora = env.id_of(DORA);
    let by_id = json!({
        "invitedUserEmailAddress": "dora.lindberg@fabrikam.com",
        "inviteRedirectUrl": "https://myapps.microsoft.com",
        "sendInvitationMessage": false,
        "invitedUser": { "id": dora },
    });
    let again = env.graph_post(&admin, "/invitations", &by_id).await;
    assert_eq!(again.status, StatusCode::PRECONDITION_FAILED, "{}", again.text);
    // Inviting the same person by address finds the converted account too.
    let by_address = json!({
        "invitedUserEmailAddress": "dora.lindberg@fabrikam.com",
        "inviteRedirectUrl": "https://myapps.microsoft.com",
    });
    let new_guest = env.graph_post(&admin, "/invitations", &by_address).await;
    assert_eq!(new_guest.status, StatusCode::PRECONDITION_FAILED, "{}", new_guest.text);
    let user = env.sandbox.control().user(&dora).unwrap();
    assert_eq!(user["externalUserState"], Value::Null, "nothing changed");
}

#[tokio::test]
async fn a_directory_role_is_visible_in_the_users_transitive_memberships() {
    let env = start().await;
    let token = env.admin();
    let path =
        format!("/users/{}/transitiveMemberOf/microsoft.graph.directoryRole", env.id_of(TUVA));
    let roles = env.graph_get(&token, &path, &[("$count", "true")], true).await;
    assert_eq!(roles.status, StatusCode::OK, "{}", roles.text);
    assert_eq!(roles.body["@odata.count"], 1);
    // Without a role-reading permission only the type and id are there: a role, but which?
    assert_eq!(roles.body["value"][0]["@odata.type"], "#microsoft.graph.directoryRole");
    assert_eq!(roles.body["value"][0]["displayName"], Value::Null);
    let dora =
        format!("/users/{}/transitiveMemberOf/microsoft.graph.directoryRole", env.id_of(DORA));
    let none = env.graph_get(&token, &dora, &[("$count", "true")], true).await;
    assert_eq!(none.body["value"], json!([]));
    let without_header = env.graph_get(&token, &path, &[("$count", "true")], false).await;
    assert_eq!(without_header.status, StatusCode::BAD_REQUEST);
    let me_only = env.token(ANNA, &["User.Read"]);
    assert_eq!(env.graph_get(&me_only, &path, &[], false).await.status, StatusCode::FORBIDDEN);
}
