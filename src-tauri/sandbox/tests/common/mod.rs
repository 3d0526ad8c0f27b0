//! Helpers for the contract tests: a sandbox on a free port and a plain HTTP client that does
//! not follow redirects (sign-in redirects are part of what is tested).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use rehome_sandbox::{Sandbox, SandboxConfig};
use reqwest::{header::HeaderMap, redirect::Policy, StatusCode};
use serde_json::Value;

pub const ANNA: &str = "anna.lindqvist@contoso-sample.se"; // User Administrator
pub const BJORN: &str = "bjorn.oberg@contoso-sample.se"; // Guest Inviter
pub const CECILIA: &str = "cecilia.akesson@contoso-sample.se"; // Helpdesk Administrator
pub const DAVID: &str = "david.nilsson@contoso-sample.se"; // no role
pub const INES: &str = "ines.bergh@contoso-sample.se"; // User Administrator through a group
pub const JONAS: &str = "jonas.ahlgren@contoso-sample.se"; // User Admin + External IdP Admin
pub const KIM: &str = "kim.lundin@contoso-sample.se"; // Directory Writers
pub const APP_SCOPES: &[&str] = &["User.ReadWrite.All", "User.Invite.All", "Domain.Read.All"];

pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
    pub fn error_message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }
}

pub async fn start() -> Env {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with(config: SandboxConfig) -> Env {
    let sandbox = Sandbox::start(config).await.unwrap();
    let http = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    Env { sandbox, http }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    pub fn token(&self, upn: &str, scopes: &[&str]) -> String {
        self.sandbox.control().access_token(upn, scopes).unwrap()
    }

    pub fn admin(&self) -> String {
        self.token(ANNA, APP_SCOPES)
    }

    pub fn id_of(&self, upn: &str) -> String {
        self.sandbox.control().user_id(upn).unwrap()
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }

    /// GET a Graph path with OData options; `eventual` adds `ConsistencyLevel: eventual`.
    pub async fn graph_get(
        &self,
        token: &str,
        path: &str,
        query: &[(&str, &str)],
        eventual: bool,
    ) -> Reply {
        let mut request =
            self.http.get(self.url(&format!("/v1.0{path}"))).query(query).bearer_auth(token);
        if eventual {
            request = request.header("ConsistencyLevel", "eventual");
        }
        self.send(request).await
    }

    /// GET an absolute URL (an @odata.nextLink).
    pub async fn get_link(&self, token: &str, link: &str, eventual: bool) -> Reply {
        let mut request = self.http.get(link).bearer_auth(token);
        if eventual {
            request = request.header("ConsistencyLevel", "eventual");
        }
        self.send(request).await
    }

    pub async fn graph_post(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.send(self.http.post(self.url(&format!("/v1.0{path}"))).bearer_auth(token).json(body))
            .await
    }

    pub async fn graph_patch(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.send(self.http.patch(self.url(&format!("/v1.0{path}"))).bearer_auth(token).json(body))
            .await
    }

    pub async fn form(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(self.http.post(self.url(path)).form(form)).await
    }
}
