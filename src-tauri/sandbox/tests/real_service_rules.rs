//! Where the real service differs from a naive emulator (DOMAIN.md §11), over real HTTP:
//! limited role information, federation needing a role, address uniqueness across groups and
//! contacts, non-ASCII addresses, mail propagation, annotations, state times and inviters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use rehome_sandbox::SandboxConfig;
use reqwest::StatusCode;
use serde_json::{json, Value};

const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const REDIRECT: &str = "https://myapps.microsoft.com";

fn invitation(email: &str, id: Option<&str>) -> Value {
    let mut body = json!({ "invitedUserEmailAddress": email, "inviteRedirectUrl": REDIRECT });
    if let Some(id) = id {
        body["invitedUser"] = json!({ "id": id });
    }
    body
}

fn roles(reply: &Reply) -> Vec<&Value> {
    reply.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["@odata.type"] == "#microsoft.graph.directoryRole")
        .collect()
}

#[tokio::test]
async fn directory_roles_come_back_limited_without_a_permission_that_reads_roles() {
    let env = start().await;
    let user_read = env.token(ANNA, &["User.Read"]);
    for path in [
        "/me/memberOf",
        "/me/transitiveMemberOf",
        "/me/memberOf/microsoft.graph.directoryRole",
        "/me/transitiveMemberOf/microsoft.graph.directoryRole",
    ] {
        let reply = env.graph_get(&user_read, path, &[], false).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        let roles = roles(&reply);
        assert_eq!(roles.len(), 1, "{path}: {}", reply.text);
        let role = roles[0].as_object().unwrap();
        assert!(role["id"].is_string());
        for key in ["displayName", "description", "roleTemplateId", "deletedDateTime"] {
            assert!(role[key].is_null(), "{path}: {key} should be null: {role:?}");
        }
        if path.ends_with("directoryRole") {
            assert_eq!(roles.len(), reply.body["value"].as_array().unwrap().len(), "{path}");
        }
    }
    // Ines is in a role-assignable group: the untyped list has it (limited), the cast does not.
    let ines = env.token(INES, &["User.Read"]);
    let all = env.graph_get(&ines, "/me/memberOf", &[], false).await;
    assert_eq!(all.body["value"][0]["@odata.type"], "#microsoft.graph.group", "{}", all.text);
    assert!(all.body["value"][0]["displayName"].is_null(), "{}", all.text);
    for scope in ["RoleManagement.Read.Directory", "Directory.Read.All"] {
        let token = env.token(ANNA, &["User.Read", scope]);
        let reply = env.graph_get(&token, "/me/memberOf", &[], false).await;
        let roles = roles(&reply);
        assert_eq!(roles[0]["displayName"], "User Administrator", "{scope}");
        assert_eq!(roles[0]["roleTemplateId"], USER_ADMINISTRATOR, "{scope}");
    }
    // User.ReadWrite.All, User.Invite.All and Domain.Read.All do not read roles.
    let app = env.admin();
    let reply = env.graph_get(&app, "/me/memberOf", &[], false).await;
    assert!(roles(&reply)[0]["displayName"].is_null());
}

#[tokio::test]
async fn roles_through_a_role_assignable_group_are_only_transitive() {
    let env = start().await;
    let token = env.token(INES, &["User.Read", "RoleManagement.Read.Directory"]);
    let direct =
        env.graph_get(&token, "/me/memberOf/microsoft.graph.directoryRole", &[], false).await;
    assert_eq!(direct.body["value"], json!([]), "{}", direct.text);
    let transitive = env
        .graph_get(&token, "/me/transitiveMemberOf/microsoft.graph.directoryRole", &[], false)
        .await;
    let roles = roles(&transitive);
    assert_eq!(roles.len(), 1, "{}", transitive.text);
    assert_eq!(roles[0]["roleTemplateId"], USER_ADMINISTRATOR);
    // The untyped transitive list also names the group.
    let all = env.graph_get(&token, "/me/transitiveMemberOf", &[], false).await;
    assert!(all.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["@odata.type"] == "#microsoft.graph.group"));
    // The role works: Ines may change a user.
    let admin = env.token(INES, &["User.ReadWrite.All"]);
    let id = env.id_of("gustav.lind@contoso-sample.se");
    let reply = env.graph_patch(&admin, &format!("/users/{id}"), &json!({ "jobTitle": "x" })).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
}

#[tokio::test]
async fn transitive_member_of_takes_query_parameters_only_as_advanced_queries() {
    let env = start().await;
    let token = env.token(JONAS, &["User.Read", "Directory.Read.All"]);
    for query in [
        [("$select", "id,displayName")],
        [("$filter", "displayName eq 'Global Reader'")],
        [("$search", "\"displayName:user\"")],
    ] {
        let reply = env.graph_get(&token, "/me/transitiveMemberOf", &query, false).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (StatusCode::BAD_REQUEST, "Request_UnsupportedQuery"),
            "{query:?}: {}",
            reply.text
        );
        let reply = env.graph_get(&token, "/me/transitiveMemberOf", &query, true).await;
        assert_eq!(reply.status, StatusCode::OK, "{query:?}: {}", reply.text);
    }
    let filtered = env
        .graph_get(
            &token,
            "/me/transitiveMemberOf",
            &[("$filter", "displayName eq 'User Administrator'"), ("$count", "true")],
            true,
        )
        .await;
    assert_eq!(filtered.body["@odata.count"], 1, "{}", filtered.text);
    // $top alone needs no header, and pages with a nextLink.
    let first = env.graph_get(&token, "/me/transitiveMemberOf", &[("$top", "1")], false).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["value"].as_array().unwrap().len(), 1);
    let link = first.body["@odata.nextLink"].as_str().unwrap();
    let second = env.get_link(&token, link, false).await;
    assert_eq!(second.body["value"].as_array().unwrap().len(), 1, "{}", second.text);
    assert!(second.body.get("@odata.nextLink").is_none());
    let too_big = env.graph_get(&token, "/me/memberOf", &[("$top", "1000")], false).await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_federation_lookup_needs_a_role_as_well_as_the_scope() {
    let env = start().await;
    let path = "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation";
    let anna = env.graph_get(&env.admin(), path, &[], false).await;
    assert_eq!(
        (anna.status, anna.error_code(), anna.error_message()),
        (
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation."
        )
    );
    let jonas = env.graph_get(&env.token(JONAS, APP_SCOPES), path, &[], false).await;
    assert_eq!(jonas.status, StatusCode::OK, "{}", jonas.text);
    assert_eq!(jonas.body["value"].as_array().unwrap().len(), 2);
    let no_scope = env.graph_get(&env.token(JONAS, &["User.Read"]), path, &[], false).await;
    assert_eq!(no_scope.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn groups_and_contacts_hold_addresses_too() {
    let env = start().await;
    let token = env.token(ANNA, &["GroupMember.Read.All", "OrgContact.Read.All"]);
    let groups = env
        .graph_get(
            &token,
            "/groups",
            &[
                ("$filter", "mail eq 'nobody@x.example' or proxyAddresses/any(x:x eq 'SMTP:nora.vik@litware.example')"),
                ("$select", "id,displayName,mail,proxyAddresses"),
            ],
            false,
        )
        .await;
    assert_eq!(groups.status, StatusCode::OK, "{}", groups.text);
    let value = groups.body["value"].as_array().unwrap();
    assert_eq!(value.len(), 1, "{}", groups.text);
    assert_eq!(value[0]["displayName"], "Partner desk – Litware");
    assert_eq!(value[0].as_object().unwrap().len(), 4);
    let by_mail = env
        .graph_get(
            &token,
            "/groups",
            &[("$filter", "mail eq 'PartnerDesk@litware.example'")],
            false,
        )
        .await;
    assert_eq!(by_mail.body["value"].as_array().unwrap().len(), 1);
    let contacts = env
        .graph_get(
            &token,
            "/contacts",
            &[
                ("$filter", "proxyAddresses/any(x:x eq 'smtp:pontus.hallberg@proseware.example')"),
                ("$top", "5"),
            ],
            false,
        )
        .await;
    assert_eq!(contacts.status, StatusCode::OK, "{}", contacts.text);
    assert_eq!(contacts.body["value"][0]["mail"], "pontus.hallberg@proseware.example");
    // Without a permission that reads them: 403.
    let app = env.admin();
    let app_no_groups = env.token(ANNA, &["User.ReadWrite.All"]);
    for path in ["/groups", "/contacts"] {
        let reply = env.graph_get(&app_no_groups, path, &[], false).await;
        assert_eq!(
            (reply.status, reply.error_code()),
            (StatusCode::FORBIDDEN, "Authorization_RequestDenied"),
            "{path}"
        );
    }
    // In a batch as well.
    let batch = env
        .graph_post(
            &token,
            "/$batch",
            &json!({ "requests": [
                { "id": "g", "method": "GET", "url": "/groups?$filter=proxyAddresses/any(x:x eq 'smtp:partners@litware.example')" },
                { "id": "c", "method": "GET", "url": "/contacts?$filter=mail eq 'pontus.hallberg@proseware.example'" },
            ]}),
        )
        .await;
    for response in batch.body["responses"].as_array().unwrap() {
        assert_eq!(response["status"], 200, "{response}");
        assert_eq!(response["body"]["value"].as_array().unwrap().len(), 1, "{response}");
    }
    // PATCH of mail to an address a group or a contact holds: the service's refusal.
    for (upn, address) in [
        ("nora.vik@contoso-sample.se", "nora.vik@litware.example"),
        ("pontus.hallberg@contoso-sample.se", "Pontus.Hallberg@proseware.example"),
    ] {
        let id = env.id_of(upn);
        let reply =
            env.graph_patch(&app, &format!("/users/{id}"), &json!({ "mail": address })).await;
        assert_eq!(
            (reply.status, reply.error_code(), reply.error_message()),
            (
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                "Another object with the same value for property proxyAddresses already exists."
            ),
            "{upn}"
        );
    }
    // Inviting an address a group holds is refused as for an address another user holds.
    let reply =
        env.graph_post(&app, "/invitations", &invitation("partners@litware.example", None)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert!(reply.error_message().starts_with("Non-external user already exists"));
}

#[tokio::test]
async fn addresses_with_non_ascii_characters_are_refused() {
    let env = start().await;
    let app = env.admin();
    let id = env.id_of("gustav.lind@contoso-sample.se");
    for (body, property) in [
        (json!({ "mail": "gustav@lind-bygg.example" }), None),
        (json!({ "mail": "gösta@lind-bygg.example" }), Some("mail")),
        (json!({ "mail": "gustav@lindbyggé.example" }), Some("mail")),
        (json!({ "otherMails": ["g@x.example", "g@exämple.example"] }), Some("otherMails")),
    ] {
        let reply = env.graph_patch(&app, &format!("/users/{id}"), &body).await;
        match property {
            None => assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text),
            Some(property) => assert_eq!(
                (reply.status, reply.error_message()),
                (
                    StatusCode::BAD_REQUEST,
                    format!(
                        "Invalid value specified for property '{property}' of resource 'User'."
                    )
                    .as_str()
                ),
                "{body}"
            ),
        }
    }
    let reply = env.graph_post(&app, "/invitations", &invitation("jöns@example.com", None)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(env.sandbox.control().user(&id).unwrap()["mail"], "gustav@lind-bygg.example");
}

#[tokio::test]
async fn a_mail_just_set_reaches_the_invitation_service_after_the_delay() {
    let config = SandboxConfig::practice();
    assert_eq!(config.mail_propagation, Duration::from_secs(12));
    assert_eq!(SandboxConfig::default().mail_propagation, Duration::ZERO);
    let env = start_with(config).await;
    let app = env.admin();
    let id = env.id_of("karin.sjoberg@contoso-sample.se");
    let address = "karin@sjoberg-konsult.example";
    let patch = env.graph_patch(&app, &format!("/users/{id}"), &json!({ "mail": address })).await;
    assert_eq!(patch.status, StatusCode::NO_CONTENT, "{}", patch.text);
    // GET shows the new value at once; the invitation service still sees the old one.
    let user = env.graph_get(&app, &format!("/users/{id}"), &[("$select", "mail")], false).await;
    assert_eq!(user.body["mail"], address);
    let body = invitation(address, Some(&id));
    let refused = env.graph_post(&app, "/invitations", &body).await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (StatusCode::BAD_REQUEST, "BadRequest"),
        "{}",
        refused.text
    );
    assert!(refused.error_message().contains("doesn't match any emails on the user object"));
    assert!(env.sandbox.control().user(&id).unwrap()["externalUserState"].is_null(), "not applied");
    env.sandbox.control().advance_clock(Duration::from_secs(13));
    let accepted = env.graph_post(&app, "/invitations", &body).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.text);

    // The control panel sets the delay; zero means at once.
    env.sandbox.control().set_mail_propagation(Duration::ZERO);
    let id = env.id_of("gustav.lind@contoso-sample.se");
    let address = "gustav@lind-bygg.example";
    env.graph_patch(&app, &format!("/users/{id}"), &json!({ "mail": address })).await;
    let reply = env.graph_post(&app, "/invitations", &invitation(address, Some(&id))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

#[tokio::test]
async fn odata_annotations_in_bodies_are_accepted() {
    let env = start().await;
    let app = env.admin();
    let id = env.id_of("gustav.lind@contoso-sample.se");
    let patch = env
        .graph_patch(
            &app,
            &format!("/users/{id}"),
            &json!({ "@odata.type": "#microsoft.graph.user", "mail": "gustav@lind-bygg.example" }),
        )
        .await;
    assert_eq!(patch.status, StatusCode::NO_CONTENT, "{}", patch.text);
    let unknown =
        env.graph_patch(&app, &format!("/users/{id}"), &json!({ "favouriteColour": "blue" })).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let body = json!({
        "@odata.type": "#microsoft.graph.invitation",
        "invitedUserEmailAddress": "gustav@lind-bygg.example",
        "inviteRedirectUrl": REDIRECT,
        "invitedUser": { "@odata.type": "#microsoft.graph.user", "id": id },
        "invitedUserMessageInfo": { "@odata.type": "#microsoft.graph.invitedUserMessageInfo", "ccRecipients": [] },
    });
    let reply = env.graph_post(&app, "/invitations", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["invitedUser"]["id"], id.as_str());
}

#[tokio::test]
async fn resend_and_reset_move_the_state_time_and_refusals_change_nothing() {
    let env = start().await;
    let control = env.sandbox.control();
    control.advance_clock(Duration::from_secs(3600));
    let app = env.token(ANNA, &["User.Invite.All", "User.ReadWrite.All"]);
    // Resend to a pending converted member.
    let carl = env.id_of("carl.magnusson@contoso-sample.se");
    let before = control.user(&carl).unwrap()["externalUserStateChangeDateTime"].clone();
    let reply = env
        .graph_post(
            &app,
            "/invitations",
            &invitation("carl@magnusson-partners.example", Some(&carl)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let after = control.user(&carl).unwrap()["externalUserStateChangeDateTime"].clone();
    assert_ne!(before, after);
    assert!(after.as_str().unwrap() > before.as_str().unwrap(), "{before} → {after}");
    // Reset redemption of an accepted one.
    let dora = env.id_of("dora.lindberg@contoso-sample.se");
    let before = control.user(&dora).unwrap();
    let mut reset = invitation("dora.lindberg@fabrikam.com", Some(&dora));
    reset["resetRedemption"] = json!(true);
    let reply = env.graph_post(&app, "/invitations", &reset).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let after = control.user(&dora).unwrap();
    assert_eq!(after["externalUserState"], "PendingAcceptance");
    assert!(
        after["externalUserStateChangeDateTime"].as_str().unwrap()
            > before["externalUserStateChangeDateTime"].as_str().unwrap()
    );
    // A refused reset (address another object holds) changes nothing.
    let frida = env.id_of("frida.hansson_woodgrove.example#EXT#@contososample.onmicrosoft.com");
    let before = control.user(&frida).unwrap();
    let mut refused = invitation("yara.svensson@tailspin.example", Some(&frida));
    refused["resetRedemption"] = json!(true);
    let reply = env.graph_post(&app, "/invitations", &refused).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(control.user(&frida).unwrap(), before);
}

#[tokio::test]
async fn directory_writers_invite_and_resend_but_do_not_convert() {
    let env = start().await;
    let kim = env.token(KIM, &["User.Invite.All"]);
    let guest = env
        .graph_post(&kim, "/invitations", &invitation("new.partner@northwind.example", None))
        .await;
    assert_eq!(guest.status, StatusCode::CREATED, "{}", guest.text);
    let carl = env.id_of("carl.magnusson@contoso-sample.se");
    let resend = env
        .graph_post(
            &kim,
            "/invitations",
            &invitation("carl@magnusson-partners.example", Some(&carl)),
        )
        .await;
    assert_eq!(resend.status, StatusCode::CREATED, "{}", resend.text);
    let oscar = env.id_of("oscar.ward@contoso-sample.se");
    let convert = env
        .graph_post(&kim, "/invitations", &invitation("oscar.ward@fabrikam.com", Some(&oscar)))
        .await;
    assert_eq!(
        (convert.status, convert.error_code()),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
}
