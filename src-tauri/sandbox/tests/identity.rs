//! Contract tests of the identity platform endpoints, over real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use common::*;
use rehome_sandbox::{SandboxConfig, SANDBOX_CLIENT_ID};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox-test-verifier";
const REDIRECT: &str = "http://localhost:53117/";
const SCOPE: &str = "openid profile offline_access https://graph.microsoft.com/User.ReadWrite.All https://graph.microsoft.com/User.Invite.All";

fn challenge(verifier: &str) -> String {
    B64.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorize_query(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut query: Vec<(String, String)> = [
        ("client_id", SANDBOX_CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", SCOPE),
        ("state", "st-123 with spaces"),
        ("nonce", "n-456"),
        ("code_challenge_method", "S256"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    query.push(("code_challenge".into(), challenge(VERIFIER)));
    for (key, value) in overrides {
        query.retain(|(k, _)| k != key);
        if !value.is_empty() {
            query.push((key.to_string(), value.to_string()));
        }
    }
    query
}

async fn authorize(env: &Env, tenant: &str, overrides: &[(&str, &str)]) -> reqwest::Response {
    env.http
        .get(env.url(&format!("/{tenant}/oauth2/v2.0/authorize")))
        .query(&authorize_query(overrides))
        .send()
        .await
        .unwrap()
}

fn location_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(REDIRECT), "redirected to {location}");
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

async fn code_for(env: &Env) -> String {
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    let response = authorize(env, "organizations", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let params = location_params(&response);
    assert_eq!(param(&params, "state"), Some("st-123 with spaces"));
    param(&params, "code").unwrap().to_owned()
}

async fn redeem(env: &Env, code: &str, verifier: &str) -> Reply {
    env.form(
        "/organizations/oauth2/v2.0/token",
        &[
            ("client_id", SANDBOX_CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("scope", SCOPE),
        ],
    )
    .await
}

fn aad_code(reply: &Reply) -> u64 {
    reply.body["error_codes"][0].as_u64().unwrap_or_default()
}

fn assert_microsoft_shaped(reply: &Reply) {
    for key in
        ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id"]
    {
        assert!(!reply.body[key].is_null(), "{key} missing in {}", reply.text);
    }
    assert!(reply.body["error_description"].as_str().unwrap().starts_with("AADSTS"));
}

#[tokio::test]
async fn code_flow_with_pkce_issues_tokens_that_graph_accepts() {
    let env = start().await;
    let code = code_for(&env).await;
    let tokens = redeem(&env, &code, VERIFIER).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
    assert_eq!(tokens.body["token_type"], "Bearer");
    assert_eq!(tokens.body["expires_in"], 3599);
    let scope = tokens.body["scope"].as_str().unwrap();
    assert!(
        scope.contains("https://graph.microsoft.com/User.ReadWrite.All")
            && scope.contains("offline_access"),
        "{scope}"
    );
    assert!(tokens.body["refresh_token"].is_string());
    // The ID token carries the nonce; the access token works against Graph.
    let id_token = tokens.body["id_token"].as_str().unwrap();
    let claims: Value =
        serde_json::from_slice(&B64.decode(id_token.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(
        (claims["nonce"].as_str(), claims["preferred_username"].as_str()),
        (Some("n-456"), Some(ANNA))
    );
    let me = env.graph_get(tokens.body["access_token"].as_str().unwrap(), "/me", &[], false).await;
    assert_eq!(me.body["userPrincipalName"], ANNA);
}

#[tokio::test]
async fn a_code_is_single_use_short_lived_and_bound_to_its_verifier() {
    let env = start().await;
    let code = code_for(&env).await;
    let wrong =
        redeem(&env, &code, "another-verifier-that-is-long-enough-to-be-valid-0000000").await;
    assert_eq!(
        (wrong.status, wrong.body["error"].as_str(), aad_code(&wrong)),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"), 50148)
    );
    assert_microsoft_shaped(&wrong);
    assert_eq!(redeem(&env, &code, VERIFIER).await.status, StatusCode::OK);
    let again = redeem(&env, &code, VERIFIER).await;
    assert_eq!((again.body["error"].as_str(), aad_code(&again)), (Some("invalid_grant"), 54005));

    let late = code_for(&env).await;
    env.sandbox.control().advance_clock(Duration::from_secs(61));
    let expired = redeem(&env, &late, VERIFIER).await;
    assert_eq!(
        (expired.body["error"].as_str(), aad_code(&expired)),
        (Some("invalid_grant"), 70008)
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_one_stops_working() {
    const KEY: [u8; 32] = [7; 32];
    let keyed = || SandboxConfig { signing_key: Some(KEY), ..SandboxConfig::default() };
    let env = start_with(keyed()).await;
    let first = redeem(&env, &code_for(&env).await, VERIFIER).await;
    let old = first.body["refresh_token"].as_str().unwrap().to_owned();
    let refresh = |token: String| {
        let env = &env;
        async move {
            env.form(
                "/organizations/oauth2/v2.0/token",
                &[
                    ("client_id", SANDBOX_CLIENT_ID),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &token),
                ],
            )
            .await
        }
    };
    let second = refresh(old.clone()).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    let new = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    let reused = refresh(old).await;
    assert_eq!((reused.body["error"].as_str(), aad_code(&reused)), (Some("invalid_grant"), 70008));
    let third = refresh(new).await;
    assert_eq!(third.status, StatusCode::OK);
    let issued = env.sandbox.control().issued_tokens();
    assert!(issued.contains(&third.body["access_token"].as_str().unwrap().to_owned()));

    // A refresh token is not an access token, and a forged one is refused.
    let latest = third.body["refresh_token"].as_str().unwrap().to_owned();
    let as_bearer = env.http.get(env.url("/v1.0/me")).bearer_auth(&latest[2..]).send().await;
    assert_eq!(as_bearer.unwrap().status(), StatusCode::UNAUTHORIZED);
    let forged = refresh(format!("{}x", &latest)).await;
    assert_eq!(aad_code(&forged), 70008);

    // Tokens are signed with a key made per run: a new sample directory does not know them...
    env.sandbox.stop().await;
    let form = [
        ("client_id", SANDBOX_CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", latest.as_str()),
    ];
    let fresh = start().await.form("/organizations/oauth2/v2.0/token", &form).await;
    assert_eq!(aad_code(&fresh), 70008, "{}", fresh.text);
    // ...unless it is handed the same key, as a test of the app's restart does.
    let restarted = start_with(keyed()).await;
    let after_restart = restarted.form("/organizations/oauth2/v2.0/token", &form).await;
    assert_eq!(after_restart.status, StatusCode::OK, "{}", after_restart.text);
}

#[tokio::test]
async fn authorize_refuses_plain_pkce_and_missing_challenges_by_redirect() {
    let env = start().await;
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    for (overrides, error, code) in [
        (vec![("code_challenge_method", "plain")], "invalid_request", 50149),
        (vec![("code_challenge", "")], "invalid_request", 9002325),
        (vec![("code_challenge", "short")], "invalid_request", 501491),
        (vec![("response_type", "token")], "unsupported_response_type", 70005),
        (vec![("scope", "https://example.contoso.com/activity.read")], "invalid_scope", 70011),
    ] {
        let response = authorize(&env, "organizations", &overrides).await;
        let params = location_params(&response);
        assert_eq!(param(&params, "error"), Some(error), "{overrides:?}");
        assert!(
            param(&params, "error_description").unwrap().starts_with(&format!("AADSTS{code}:")),
            "{params:?}"
        );
        assert_eq!(param(&params, "state"), Some("st-123 with spaces"));
    }
}

#[tokio::test]
async fn untrusted_clients_redirects_and_tenants_get_an_error_page_not_a_redirect() {
    let env = start().await;
    for (tenant, overrides, code) in [
        (
            "organizations",
            vec![("client_id", "14d82eec-204b-4c2f-b7e8-296a70dab67e")],
            "AADSTS700016",
        ),
        ("organizations", vec![("redirect_uri", "https://127.0.0.1:5000/")], "AADSTS50011"),
        ("organizations", vec![("redirect_uri", "http://evil.example/")], "AADSTS50011"),
        ("organizations", vec![("redirect_uri", "http://localhost:5000/callback")], "AADSTS50011"),
        // 127.0.0.1 is a registration of its own, and only http://localhost is registered.
        ("organizations", vec![("redirect_uri", "http://127.0.0.1:5000/")], "AADSTS50011"),
        ("organizations", vec![("redirect_uri", "http://[::1]:5000/")], "AADSTS50011"),
        ("no-such-tenant.example", vec![], "AADSTS90002"),
    ] {
        let response = authorize(&env, tenant, &overrides).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{overrides:?}");
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.unwrap().contains(code));
    }
    // Any loopback port, host case ignored; the tenant by id or verified domain.
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    let tenant = env.sandbox.control().tenant_id();
    for (tenant, redirect) in
        [(tenant.as_str(), "http://localhost:1/"), ("contoso-sample.se", "http://LOCALHOST:65000/")]
    {
        let response = authorize(&env, tenant, &[("redirect_uri", redirect)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(response.headers()["location"].to_str().unwrap().starts_with(redirect));
    }
}

#[tokio::test]
async fn the_sign_in_page_lists_the_admins_and_completes_or_cancels() {
    let env = start().await;
    let page = authorize(&env, "organizations", &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for admin in [ANNA, BJORN, CECILIA, DAVID] {
        assert!(html.contains(admin), "{admin} not offered");
    }
    let session = html
        .split("name=\"session\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let signed_in = env
        .http
        .post(env.url("/organizations/oauth2/v2.0/authorize"))
        .form(&[("session", session.as_str()), ("upn", CECILIA)])
        .send()
        .await
        .unwrap();
    let code = param(&location_params(&signed_in), "code").unwrap().to_owned();
    let tokens = redeem(&env, &code, VERIFIER).await;
    let me = env.graph_get(tokens.body["access_token"].as_str().unwrap(), "/me", &[], false).await;
    assert_eq!(me.body["userPrincipalName"], CECILIA);
    // A session is single use.
    let reused = env
        .http
        .post(env.url("/organizations/oauth2/v2.0/authorize"))
        .form(&[("session", session.as_str()), ("upn", CECILIA)])
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);

    let page = authorize(&env, "organizations", &[]).await.text().await.unwrap();
    let session = page
        .split("name=\"session\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cancelled = env
        .http
        .post(env.url("/organizations/oauth2/v2.0/authorize"))
        .form(&[("session", session.as_str()), ("upn", "")])
        .send()
        .await
        .unwrap();
    let params = location_params(&cancelled);
    assert_eq!(param(&params, "error"), Some("access_denied"));
}

#[tokio::test]
async fn token_endpoint_refuses_secrets_unknown_clients_and_grants() {
    let env = start().await;
    let secret = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", SANDBOX_CLIENT_ID),
                ("client_secret", "s"),
                ("grant_type", "refresh_token"),
                ("refresh_token", "x"),
            ],
        )
        .await;
    assert_eq!(
        (secret.status, secret.body["error"].as_str(), aad_code(&secret)),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"), 700025)
    );
    let unknown = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[
                ("client_id", "00000000-0000-0000-0000-000000000001"),
                ("grant_type", "refresh_token"),
                ("refresh_token", "x"),
            ],
        )
        .await;
    assert_eq!(aad_code(&unknown), 700016);
    let grant = env
        .form(
            "/organizations/oauth2/v2.0/token",
            &[("client_id", SANDBOX_CLIENT_ID), ("grant_type", "password")],
        )
        .await;
    assert_eq!(grant.body["error"], "unsupported_grant_type");
    assert_microsoft_shaped(&grant);
}

#[tokio::test]
async fn missing_consent_is_reported_as_consent_required() {
    let env = start().await;
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    env.sandbox.control().withhold_consent("Domain.Read.All");
    let response = authorize(
        &env,
        "organizations",
        &[("scope", "openid https://graph.microsoft.com/Domain.Read.All")],
    )
    .await;
    let params = location_params(&response);
    assert_eq!(param(&params, "error"), Some("consent_required"));
    assert!(param(&params, "error_description").unwrap().starts_with("AADSTS65001"));
}

async fn start_device_flow(env: &Env) -> (String, String) {
    let reply = env
        .form(
            "/organizations/oauth2/v2.0/devicecode",
            &[("client_id", SANDBOX_CLIENT_ID), ("scope", "offline_access User.ReadWrite.All")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        (reply.body["expires_in"].as_u64(), reply.body["interval"].as_u64()),
        (Some(900), Some(5))
    );
    assert_eq!(reply.body["verification_uri"], env.url("/devicelogin"));
    let user_code = reply.body["user_code"].as_str().unwrap().to_owned();
    assert!(reply.body["message"].as_str().unwrap().contains(&user_code));
    (reply.body["device_code"].as_str().unwrap().to_owned(), user_code)
}

async fn poll(env: &Env, device_code: &str) -> Reply {
    env.form(
        "/organizations/oauth2/v2.0/token",
        &[
            ("client_id", SANDBOX_CLIENT_ID),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
        ],
    )
    .await
}

#[tokio::test]
async fn device_code_pending_slow_down_then_approved() {
    let env = start().await;
    let control = env.sandbox.control();
    let (device_code, user_code) = start_device_flow(&env).await;
    let pending = poll(&env, &device_code).await;
    assert_eq!(
        (pending.body["error"].as_str(), aad_code(&pending)),
        (Some("authorization_pending"), 70016)
    );
    assert_eq!(poll(&env, &device_code).await.body["error"], "slow_down");
    control.advance_clock(Duration::from_secs(5));
    assert_eq!(poll(&env, &device_code).await.body["error"], "authorization_pending");
    // The person enters the code on the device-login page.
    let page = env.send(env.http.get(env.url("/devicelogin"))).await;
    assert!(page.text.contains(ANNA));
    let entered = env
        .form(
            "/devicelogin",
            &[("user_code", &user_code.to_lowercase()), ("upn", ANNA), ("decision", "approve")],
        )
        .await;
    assert!(entered.text.contains("You are signed in"));
    control.advance_clock(Duration::from_secs(5));
    let tokens = poll(&env, &device_code).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
    assert!(tokens.body["refresh_token"].is_string());
    assert_eq!(poll(&env, &device_code).await.body["error"], "bad_verification_code");
}

#[tokio::test]
async fn device_code_declined_expired_or_blocked() {
    let env = start().await;
    let control = env.sandbox.control();
    let (declined, user_code) = start_device_flow(&env).await;
    assert!(control.decline_device_code(&user_code));
    assert_eq!(poll(&env, &declined).await.body["error"], "authorization_declined");

    let (expiring, _) = start_device_flow(&env).await;
    control.advance_clock(Duration::from_secs(901));
    let expired = poll(&env, &expiring).await;
    assert_eq!(
        (expired.body["error"].as_str(), aad_code(&expired)),
        (Some("expired_token"), 70019)
    );

    control.set_public_client_flows(false);
    let (blocked, _) = start_device_flow(&env).await;
    let reply = poll(&env, &blocked).await;
    assert_eq!((reply.body["error"].as_str(), aad_code(&reply)), (Some("invalid_client"), 7000218));
}

#[tokio::test]
async fn graph_refuses_missing_expired_tampered_and_underscoped_tokens() {
    let env = start_with(SandboxConfig::default()).await;
    let missing = env.send(env.http.get(env.url("/v1.0/me"))).await;
    assert_eq!(
        (missing.status, missing.error_code(), missing.error_message()),
        (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", "Access token is empty.")
    );
    let token = env.admin();
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let claims = String::from_utf8(B64.decode(&parts[1]).unwrap())
        .unwrap()
        .replace("User.ReadWrite.All", "Directory.ReadWrite.All");
    parts[1] = B64.encode(claims);
    let tampered = env.graph_get(&parts.join("."), "/me", &[], false).await;
    assert_eq!(
        (tampered.status, tampered.error_code()),
        (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
    );
    let narrow = env.token(ANNA, &["User.Read"]);
    let denied = env.graph_get(&narrow, "/users", &[], false).await;
    assert_eq!(
        (denied.status, denied.error_code()),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
    env.sandbox.control().advance_clock(Duration::from_secs(3600));
    let expired = env.graph_get(&token, "/me", &[], false).await;
    assert_eq!(
        (expired.status, expired.error_message()),
        (StatusCode::UNAUTHORIZED, "Lifetime validation failed, the token is expired.")
    );
}

fn payload(jwt: &str) -> Value {
    serde_json::from_slice(&B64.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

/// Signs in as `upn` through the code flow and returns the token response.
async fn sign_in_as(env: &Env, upn: &str) -> Reply {
    env.sandbox.control().set_auto_sign_in(Some(upn));
    let response = authorize(env, "organizations", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let params = location_params(&response);
    let code = param(&params, "code").unwrap().to_owned();
    let tokens = redeem(env, &code, VERIFIER).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.text);
    tokens
}

#[tokio::test]
async fn the_id_token_carries_wids_when_the_registration_asks_for_directory_roles() {
    const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    const MEMBER: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";
    let env = start().await;
    // Default DirectoryRole: active roles, direct or through a role-assignable group, + member.
    for upn in [ANNA, "ines.bergh@contoso-sample.se"] {
        let tokens = sign_in_as(&env, upn).await;
        let claims = payload(tokens.body["id_token"].as_str().unwrap());
        let wids: Vec<&str> =
            claims["wids"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert!(wids.contains(&USER_ADMINISTRATOR) && wids.contains(&MEMBER), "{upn}: {wids:?}");
    }
    let tokens = sign_in_as(&env, DAVID).await;
    assert_eq!(
        payload(tokens.body["id_token"].as_str().unwrap())["wids"],
        serde_json::json!([MEMBER])
    );
    env.sandbox.control().set_group_membership_claims("None");
    let tokens = sign_in_as(&env, ANNA).await;
    assert!(payload(tokens.body["id_token"].as_str().unwrap()).get("wids").is_none());
    env.sandbox.control().set_group_membership_claims("All");
    let tokens = sign_in_as(&env, ANNA).await;
    assert!(payload(tokens.body["id_token"].as_str().unwrap())["wids"].is_array());
}

#[tokio::test]
async fn redirect_uris_are_matched_against_the_registration_like_entra() {
    let env = start().await;
    env.sandbox.control().set_auto_sign_in(Some(ANNA));
    let status = |response: &reqwest::Response| response.status();
    // Default registration: http://localhost only; any port; empty path equals "/".
    for (redirect, ok) in [
        ("http://localhost:1234/", true),
        ("http://localhost:1234", true),
        ("http://Localhost:80/", true),
        ("http://127.0.0.1:1234/", false),
        ("http://[::1]:1234/", false),
        ("https://localhost:1234/", false),
        ("http://localhost:1234/callback", false),
        ("http://localhost:1234/#frag", false),
    ] {
        let response = authorize(&env, "organizations", &[("redirect_uri", redirect)]).await;
        let expected = if ok { StatusCode::SEE_OTHER } else { StatusCode::BAD_REQUEST };
        assert_eq!(status(&response), expected, "{redirect}");
        if !ok {
            assert!(response.text().await.unwrap().contains("AADSTS50011"), "{redirect}");
        }
    }
    // A registration with 127.0.0.1 and a path: the path is compared case-sensitively; the
    // port is ignored for loopback but not for other hosts.
    env.sandbox.control().set_redirect_uris(&[
        "http://127.0.0.1/callback",
        "https://app.contoso-sample.se:8443/auth",
    ]);
    for (redirect, ok) in [
        ("http://127.0.0.1:5000/callback", true),
        ("http://127.0.0.1:5000/Callback", false),
        ("http://localhost:5000/callback", false),
        ("https://app.contoso-sample.se:8443/auth", true),
        ("https://app.contoso-sample.se/auth", false),
    ] {
        let response = authorize(&env, "organizations", &[("redirect_uri", redirect)]).await;
        let expected = if ok { StatusCode::SEE_OTHER } else { StatusCode::BAD_REQUEST };
        assert_eq!(status(&response), expected, "{redirect}");
    }
}

#[tokio::test]
async fn tokens_carry_every_consented_graph_permission_and_unconsented_ones_are_refused() {
    let env = start().await;
    let tokens = sign_in_as(&env, ANNA).await;
    let scope = tokens.body["scope"].as_str().unwrap();
    let scp =
        payload(tokens.body["access_token"].as_str().unwrap())["scp"].as_str().unwrap().to_owned();
    for consented in [
        "User.Read",
        "User.Invite.All",
        "User.ReadWrite.All",
        "Domain.Read.All",
        "GroupMember.Read.All",
        "OrgContact.Read.All",
    ] {
        assert!(scope.contains(&format!("https://graph.microsoft.com/{consented}")), "{scope}");
        assert!(scp.split(' ').any(|s| s == consented), "{scp}");
    }
    assert!(!scp.contains("Directory.Read.All"), "{scp}");
    // /organization reads with the User.Read the token carries.
    let access = tokens.body["access_token"].as_str().unwrap();
    let organization = env.graph_get(access, "/organization", &[], false).await;
    assert_eq!(organization.status, StatusCode::OK, "{}", organization.text);
    // A known permission without admin consent: AADSTS65001.
    let response = authorize(
        &env,
        "organizations",
        &[("scope", "openid https://graph.microsoft.com/RoleManagement.Read.Directory")],
    )
    .await;
    let params = location_params(&response);
    assert_eq!(param(&params, "error"), Some("consent_required"));
    env.sandbox.control().grant_consent("RoleManagement.Read.Directory");
    let tokens = sign_in_as(&env, ANNA).await;
    assert!(payload(tokens.body["access_token"].as_str().unwrap())["scp"]
        .as_str()
        .unwrap()
        .contains("RoleManagement.Read.Directory"));
    env.sandbox.control().withhold_consent("Domain.Read.All");
    let tokens = sign_in_as(&env, ANNA).await;
    assert!(!tokens.body["scope"].as_str().unwrap().contains("Domain.Read.All"));
}

#[tokio::test]
async fn it_answers_only_on_its_own_address() {
    let env = start().await;
    let port = env.sandbox.base_url().rsplit(':').next().unwrap().to_owned();
    let ask = |host: String| {
        let url = env.url("/organizations/oauth2/v2.0/devicecode");
        env.http
            .post(url)
            .header("Host", host)
            .form(&[("client_id", SANDBOX_CLIENT_ID), ("scope", "User.Read")])
            .send()
    };
    for own in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        assert_eq!(ask(own.clone()).await.unwrap().status(), StatusCode::OK, "{own}");
    }
    // DNS rebinding: a page on another name that resolves here is refused.
    for other in [format!("evil.example:{port}"), "127.0.0.1:1".to_owned()] {
        let refused = ask(other.clone()).await.unwrap();
        assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST, "{other}");
    }
}
