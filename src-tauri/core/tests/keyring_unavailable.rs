//! No Secret Service (a server or a session without one): a clear `keyringUnavailable`, never a
//! silent fallback to a file. Its own test binary: the keyring store is chosen once per process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehome_core::{
    auth::{KeyringStore, TokenStore},
    ErrorCode,
};

#[test]
fn without_a_secret_service_the_store_says_so() {
    // A bus address where nothing listens, before the keyring is first used in this process.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rehome-test-bus");
    let store = KeyringStore::new("se.rehome.desktop.unavailable-test");
    let error = store.load().unwrap_err();
    assert_eq!(error.code, ErrorCode::KeyringUnavailable, "{error:?}");
    assert!(error.message.contains("keyring"), "{}", error.message);
}
