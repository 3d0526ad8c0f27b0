//! A session over real HTTP against the sample directory: remembered, resumed silently with the
//! rotated refresh token stored, refused and forgotten when revoked, and signed out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{client_for, setup, sign_in, ANNA};
use rehome_core::{
    auth::{MemoryStore, Session, TokenStore},
    ErrorCode,
};

#[tokio::test]
async fn a_sign_in_is_remembered_and_resumed_with_the_rotated_token_stored() {
    let s = setup().await;
    let store = Arc::new(MemoryStore::default());
    let tokens = sign_in(&s).await;
    let first_refresh = tokens.refresh_token.clone().unwrap();
    let session = Session::start(client_for(&s.sandbox), s.scopes.clone(), store.clone(), tokens)
        .await
        .unwrap();
    assert_eq!(session.account().username, ANNA);
    assert_eq!(store.load().unwrap().unwrap().refresh_token, first_refresh);
    let token = session.access_token().await.unwrap();
    let me = reqwest::Client::new()
        .get(format!("{}/me", s.sandbox.graph_url()))
        .bearer_auth(token.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    drop(session);

    // "Restart": a new client, the same store.
    let resumed = Session::resume(client_for(&s.sandbox), s.scopes.clone(), store.clone())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resumed.account().username, ANNA);
    let stored = store.load().unwrap().unwrap();
    assert_ne!(
        stored.refresh_token, first_refresh,
        "the rotated refresh token replaced the used one"
    );
    assert_eq!(
        s.client.refresh(&first_refresh, &s.scopes).await.unwrap_err().code,
        ErrorCode::SessionExpired
    );

    resumed.sign_out().await.unwrap();
    assert_eq!(store.load().unwrap(), None);
    assert!(Session::resume(client_for(&s.sandbox), s.scopes.clone(), store)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_revoked_sign_in_is_reported_and_forgotten() {
    let s = setup().await;
    let store = Arc::new(MemoryStore::default());
    let tokens = sign_in(&s).await;
    let refresh = tokens.refresh_token.clone().unwrap();
    let _session = Session::start(client_for(&s.sandbox), s.scopes.clone(), store.clone(), tokens)
        .await
        .unwrap();
    // Someone used the refresh token elsewhere (or it was revoked): it no longer works.
    s.client.refresh(&refresh, &s.scopes).await.unwrap();
    let error = Session::resume(client_for(&s.sandbox), s.scopes.clone(), store.clone())
        .await
        .err()
        .unwrap();
    assert_eq!(error.code, ErrorCode::SessionExpired);
    assert_eq!(store.load().unwrap(), None, "an unusable sign-in is not kept");
}

#[tokio::test]
async fn a_sign_in_for_another_app_registration_is_not_resumed() {
    let s = setup().await;
    let store = Arc::new(MemoryStore::default());
    let _session =
        Session::start(client_for(&s.sandbox), s.scopes.clone(), store.clone(), sign_in(&s).await)
            .await
            .unwrap();
    let mut other = store.load().unwrap().unwrap();
    other.client_id = "00000000-0000-4000-8000-000000000001".into();
    store.save(&other).unwrap();
    assert!(Session::resume(client_for(&s.sandbox), s.scopes.clone(), store.clone())
        .await
        .unwrap()
        .is_none());
    assert!(store.load().unwrap().is_some(), "left alone, not deleted");
}
