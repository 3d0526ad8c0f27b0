//! The three ways to sign in all end as an `azure_core` `TokenCredential`, so the Graph client
//! does not care which one the admin chose: a `Session` (browser or device code) and the
//! Azure CLI's own sign-in.

use std::sync::Arc;

use azure_core::{
    credentials::{AccessToken, TokenCredential, TokenRequestOptions},
    error::ErrorKind,
    time::{Duration, OffsetDateTime},
};
use azure_identity::{AzureCliCredential, AzureCliCredentialOptions};

use super::Session;
use crate::{cloud::Cloud, AppError, ErrorCode};

#[async_trait::async_trait]
impl TokenCredential for Session {
    /// The session's own scopes are used; Graph's `.default` asks for no more than those.
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let (token, valid_for) = self.access_token_with_lifetime().await.map_err(into_azure)?;
        let expires_on = OffsetDateTime::now_utc()
            + Duration::seconds(i64::try_from(valid_for.as_secs()).unwrap_or(0));
        Ok(AccessToken::new(token.expose().to_owned(), expires_on))
    }
}

/// The Azure CLI's sign-in (`az login`) for this cloud and tenant.
pub fn azure_cli(tenant: &str) -> Result<Arc<dyn TokenCredential>, AppError> {
    let tenant_id = match tenant {
        "organizations" | "common" => None,
        other => Some(other.to_owned()),
    };
    let options = AzureCliCredentialOptions { tenant_id, ..Default::default() };
    let credential: Arc<dyn TokenCredential> =
        AzureCliCredential::new(Some(options)).map_err(|e| from_azure(&e))?;
    Ok(credential)
}

/// On Windows, `az` is looked for on PATH first, as `cmd` looks (PATHEXT): `cmd` says "not
/// recognized" in the system's language, and azure_identity knows only the English words, so on
/// a Swedish Windows a missing CLI would otherwise be an unexplained failure.
#[cfg(windows)]
pub async fn require_azure_cli() -> Result<(), AppError> {
    crate::blocking::run("Azure CLI lookup", || {
        let extensions = std::env::var("PATHEXT").unwrap_or_else(|_| ".COM;.EXE;.BAT;.CMD".into());
        let found = std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| {
                let mut names = extensions.split(';').filter(|ext| !ext.is_empty());
                names.any(|ext| dir.join(format!("az{ext}")).is_file())
            })
        });
        found.then_some(()).ok_or_else(azure_cli_missing)
    })
    .await
}

/// The scope a token for Microsoft Graph in this cloud is asked for with.
pub fn graph_default_scope(cloud: &Cloud) -> String {
    format!("{}/.default", cloud.graph_host)
}

/// Keeps Rehome's own error inside an `azure_core` error, so it comes back out unchanged.
fn into_azure(error: AppError) -> azure_core::Error {
    let message = error.message.clone();
    azure_core::Error::with_error(ErrorKind::Credential, error, message)
}

/// A credential's failure as the admin should read it: Rehome's own errors unchanged, the Azure
/// CLI's told apart (not installed, not signed in) from the rest.
pub fn from_azure(error: &azure_core::Error) -> AppError {
    if let Some(own) = error.downcast_ref::<AppError>() {
        return own.clone();
    }
    let text = error.to_string();
    let lower = text.to_lowercase();
    if lower.contains("az not found") || lower.contains("wasn't found on path") {
        azure_cli_missing()
    } else if lower.contains("az login") || lower.contains("please run 'az login'") {
        AppError::new(ErrorCode::AzureCliSignedOut, "The Azure CLI is not signed in.")
    } else {
        AppError::new(ErrorCode::SignInFailed, first_line(&text))
    }
}

fn azure_cli_missing() -> AppError {
    AppError::new(ErrorCode::AzureCliMissing, "The Azure CLI (az) is not installed.")
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}
