//! A signed-in session: the access token in memory only, the refresh token in the `TokenStore`,
//! replaced there on every refresh (rotation). Resuming on start is a silent refresh.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::Mutex;

use super::{off_thread, Account, OAuthClient, Secret, StoredSignIn, TokenSet, TokenStore};
use crate::{AppError, ErrorCode};

/// Refresh this long before the access token expires, so a request never starts with a token
/// about to lapse.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

pub struct Session {
    client: OAuthClient,
    scopes: Vec<String>,
    /// What Microsoft granted at sign-in (the token response's `scope`).
    granted: Vec<String>,
    store: Arc<dyn TokenStore>,
    account: Account,
    tokens: Mutex<Tokens>,
}

struct Tokens {
    access: Secret,
    expires_at: Instant,
    refresh: Secret,
}

impl Session {
    /// After an interactive sign-in: keep the tokens and remember the sign-in.
    pub async fn start(
        client: OAuthClient,
        scopes: Vec<String>,
        store: Arc<dyn TokenStore>,
        tokens: TokenSet,
    ) -> Result<Session, AppError> {
        let account = tokens.account.clone().ok_or_else(|| {
            AppError::new(ErrorCode::SignInFailed, "The sign-in returned no account.")
        })?;
        let refresh = tokens.refresh_token.ok_or_else(|| {
            AppError::new(
                ErrorCode::SignInFailed,
                "The sign-in returned no refresh token (offline_access).",
            )
        })?;
        Session::begin(
            client,
            scopes,
            tokens.scopes,
            store,
            account,
            Tokens::new(tokens.access_token, tokens.expires_in, refresh),
        )
        .await
    }

    /// On start: a stored sign-in for this target is refreshed silently. `Ok(None)` when there is
    /// none; `SessionExpired` (and the entry removed) when it can no longer be used.
    pub async fn resume(
        client: OAuthClient,
        scopes: Vec<String>,
        store: Arc<dyn TokenStore>,
    ) -> Result<Option<Session>, AppError> {
        let Some(stored) = off_thread(&store, |s| s.load()).await? else { return Ok(None) };
        let target = client.target();
        if stored.cloud != target.cloud.id
            || stored.client_id != target.client_id
            || stored.tenant != target.tenant
        {
            return Ok(None);
        }
        let tokens = match client.refresh(&stored.refresh_token, &scopes).await {
            Ok(tokens) => tokens,
            Err(error) => {
                if error.code == ErrorCode::SessionExpired {
                    off_thread(&store, |s| s.delete()).await?;
                }
                return Err(error);
            }
        };
        let account = Account {
            name: stored.display_name,
            username: stored.username,
            tenant_id: stored.tenant_id,
            object_id: String::new(),
            role_template_ids: None,
        };
        let refresh = tokens.refresh_token.unwrap_or(stored.refresh_token);
        let account = tokens.account.unwrap_or(account);
        Session::begin(
            client,
            scopes,
            tokens.scopes,
            store,
            account,
            Tokens::new(tokens.access_token, tokens.expires_in, refresh),
        )
        .await
        .map(Some)
    }

    /// Stores the sign-in (with its current refresh token), then holds the tokens in memory.
    async fn begin(
        client: OAuthClient,
        scopes: Vec<String>,
        granted: Vec<String>,
        store: Arc<dyn TokenStore>,
        account: Account,
        tokens: Tokens,
    ) -> Result<Session, AppError> {
        let stored = stored_sign_in(&client, &account, tokens.refresh.clone());
        off_thread(&store, move |s| s.save(&stored)).await?;
        Ok(Session { client, scopes, granted, store, account, tokens: Mutex::new(tokens) })
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// The permissions Microsoft granted, as its token response listed them.
    pub fn granted_scopes(&self) -> &[String] {
        &self.granted
    }

    pub fn cloud(&self) -> &crate::cloud::Cloud {
        &self.client.target().cloud
    }

    /// A valid access token, refreshed (and the rotated refresh token stored) when due.
    pub async fn access_token(&self) -> Result<Secret, AppError> {
        Ok(self.access_token_with_lifetime().await?.0)
    }

    /// The access token and how long it stays valid. The rotated refresh token is stored after
    /// the lock on the tokens is released: the keyring never holds up another request.
    pub async fn access_token_with_lifetime(&self) -> Result<(Secret, Duration), AppError> {
        let (access, valid_for, rotated) = {
            let mut tokens = self.tokens.lock().await;
            if Instant::now() + REFRESH_MARGIN < tokens.expires_at {
                return Ok((tokens.access.clone(), tokens.valid_for()));
            }
            let fresh = self.client.refresh(&tokens.refresh, &self.scopes).await?;
            if let Some(rotated) = &fresh.refresh_token {
                tokens.refresh = rotated.clone();
            }
            tokens.access = fresh.access_token;
            tokens.expires_at = Instant::now() + fresh.expires_in;
            (tokens.access.clone(), tokens.valid_for(), fresh.refresh_token)
        };
        if let Some(rotated) = rotated {
            let stored = stored_sign_in(&self.client, &self.account, rotated);
            off_thread(&self.store, move |s| s.save(&stored)).await?;
        }
        Ok((access, valid_for))
    }

    /// Forgets the sign-in: the stored entry is removed, the tokens dropped with the session.
    pub async fn sign_out(self) -> Result<(), AppError> {
        off_thread(&self.store, |s| s.delete()).await
    }
}

impl Tokens {
    fn new(access: Secret, expires_in: Duration, refresh: Secret) -> Tokens {
        Tokens { access, expires_at: Instant::now() + expires_in, refresh }
    }

    fn valid_for(&self) -> Duration {
        self.expires_at.saturating_duration_since(Instant::now())
    }
}

impl std::fmt::Debug for Session {
    /// Who is signed in, never a token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("account", &self.account).finish_non_exhaustive()
    }
}

fn stored_sign_in(client: &OAuthClient, account: &Account, refresh_token: Secret) -> StoredSignIn {
    let target = client.target();
    StoredSignIn {
        cloud: target.cloud.id,
        tenant: target.tenant.clone(),
        client_id: target.client_id.clone(),
        username: account.username.clone(),
        display_name: account.name.clone(),
        tenant_id: account.tenant_id.clone(),
        refresh_token,
    }
}
