//! The `rehome-sandbox` binary as a person uses it: it prints its URL, a client signs in with a
//! device code over plain HTTP and searches users; fault flags take effect.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use rehome_sandbox::SANDBOX_CLIENT_ID;
use serde_json::Value;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_url_and_serves_sign_in_and_search() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehome-sandbox"))
        .args(["--seed", "2020", "--throttle", "GET:/v1.0/organization=2"])
        .env("REHOME_SANDBOX_LATENCY_MS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let _running = Running(child);
    let base = line.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let http = reqwest::Client::new();

    let device: Value = http
        .post(format!("{base}/organizations/oauth2/v2.0/devicecode"))
        .form(&[("client_id", SANDBOX_CLIENT_ID), ("scope", "User.ReadWrite.All")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page = http
        .post(format!("{base}/devicelogin"))
        .form(&[
            ("user_code", device["user_code"].as_str().unwrap()),
            ("upn", "anna.lindqvist@contoso-sample.se"),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("You are signed in"));
    let tokens: Value = http
        .post(format!("{base}/organizations/oauth2/v2.0/token"))
        .form(&[
            ("client_id", SANDBOX_CLIENT_ID),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device["device_code"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();

    let search = |eventual: bool| {
        let mut request = http
            .get(format!("{base}/v1.0/users"))
            .query(&[("$search", "\"displayName:oscar\""), ("$select", "displayName")])
            .bearer_auth(token);
        if eventual {
            request = request.header("ConsistencyLevel", "eventual");
        }
        request.send()
    };
    let found: Value = search(true).await.unwrap().json().await.unwrap();
    assert_eq!(found["value"][0]["displayName"], "Oscar Ward");
    let refused = search(false).await.unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "Request_UnsupportedQuery");

    let throttled =
        http.get(format!("{base}/v1.0/organization")).bearer_auth(token).send().await.unwrap();
    assert_eq!(
        (throttled.status().as_u16(), throttled.headers()["retry-after"].to_str().unwrap()),
        (429, "2")
    );
}
