//! The sample directory and a test "browser" for the sign-in tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use rehome_core::{
    auth::{default_scopes, OAuthClient, SignInTarget, TokenSet},
    cloud::Cloud,
};
use rehome_sandbox::{Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};

pub const ANNA: &str = "anna.lindqvist@contoso-sample.se";

pub struct Setup {
    pub sandbox: Sandbox,
    pub client: OAuthClient,
    pub scopes: Vec<String>,
    pub browser: reqwest::Client,
}

/// A sandbox that signs Anna in without its sign-in page, and a client for it.
pub async fn setup() -> Setup {
    let sandbox =
        Sandbox::start(SandboxConfig { auto_sign_in: Some(ANNA.into()), ..Default::default() })
            .await
            .unwrap();
    let client = client_for(&sandbox);
    let scopes = default_scopes(&client.target().cloud);
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Setup { sandbox, client, scopes, browser }
}

/// Another client for the same sandbox, as the app has after a restart.
pub fn client_for(sandbox: &Sandbox) -> OAuthClient {
    let cloud = Cloud::sample(sandbox.base_url()).unwrap();
    let target =
        SignInTarget { cloud, tenant: "organizations".into(), client_id: SANDBOX_CLIENT_ID.into() };
    OAuthClient::new(reqwest::Client::new(), target)
}

/// The browser: authorize → the identity platform's redirect (optionally tampered) → the page.
pub async fn play_browser(
    browser: &reqwest::Client,
    url: &str,
    tamper: impl Fn(String) -> String,
) -> String {
    let answer = browser.get(url).send().await.unwrap();
    let location = tamper(answer.headers()["location"].to_str().unwrap().to_owned());
    browser.get(location).send().await.unwrap().text().await.unwrap()
}

/// A whole browser sign-in.
pub async fn sign_in(setup: &Setup) -> TokenSet {
    let sign_in = setup.client.begin_browser_sign_in(&setup.scopes, None).await.unwrap();
    let url = sign_in.url.clone();
    let (tokens, _) = tokio::join!(
        setup.client.finish_browser_sign_in(
            sign_in,
            "en",
            Duration::from_secs(10),
            std::future::pending()
        ),
        play_browser(&setup.browser, &url, |l| l),
    );
    tokens.unwrap()
}

/// The test's "browser": follows the authorize URL the app asked the OS to open.
pub fn browser() -> impl FnOnce(&str) -> bool {
    |url: &str| {
        let url = url.to_owned();
        tokio::spawn(async move {
            let browser = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            play_browser(&browser, &url, |l| l).await;
        });
        true
    }
}

/// `upn` signed in to `sandbox` by browser, as the app is after sign-in.
pub async fn signed_in(
    sandbox: &Sandbox,
    upn: &str,
) -> (rehome_core::sign_in::SignInService, rehome_core::profile::Profile) {
    signed_in_with_http(sandbox, upn, reqwest::Client::new()).await
}

/// A Graph client holding one access token the sandbox minted for `upn` with exactly `scopes`,
/// for tests of what a narrower consent leaves readable.
pub fn graph_with_scopes(
    sandbox: &Sandbox,
    upn: &str,
    scopes: &[&str],
) -> rehome_core::graph::GraphClient {
    let token = sandbox.control().access_token(upn, scopes).unwrap();
    graph_with_token(sandbox.base_url(), token)
}

/// A Graph client for the sandbox at `base_url` that always presents `token` (no sign-in).
pub fn graph_with_token(base_url: &str, token: String) -> rehome_core::graph::GraphClient {
    use azure_core::{
        credentials::{AccessToken, TokenCredential, TokenRequestOptions},
        time::{Duration, OffsetDateTime},
    };
    #[derive(Debug)]
    struct Fixed(String);
    #[async_trait::async_trait]
    impl TokenCredential for Fixed {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            Ok(AccessToken::new(self.0.clone(), OffsetDateTime::now_utc() + Duration::hours(1)))
        }
    }
    let cloud = Cloud::sample(base_url).unwrap();
    rehome_core::graph::GraphClient::new(
        reqwest::Client::new(),
        &cloud,
        std::sync::Arc::new(Fixed(token)),
    )
}

/// As `signed_in`, with the app's HTTP client replaced by `http` (e.g. one with a short read
/// timeout, so a slow answer runs into it within a test's time).
pub async fn signed_in_with_http(
    sandbox: &Sandbox,
    upn: &str,
    http: reqwest::Client,
) -> (rehome_core::sign_in::SignInService, rehome_core::profile::Profile) {
    sandbox.control().set_auto_sign_in(Some(upn));
    let service = rehome_core::sign_in::SignInService::with_store(
        http,
        std::sync::Arc::new(rehome_core::auth::MemoryStore::default()),
    );
    let target = SignInTarget {
        cloud: Cloud::sample(sandbox.base_url()).unwrap(),
        tenant: "organizations".into(),
        client_id: SANDBOX_CLIENT_ID.into(),
    };
    let profile = service.with_browser(target, "en", browser(), |_| {}).await.unwrap();
    (service, profile)
}
