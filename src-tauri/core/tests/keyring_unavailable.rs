//! No Secret Service (a server or a session without one): a clear `keyringUnavailable`, never a
//! silent fallback to a file; the admin may choose to stay signed in for this run only. Its own
//! test binary: the keyring store is chosen once per process.

// The missing keyring is made by pointing D-Bus nowhere: a Secret Service only (Linux, BSD).
// Windows' Credential Manager is part of the OS and cannot be taken away from a test.
#![cfg(all(unix, not(target_os = "macos")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rehome_core::{
    auth::{KeyringStore, SignInTarget, TokenStore},
    cloud::Cloud,
    sign_in::SignInService,
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig, SANDBOX_CLIENT_ID};

const SERVICE: &str = "se.rehome.desktop.unavailable-test";

#[tokio::test]
async fn without_a_secret_service_sign_in_says_so_first_and_can_go_on_for_this_run() {
    // A bus address where nothing listens, before the keyring is first used in this process.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rehome-test-bus");
    let error = KeyringStore::new(SERVICE).load().unwrap_err();
    assert_eq!(error.code, ErrorCode::KeyringUnavailable, "{error:?}");
    assert!(error.message.contains("keyring"), "{}", error.message);

    let sandbox = Sandbox::start(SandboxConfig {
        auto_sign_in: Some(common::ANNA.into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let target = || SignInTarget {
        cloud: Cloud::sample(sandbox.base_url()).unwrap(),
        tenant: "organizations".into(),
        client_id: SANDBOX_CLIENT_ID.into(),
    };
    let folder = tempfile::tempdir().unwrap();
    let service = SignInService::new(SERVICE, &folder.path().join("sign-in-saved"));
    assert!(service.nothing_to_resume(), "nothing saved: start-up need not ask the keyring");
    let refused = service.with_browser(target(), "en", |_| true, drop).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::KeyringUnavailable);
    assert!(sandbox.control().requests().is_empty(), "explained before the browser opened");
    // At start-up with nothing saved the keyring is not asked; with a sign-in saved earlier (the
    // marker beside the journal says so) its absence is said, as at sign-in.
    assert_eq!(service.resume(|_| async { unreachable!() }).await.unwrap(), None);
    std::fs::write(folder.path().join("sign-in-saved"), "saved").unwrap();
    assert_eq!(service.resume(|_| async { unreachable!() }).await.unwrap_err().code, refused.code);
    std::fs::remove_file(folder.path().join("sign-in-saved")).unwrap();

    service.keep_sign_in_for_this_run();
    assert!(!service.remembers_sign_in());
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build();
    let browser = browser.unwrap();
    let profile = service
        .with_browser(
            target(),
            "en",
            |url| {
                let url = url.to_owned();
                tokio::spawn(async move { common::play_browser(&browser, &url, |l| l).await });
                true
            },
            drop,
        )
        .await
        .unwrap();
    assert_eq!(profile.admin.user_principal_name, common::ANNA);
    service.sign_out().await.unwrap();
}
