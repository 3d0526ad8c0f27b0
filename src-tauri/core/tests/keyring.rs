//! The OS keyring for real, not a mock: a Secret Service (gnome-keyring in a private D-Bus session,
//! started by `make test`; run it through `make test-rust` or the same set-up by hand), and on
//! Windows the Credential Manager (`make test-windows` runs it under Wine's).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{client_for, setup, sign_in};

use rehome_core::{
    auth::{KeyringStore, Secret, Session, StoredSignIn, TokenStore},
    cloud::CloudId,
};

fn stored(refresh: &str) -> StoredSignIn {
    StoredSignIn {
        cloud: CloudId::Sample,
        tenant: "organizations".into(),
        client_id: "5a4db0c5-0000-4000-8000-00000000f00d".into(),
        username: "anna.lindqvist@contoso-sample.se".into(),
        display_name: "Anna Lindqvist".into(),
        tenant_id: "0e8a8bbf-cc1a-42d8-9d42-963f5e5dceaa".into(),
        refresh_token: Secret::new(refresh),
    }
}

fn require_session_bus() {
    // Windows has no D-Bus: Credential Manager is always there.
    #[cfg(not(windows))]
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run this through `make test-rust`, which starts one with an unlocked keyring"
    );
}

#[tokio::test]
async fn a_real_sign_in_resumes_from_the_keyring_with_rotation_and_signs_out() {
    require_session_bus();
    let s = setup().await;
    let store = Arc::new(KeyringStore::new(&format!(
        "se.rehome.desktop.session-test-{}",
        std::process::id()
    )));
    let tokens = sign_in(&s).await;
    let first = tokens.refresh_token.clone().unwrap();
    Session::start(client_for(&s.sandbox), s.scopes.clone(), store.clone(), tokens).await.unwrap();
    let resumed = Session::resume(client_for(&s.sandbox), s.scopes.clone(), store.clone())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        store.load().unwrap().unwrap().refresh_token,
        first,
        "rotation persisted in the keyring"
    );
    resumed.sign_out().await.unwrap();
    assert_eq!(store.load().unwrap(), None, "signing out removes the keyring entry");
}

#[test]
fn a_sign_in_round_trips_through_the_os_keyring_and_sign_out_removes_it() {
    require_session_bus();
    let service = format!("se.rehome.desktop.test-{}", std::process::id());
    let store = KeyringStore::new(&service);
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    store.save(&stored("0.AXoA-first")).unwrap();
    assert_eq!(store.load().unwrap(), Some(stored("0.AXoA-first")));
    // Rotation: the new refresh token replaces the old one in place.
    store.save(&stored("0.AXoA-second")).unwrap();
    assert_eq!(store.load().unwrap().unwrap().refresh_token.expose(), "0.AXoA-second");
    // Sign out: gone, and deleting again is fine.
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    store.delete().unwrap();
    // Entra's refresh tokens run to a few thousand characters: more than one Credential Manager
    // entry holds on Windows. A long one and then a short one: nothing of the long one is left.
    let long = format!("0.AXoA-{}", "å-0123456789".repeat(400));
    store.save(&stored(&long)).unwrap();
    assert_eq!(store.load().unwrap().unwrap().refresh_token.expose(), long);
    store.save(&stored("0.AXoA-short")).unwrap();
    assert_eq!(store.load().unwrap().unwrap().refresh_token.expose(), "0.AXoA-short");
    // On Windows the long one took several Credential Manager entries: the short one, one.
    let credential = |account: &str| keyring::Entry::new(&service, account).unwrap().get_secret();
    #[cfg(windows)]
    assert!(credential("sign-in.1").is_ok() && credential("sign-in.2").is_err());
    store.save(&stored(&long)).unwrap();
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    for account in ["sign-in", "sign-in.1", "sign-in.2"] {
        assert!(matches!(credential(account), Err(keyring::Error::NoEntry)), "{account} is gone");
    }
    // Another identifier never sees this one's entry.
    store.save(&stored("0.AXoA-third")).unwrap();
    let other = KeyringStore::new(&format!("se.rehome.desktop.other-{}", std::process::id()));
    assert_eq!(other.load().unwrap(), None);
    store.delete().unwrap();
}
