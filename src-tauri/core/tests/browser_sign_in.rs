//! Browser sign-in against the sample directory over real HTTP. The test plays the browser: it
//! opens the authorize URL, follows the identity platform's redirect to the loopback listener and
//! reads the page the tab shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

mod common;

use common::{play_browser, setup, ANNA};
use rehome_core::{auth::Secret, ErrorCode};

#[tokio::test]
async fn signs_in_through_the_browser_and_refreshes_with_rotation() {
    let s = setup().await;
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, Some(ANNA)).await.unwrap();
    let url = sign_in.url.clone();
    assert!(
        url.contains("code_challenge_method=S256")
            && url.contains("state=")
            && url.contains("nonce="),
        "{url}"
    );
    let (tokens, page) = tokio::join!(
        s.client.finish_browser_sign_in(
            sign_in,
            "sv",
            Duration::from_secs(10),
            std::future::pending()
        ),
        play_browser(&s.browser, &url, |l| l),
    );
    assert!(page.contains("Du är inloggad"), "{page}");
    let tokens = tokens.unwrap();
    let account = tokens.account.clone().unwrap();
    assert_eq!((account.username.as_str(), account.name.as_str()), (ANNA, "Anna Lindqvist"));
    assert_eq!(account.tenant_id, s.sandbox.control().tenant_id());
    assert!(tokens.scopes.iter().any(|s| s.ends_with("User.Invite.All")));

    // The access token works against Graph.
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/me", s.sandbox.graph_url()))
        .bearer_auth(tokens.access_token.expose())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["userPrincipalName"], ANNA);

    // Refresh rotates: the new refresh token works, the old one is refused as an expired session.
    let first = tokens.refresh_token.unwrap();
    let second = s.client.refresh(&first, &s.scopes).await.unwrap();
    let rotated = second.refresh_token.unwrap();
    assert_ne!(rotated.expose(), first.expose());
    let reused = s.client.refresh(&first, &s.scopes).await.unwrap_err();
    assert_eq!(reused.code, ErrorCode::SessionExpired);
    assert_eq!(reused.details.unwrap().service_code.as_deref(), Some("AADSTS70008"));
    assert!(s.client.refresh(&rotated, &s.scopes).await.is_ok());
}

#[tokio::test]
async fn a_redirect_with_someone_elses_state_is_ignored_and_the_real_one_still_signs_in() {
    let s = setup().await;
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let url = sign_in.url.clone();
    let browser = async {
        let answer = s.browser.get(&url).send().await.unwrap();
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let mut forged = url::Url::parse(&location).unwrap();
        let code = forged.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
        forged.query_pairs_mut().clear().append_pair("code", &code).append_pair("state", "forged");
        let ignored = s.browser.get(forged.as_str()).send().await.unwrap().text().await.unwrap();
        let signed_in = s.browser.get(&location).send().await.unwrap().text().await.unwrap();
        (ignored, signed_in)
    };
    let (result, (ignored, signed_in)) = tokio::join!(
        s.client.finish_browser_sign_in(
            sign_in,
            "en",
            Duration::from_secs(10),
            std::future::pending()
        ),
        browser,
    );
    assert!(ignored.contains("Rehome was not expecting this page"), "{ignored}");
    assert!(signed_in.contains("You are signed in"), "{signed_in}");
    assert_eq!(result.unwrap().account.unwrap().username, ANNA);
}

#[tokio::test]
async fn a_code_cannot_be_redeemed_with_another_verifier() {
    let s = setup().await;
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let answer = s.browser.get(&sign_in.url).send().await.unwrap();
    let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let redirect = format!(
        "{}://{}:{}/",
        location.scheme(),
        location.host_str().unwrap(),
        location.port().unwrap()
    );
    let wrong = Secret::new("a-verifier-that-belongs-to-another-sign-in-000000000");
    let refused = s.client.exchange_code(&code, &wrong, &redirect).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::SignInFailed);
    assert_eq!(refused.details.unwrap().service_code.as_deref(), Some("AADSTS50148"));
}

#[tokio::test]
async fn consent_missing_is_explained_not_a_generic_failure() {
    let s = setup().await;
    s.sandbox.control().withhold_consent("User.Invite.All");
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let url = sign_in.url.clone();
    let (result, page) = tokio::join!(
        s.client.finish_browser_sign_in(
            sign_in,
            "en",
            Duration::from_secs(10),
            std::future::pending()
        ),
        play_browser(&s.browser, &url, |l| l),
    );
    let error = result.unwrap_err();
    assert_eq!(error.code, ErrorCode::ConsentRequired);
    assert_eq!(error.details.unwrap().service_code.as_deref(), Some("AADSTS65001"));
    assert!(page.contains("Sign-in did not complete"));
}

#[tokio::test]
async fn cancelled_or_abandoned_sign_ins_end_and_the_listener_closes() {
    let s = setup().await;
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let redirect = url::Url::parse(&sign_in.url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .unwrap()
        .1
        .into_owned();
    let timed_out = s
        .client
        .finish_browser_sign_in(sign_in, "en", Duration::from_millis(200), std::future::pending())
        .await
        .unwrap_err();
    assert_eq!(timed_out.code, ErrorCode::SignInTimedOut);
    assert!(reqwest::get(&redirect).await.is_err(), "nobody listens after the sign-in ended");

    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let cancelled = s
        .client
        .finish_browser_sign_in(sign_in, "en", Duration::from_secs(10), async {})
        .await
        .unwrap_err();
    assert_eq!(cancelled.code, ErrorCode::SignInCancelled);
}

#[tokio::test]
async fn the_listener_ignores_other_paths_and_takes_one_redirect_only() {
    let s = setup().await;
    let sign_in = s.client.begin_browser_sign_in(&s.scopes, None).await.unwrap();
    let url = sign_in.url.clone();
    let browser = s.browser.clone();
    let play = async move {
        let answer = browser.get(&url).send().await.unwrap();
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let origin = location.split('?').next().unwrap().to_owned();
        let favicon = browser.get(format!("{origin}favicon.ico")).send().await.unwrap();
        assert_eq!(favicon.status(), 404);
        browser.get(&location).send().await.unwrap().text().await.unwrap();
        // A second redirect to the same listener finds it closed.
        browser.get(&location).send().await.is_err()
    };
    let (result, second_refused) = tokio::join!(
        s.client.finish_browser_sign_in(
            sign_in,
            "en",
            Duration::from_secs(10),
            std::future::pending()
        ),
        play,
    );
    assert!(result.is_ok());
    assert!(second_refused);
}
