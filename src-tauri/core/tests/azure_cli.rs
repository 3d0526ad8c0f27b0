//! "Use my Azure CLI sign-in" through `azure_identity::AzureCliCredential`, which runs `az` from
//! PATH. The `az` here is a script standing in for the real CLI's documented output (no network
//! reaches Microsoft from the test machine); everything after it is real: the credential, the
//! Graph client and the sample directory over HTTP. Its own test binary, as it changes PATH.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use rehome_core::{
    cloud::Cloud,
    profile::{AdminRole, SignInMethod},
    sign_in::SignInService,
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig};

/// An `az` that notes its arguments, prints `stdout` and `stderr`, and exits with `code`.
#[cfg(unix)]
fn install_az(dir: &Path, stdout: &str, stderr: &str, code: u8) {
    use std::os::unix::fs::PermissionsExt;
    let az = dir.join("az");
    let script = format!(
        "#!/bin/sh\necho \"$@\" >> \"{}/args\"\nprintf '%s' '{stdout}'\nprintf '%s' \"{stderr}\" >&2\nexit {code}\n",
        dir.display()
    );
    std::fs::write(&az, script).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The same as a batch file: Windows' `cmd` finds `az.cmd` on PATH, as it finds the real CLI's.
#[cfg(windows)]
fn install_az(dir: &Path, stdout: &str, stderr: &str, code: u8) {
    let echo = |text: &str, to: &str| match text {
        "" => String::new(),
        text => format!("echo {text}{to}\r\n"),
    };
    let script = format!(
        "@echo off\r\necho %* >> \"{}\\args\"\r\n{}{}exit /b {code}\r\n",
        dir.display(),
        echo(stdout, ""),
        echo(stderr, " 1>&2")
    );
    std::fs::write(dir.join("az.cmd"), script).unwrap();
}

/// PATH with only `bin` and the system's own commands (no real `az`).
fn path_with(bin: &Path) -> String {
    if cfg!(windows) {
        let system = std::env::var("SystemRoot").unwrap();
        format!(r"{};{system}\system32;{system}", bin.display())
    } else {
        format!("{}:/usr/bin:/bin", bin.display())
    }
}

#[tokio::test]
async fn azure_cli_missing_signed_out_and_signed_in() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let cloud = Cloud::sample(sandbox.base_url()).unwrap();
    let service = SignInService::with_store(
        reqwest::Client::new(),
        std::sync::Arc::new(rehome_core::auth::MemoryStore::default()),
    );
    let bin = tempfile::tempdir().unwrap();
    std::env::set_var("PATH", path_with(bin.path()));

    let missing = service.with_azure_cli(cloud.clone(), "organizations").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::AzureCliMissing, "{missing:?}");

    install_az(bin.path(), "", "ERROR: Please run 'az login' to setup account.", 1);
    let signed_out = service.with_azure_cli(cloud.clone(), "organizations").await.unwrap_err();
    assert_eq!(signed_out.code, ErrorCode::AzureCliSignedOut, "{signed_out:?}");

    let token = sandbox
        .control()
        .access_token(
            "anna.lindqvist@contoso-sample.se",
            // The Azure CLI's app holds Directory.AccessAsUser.All, which reads roles.
            &["User.ReadWrite.All", "User.Invite.All", "Directory.AccessAsUser.All"],
        )
        .unwrap();
    install_az(
        bin.path(),
        &format!(
            "{{\"accessToken\":\"{token}\",\"expiresOn\":\"2099-01-01 00:00:00.000000\",\"expires_on\":4070908800,\"subscription\":\"s\",\"tenant\":\"t\",\"tokenType\":\"Bearer\"}}"
        ),
        "",
        0,
    );
    let tenant = sandbox.control().tenant_id();
    let profile = service.with_azure_cli(cloud.clone(), &tenant).await.unwrap();
    assert_eq!(profile.method, SignInMethod::AzureCli);
    assert_eq!(profile.roles, [AdminRole::UserAdministrator]);
    let args = std::fs::read_to_string(bin.path().join("args")).unwrap();
    let last = args.lines().last().unwrap();
    assert!(
        last.contains(&format!("--scope {}/.default", cloud.graph_host)),
        "Graph of the chosen cloud: {last}"
    );
    assert!(last.contains(&format!("--tenant {tenant}")), "{last}");

    // Nothing of the Azure CLI's sign-in is stored by Rehome.
    service.sign_out().await.unwrap();
    assert_eq!(service.profile().await, None);
}
