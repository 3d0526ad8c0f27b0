//! Contract tests of the Graph user endpoints, over real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ROW: &str = "id,displayName,userPrincipalName,mail,otherMails,userType,onPremisesSyncEnabled,externalUserState";

fn names(reply: &Reply) -> Vec<String> {
    reply.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["displayName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_needs_the_consistency_level_header_with_the_exact_documented_error() {
    let env = start().await;
    let reply =
        env.graph_get(&env.admin(), "/users", &[("$search", "\"displayName:oscar\"")], false).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error_code(), "Request_UnsupportedQuery");
    assert_eq!(reply.error_message(), "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    let inner = &reply.body["error"]["innerError"];
    assert!(
        inner["request-id"].is_string()
            && inner["client-request-id"].is_string()
            && inner["date"].is_string()
    );
    assert_eq!(
        reply.headers["request-id"].to_str().unwrap(),
        inner["request-id"].as_str().unwrap()
    );
}

#[tokio::test]
async fn search_tokenises_display_names_and_matches_prefixes_elsewhere() {
    let env = start().await;
    let token = env.admin();
    let search = |q: &'static str| {
        let (env, token) = (&env, token.clone());
        async move {
            names(&env.graph_get(&token, "/users", &[("$search", q), ("$select", ROW)], true).await)
        }
    };
    assert_eq!(search("\"displayName:ward\"").await, vec!["Oscar Ward"]);
    assert_eq!(search("\"displayName:war osc\"").await, vec!["Oscar Ward"]);
    assert!(search("\"displayName:ar\"").await.is_empty(), "no infix matches");
    assert_eq!(search("\"mail:oscar.ward@\"").await, vec!["Oscar Ward"]);
    assert!(search("\"mail:fabrikam.com\"").await.is_empty(), "mail is a prefix match");
    assert_eq!(search("\"userPrincipalName:asa.od\"").await, vec!["Åsa Ödman"]);
    assert_eq!(search("\"displayName:ödman\"").await, vec!["Åsa Ödman"]);
    let either = search("\"displayName:oscar\" OR \"mail:henrik.dahl\"").await;
    assert_eq!(either.len(), 2, "{either:?}");
    assert!(search("(\"displayName:oscar\" AND \"mail:henrik\")").await.is_empty());
}

#[tokio::test]
async fn quotes_and_backslashes_in_a_search_are_escaped_with_a_backslash() {
    let env = start().await;
    let token = env.admin();
    let id = env.id_of(DAVID);
    let patched = env
        .graph_patch(
            &token,
            &format!("/users/{id}"),
            &json!({ "displayName": "David \"Dave\" Nilsson" }),
        )
        .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT, "{}", patched.text);
    let found =
        env.graph_get(&token, "/users", &[("$search", r#""displayName:\"dave\"""#)], true).await;
    assert_eq!(names(&found), vec!["David \"Dave\" Nilsson"]);
    let unquoted = env.graph_get(&token, "/users", &[("$search", "displayName:dave")], true).await;
    assert_eq!(unquoted.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn filters_and_the_advanced_ones_that_need_count_and_the_header() {
    let env = start().await;
    let token = env.admin();
    let filter = |f: String, eventual: bool, count: bool| {
        let (env, token) = (&env, token.clone());
        async move {
            let mut query = vec![("$filter", f.clone())];
            if count {
                query.push(("$count", "true".into()));
            }
            let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            env.graph_get(&token, "/users", &query, eventual).await
        }
    };
    assert_eq!(
        names(&filter("mail eq 'OSCAR.WARD@fabrikam.com'".into(), false, false).await),
        vec!["Oscar Ward"]
    );
    assert_eq!(
        names(&filter("startswith(displayName,'Åsa')".into(), false, false).await),
        vec!["Åsa Ödman"]
    );
    assert_eq!(
        names(
            &filter("otherMails/any(x:x eq 'yara.svensson@tailspin.example')".into(), false, false)
                .await
        ),
        vec!["Wilma Axelsson"]
    );
    assert_eq!(
        names(
            &filter(
                "proxyAddresses/any(x:x eq 'smtp:xander@holmberg-consulting.example')".into(),
                false,
                false
            )
            .await
        )
        .len(),
        2
    );
    let pending =
        names(&filter("externalUserState eq 'PendingAcceptance'".into(), false, false).await);
    assert_eq!(pending, vec!["Carl Magnusson", "Erik Jakobsson"]);
    assert_eq!(
        names(&filter(format!("userPrincipalName eq '{ANNA}'"), false, false).await),
        vec!["Anna Lindqvist"]
    );

    let advanced = filter("endswith(mail,'@fabrikam.com')".into(), false, false).await;
    assert_eq!(
        (advanced.status, advanced.error_code()),
        (StatusCode::BAD_REQUEST, "Request_UnsupportedQuery")
    );
    assert!(
        advanced.error_message().contains("$count=true")
            && advanced.error_message().contains("ConsistencyLevel:eventual")
    );
    let with_params = filter("endswith(mail,'@fabrikam.com')".into(), true, true).await;
    assert_eq!(with_params.body["@odata.count"], 2, "{}", with_params.text);
    assert_eq!(names(&with_params), vec!["Oscar Ward", "Dora Lindberg"]);
    let unknown = filter("department eq 'IT'".into(), false, false).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn select_replaces_the_default_property_set() {
    let env = start().await;
    let token = env.admin();
    let default = env.graph_get(&token, "/users", &[("$top", "1")], false).await;
    let mut keys: Vec<&String> = default.body["value"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "businessPhones",
            "displayName",
            "givenName",
            "id",
            "jobTitle",
            "mail",
            "mobilePhone",
            "officeLocation",
            "preferredLanguage",
            "surname",
            "userPrincipalName"
        ]
    );
    assert!(default.body["@odata.context"].as_str().unwrap().ends_with("/v1.0/$metadata#users"));
    let chosen = env
        .graph_get(
            &token,
            "/users",
            &[("$top", "1"), ("$select", "id,onPremisesUserPrincipalName")],
            false,
        )
        .await;
    assert_eq!(chosen.body["value"][0].as_object().unwrap().len(), 2);
    assert!(chosen.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("#users(id,onPremisesUserPrincipalName)"));
    let bad = env.graph_get(&token, "/users", &[("$select", "id,shoeSize")], false).await;
    assert_eq!(
        bad.error_message(),
        "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'."
    );
}

#[tokio::test]
async fn top_is_1_to_999_and_paging_follows_next_link_which_needs_the_header_again() {
    let env = start().await;
    let token = env.admin();
    for bad in ["0", "1000", "ten"] {
        let reply = env.graph_get(&token, "/users", &[("$top", bad)], false).await;
        assert_eq!(
            reply.error_message(),
            format!("Invalid page size specified: '{bad}'. Must be between 1 and 999 inclusive.")
        );
    }
    let query = [
        ("$search", "\"displayName:a\""),
        ("$count", "true"),
        ("$top", "10"),
        ("$select", ROW),
        ("$orderby", "displayName"),
    ];
    let first = env.graph_get(&token, "/users", &query, true).await;
    let total = first.body["@odata.count"].as_u64().unwrap();
    assert!(total > 30, "several pages of a realistic directory: {total}");
    let mut seen = names(&first);
    let mut link = first.body["@odata.nextLink"].as_str().unwrap().to_owned();
    assert!(link.contains("%24skiptoken=") || link.contains("$skiptoken="), "{link}");
    let without_header = env.get_link(&token, &link, false).await;
    assert_eq!(without_header.error_code(), "Request_UnsupportedQuery");
    loop {
        let page = env.get_link(&token, &link, true).await;
        assert!(page.body.get("@odata.count").is_none(), "count only on the first page");
        seen.extend(names(&page));
        match page.body["@odata.nextLink"].as_str() {
            Some(next) => link = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len() as u64, total);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(seen, sorted, "ordered by displayName across pages");
}

#[tokio::test]
async fn count_is_ignored_without_the_header_and_counting_endpoint_refuses() {
    let env = start().await;
    let token = env.admin();
    let ignored =
        env.graph_get(&token, "/users", &[("$count", "true"), ("$top", "5")], false).await;
    assert_eq!(ignored.status, StatusCode::OK);
    assert!(ignored.body.get("@odata.count").is_none());
    let refused = env.graph_get(&token, "/users/$count", &[], false).await;
    assert_eq!(
        (refused.error_code(), refused.error_message()),
        ("Request_BadRequest", "$count is not currently supported.")
    );
    let counted = env.graph_get(&token, "/users/$count", &[], true).await;
    assert!(counted.text.parse::<u32>().unwrap() >= 360);
    let sorted = env
        .graph_get(
            &token,
            "/users",
            &[("$filter", "accountEnabled eq false"), ("$orderby", "displayName")],
            false,
        )
        .await;
    assert_eq!(sorted.error_message(), "Sorting not supported for current query.");
}

#[tokio::test]
async fn one_user_by_id_or_upn_and_a_documented_404() {
    let env = start().await;
    let token = env.admin();
    let id = env.id_of("ingrid.falk@contoso-sample.se");
    let by_id = env
        .graph_get(
            &token,
            &format!("/users/{id}"),
            &[("$select", "id,onPremisesSyncEnabled,onPremisesUserPrincipalName")],
            false,
        )
        .await;
    assert_eq!(by_id.body["onPremisesSyncEnabled"], true);
    assert_eq!(by_id.body["onPremisesUserPrincipalName"], "ingrid.falk@corp.contoso-sample.se");
    assert!(by_id.body["@odata.context"].as_str().unwrap().ends_with("/$entity"));
    let by_upn = env.graph_get(&token, "/users/ingrid.falk@contoso-sample.se", &[], false).await;
    assert_eq!(by_upn.body["id"], id.as_str());
    let missing =
        env.graph_get(&token, "/users/00000000-0000-4000-8000-000000000000", &[], false).await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
}

#[tokio::test]
async fn patch_sets_mail_and_refuses_what_the_service_refuses() {
    let env = start().await;
    let token = env.admin();
    let gustav = env.id_of("gustav.lind@contoso-sample.se");
    let set = env
        .graph_patch(
            &token,
            &format!("/users/{gustav}"),
            &json!({ "mail": "gustav@lind-bygg.example", "userType": "Member" }),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    let user = env.sandbox.control().user(&gustav).unwrap();
    assert_eq!(user["mail"], "gustav@lind-bygg.example");
    assert!(user["proxyAddresses"]
        .as_array()
        .unwrap()
        .contains(&json!("SMTP:gustav@lind-bygg.example")));

    let cases = [
        ("henrik.dahl@contoso-sample.se", json!({ "mail": "h@x.example" }), "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration."),
        ("maria.persson@contoso-sample.se", json!({ "mail": "maria.persson@proseware.example" }), "Exchange admin center"),
        ("wilma.axelsson@contoso-sample.se", json!({ "mail": "yara.svensson@tailspin.example" }), "Another object with the same value for property proxyAddresses already exists."),
        ("astrid.berg@contoso-sample.se", json!({ "mail": "not an address" }), "Invalid value specified for property 'mail'"),
        ("astrid.berg@contoso-sample.se", json!({ "userType": "Robot" }), "Invalid value specified for property 'userType'"),
        ("astrid.berg@contoso-sample.se", json!({ "id": "new" }), "cannot be set"),
    ];
    for (upn, body, message) in cases {
        let reply = env.graph_patch(&token, &format!("/users/{}", env.id_of(upn)), &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{upn}: {}", reply.text);
        assert!(reply.error_message().contains(message), "{upn}: {}", reply.error_message());
    }
    // An E3 with its Exchange plan disabled is no mailbox: the change is allowed.
    let rut = env.id_of("rut.eriksson@contoso-sample.se");
    assert_eq!(
        env.graph_patch(
            &token,
            &format!("/users/{rut}"),
            &json!({ "mail": "rut@eriksson.example" })
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    // Only a User Administrator may change users; scope alone is not enough.
    let helpdesk = env.token(CECILIA, APP_SCOPES);
    assert_eq!(
        env.graph_patch(&helpdesk, &format!("/users/{gustav}"), &json!({ "jobTitle": "x" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let read_only = env.token(ANNA, &["User.Read.All"]);
    assert_eq!(
        env.graph_patch(&read_only, &format!("/users/{gustav}"), &json!({ "jobTitle": "x" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn license_details_show_service_plans_by_id() {
    let env = start().await;
    let token = env.admin();
    let plans = |upn: &'static str| {
        let (env, token) = (&env, token.clone());
        async move {
            let reply = env
                .graph_get(&token, &format!("/users/{}/licenseDetails", env.id_of(upn)), &[], false)
                .await;
            reply.body["value"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|l| l["servicePlans"].as_array().unwrap().clone())
                .collect::<Vec<Value>>()
        }
    };
    let nils = plans("nils.olsson@contoso-sample.se").await;
    assert_eq!(nils[0]["servicePlanId"], "9aaf7827-d63c-4b61-89c3-182f06f82e5c");
    let sara = plans("sara.johansson@contoso-sample.se").await;
    assert!(sara.iter().any(|p| p["servicePlanName"] == "EXCHANGE_S_FOUNDATION"));
    let rut = plans("rut.eriksson@contoso-sample.se").await;
    assert!(rut.iter().any(|p| p["servicePlanName"] == "EXCHANGE_S_ENTERPRISE"
        && p["provisioningStatus"] == "Disabled"));
    assert!(plans("gustav.lind@contoso-sample.se").await.is_empty());
}

#[tokio::test]
async fn me_member_of_organization_domains_and_federation() {
    let env = start().await;
    let token = env.admin();
    let me = env.graph_get(&token, "/me", &[("$select", "id,displayName,mail")], false).await;
    assert_eq!(
        (me.body["displayName"].as_str(), me.body["mail"].as_str()),
        (Some("Anna Lindqvist"), Some(ANNA))
    );
    let elin = env
        .graph_get(
            &env.token("elin.holm@contoso-sample.se", APP_SCOPES),
            "/me",
            &[("$select", "mail")],
            false,
        )
        .await;
    assert_eq!(elin.body["mail"], Value::Null, "an admin without a mailbox");

    let role_reader = env.token(ANNA, &["User.Read", "RoleManagement.Read.Directory"]);
    let roles = env.graph_get(&role_reader, "/me/memberOf", &[], false).await;
    assert_eq!(roles.body["value"][0]["@odata.type"], "#microsoft.graph.directoryRole");
    assert_eq!(roles.body["value"][0]["roleTemplateId"], "fe930be7-5e62-47db-91af-98c3a49a38b1");
    let none = env.graph_get(&env.token(DAVID, APP_SCOPES), "/me/memberOf", &[], false).await;
    assert_eq!(none.body["value"], json!([]));

    let org = env.graph_get(&token, "/organization", &[], false).await;
    let verified: Vec<&str> = org.body["value"][0]["verifiedDomains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        verified,
        [
            "contoso-sample.se",
            "contososample.onmicrosoft.com",
            "contoso-sample.com",
            "contoso-sample.net"
        ]
    );
    let types: Vec<&str> = org.body["value"][0]["verifiedDomains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Managed", "Managed", "Managed", "Federated"]);
    assert_eq!(org.body["value"][0]["onPremisesSyncEnabled"], true, "some users are synced");
    let domains = env.graph_get(&token, "/domains", &[], false).await;
    assert_eq!(domains.body["value"].as_array().unwrap().len(), 5, "the unverified domain too");
    let federated: Vec<&str> = domains.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["authenticationType"] == "Federated")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(federated, ["contoso-sample.net"]);
    let no_domain_scope = env.token(ANNA, &["User.ReadWrite.All"]);
    assert_eq!(
        env.graph_get(&no_domain_scope, "/domains", &[], false).await.status,
        StatusCode::FORBIDDEN
    );

    // Reading federations needs a role such as External Identity Provider Administrator.
    let token = env.token(JONAS, APP_SCOPES);
    let path = "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation";
    let all = env.graph_get(&token, path, &[], false).await;
    assert_eq!(all.body["value"].as_array().unwrap().len(), 2);
    let one = env
        .graph_get(
            &token,
            path,
            &[("$filter", "domains/any(x: x/id eq 'fjordpartners.no')")],
            false,
        )
        .await;
    assert_eq!(one.body["value"][0]["preferredAuthenticationProtocol"], "saml");
    let other = env
        .graph_get(&token, path, &[("$filter", "domains/any(x: x/id eq 'fabrikam.com')")], false)
        .await;
    assert_eq!(other.body["value"], json!([]));
    let refused = env.graph_get(&no_domain_scope, path, &[], false).await;
    assert_eq!(
        refused.error_code(),
        "Authorization_RequestDenied",
        "a check that needs Domain.Read.All can say why it could not run"
    );
}

#[tokio::test]
async fn the_directory_is_the_same_for_the_same_seed() {
    let (a, b) = (start().await, start().await);
    assert_eq!(a.sandbox.control().tenant_id(), b.sandbox.control().tenant_id());
    assert_eq!(a.id_of(ANNA), b.id_of(ANNA));
    let c = start_with(rehome_sandbox::SandboxConfig { seed: 7, ..Default::default() }).await;
    assert_ne!(a.id_of(ANNA), c.id_of(ANNA));
}
