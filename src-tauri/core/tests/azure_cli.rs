//! "Use my Azure CLI sign-in" through `azure_identity::AzureCliCredential`, which runs `az` from
//! PATH. The `az` here is a script standing in for the real CLI's documented output (no network
//! reaches Microsoft from the test machine); everything after it is real: the credential, the
//! Graph client and the sample directory over HTTP. Its own test binary, as it changes PATH.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{os::unix::fs::PermissionsExt, path::Path};

use rehome_core::{
    cloud::Cloud,
    profile::{AdminRole, SignInMethod},
    sign_in::SignInService,
    ErrorCode,
};
use rehome_sandbox::{Sandbox, SandboxConfig};

fn install_az(dir: &Path, script: &str) {
    let az = dir.join("az");
    std::fs::write(
        &az,
        format!("#!/bin/sh\necho \"$@\" >> \"{}/args\"\n{script}\n", dir.display()),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
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
    std::env::set_var("PATH", format!("{}:/usr/bin:/bin", bin.path().display()));

    let missing = service.with_azure_cli(cloud.clone(), "organizations").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::AzureCliMissing, "{missing:?}");

    install_az(bin.path(), "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1");
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
            "printf '%s' '{{\"accessToken\":\"{token}\",\"expiresOn\":\"2099-01-01 00:00:00.000000\",\"expires_on\":4070908800,\"subscription\":\"s\",\"tenant\":\"t\",\"tokenType\":\"Bearer\"}}'"
        ),
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
