//! Where a sign-in survives a restart: the refresh token and what it belongs to, in the OS
//! keyring (Secret Service on Linux, Credential Manager on Windows, Keychain on macOS), one entry
//! per app identifier, so test builds never touch a real user's entry. When the keyring cannot be
//! used the caller may keep the sign-in in memory for this run (`MemoryStore`): never a file.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::Secret;
use crate::{cloud::CloudId, AppError, ErrorCode};

/// A sign-in to come back to. The refresh token is replaced on every refresh (rotation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignIn {
    pub cloud: CloudId,
    pub tenant: String,
    pub client_id: String,
    pub username: String,
    pub display_name: String,
    pub tenant_id: String,
    pub refresh_token: Secret,
}

pub trait TokenStore: Send + Sync {
    fn load(&self) -> Result<Option<StoredSignIn>, AppError>;
    fn save(&self, sign_in: &StoredSignIn) -> Result<(), AppError>;
    /// Succeeds when there is nothing to delete.
    fn delete(&self) -> Result<(), AppError>;
    /// True when the store knows, without reading, that it holds no sign-in (`SavedMarker`).
    fn surely_empty(&self) -> bool {
        false
    }
}

/// Runs `work` with the store off the async runtime's threads (`blocking::run`): the OS keyring is
/// a blocking service (D-Bus, Credential Manager, Keychain), and never called while a lock on the
/// tokens is held.
pub async fn off_thread<T: Send + 'static>(
    store: &Arc<dyn TokenStore>,
    work: impl FnOnce(&dyn TokenStore) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let store = store.clone();
    crate::blocking::run("keyring", move || work(&*store)).await
}

/// The keyring entry's contents. The only place a refresh token is serialised, and only into
/// the OS keyring.
#[derive(Serialize, Deserialize)]
struct Entry {
    cloud: CloudId,
    tenant: String,
    client_id: String,
    username: String,
    display_name: String,
    tenant_id: String,
    refresh_token: String,
}

fn to_entry(sign_in: &StoredSignIn) -> Result<String, AppError> {
    serde_json::to_string(&Entry {
        cloud: sign_in.cloud,
        tenant: sign_in.tenant.clone(),
        client_id: sign_in.client_id.clone(),
        username: sign_in.username.clone(),
        display_name: sign_in.display_name.clone(),
        tenant_id: sign_in.tenant_id.clone(),
        refresh_token: sign_in.refresh_token.expose().to_owned(),
    })
    .map_err(|e| AppError::internal(format!("sign-in could not be prepared for the keyring: {e}")))
}

fn from_entry(text: &str) -> Option<StoredSignIn> {
    let entry: Entry = serde_json::from_str(text).ok()?;
    Some(StoredSignIn {
        cloud: entry.cloud,
        tenant: entry.tenant,
        client_id: entry.client_id,
        username: entry.username,
        display_name: entry.display_name,
        tenant_id: entry.tenant_id,
        refresh_token: Secret::new(entry.refresh_token),
    })
}

pub struct KeyringStore {
    service: String,
}

const ACCOUNT: &str = "sign-in";

impl KeyringStore {
    /// `service` is the app identifier, e.g. `se.rehome.desktop` (a test build has its own).
    pub fn new(service: &str) -> Self {
        KeyringStore { service: service.to_owned() }
    }
}

fn unavailable(error: keyring::Error) -> AppError {
    AppError::new(ErrorCode::KeyringUnavailable, format!("The OS keyring cannot be used: {error}"))
}

impl TokenStore for KeyringStore {
    fn load(&self) -> Result<Option<StoredSignIn>, AppError> {
        match self.read() {
            // An entry that cannot be read back is treated as no sign-in; it is replaced on save.
            Ok(text) => Ok(from_entry(&text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    fn save(&self, sign_in: &StoredSignIn) -> Result<(), AppError> {
        self.write(&to_entry(sign_in)?).map_err(unavailable)
    }

    fn delete(&self) -> Result<(), AppError> {
        match self.remove() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        }
    }
}

/// Secret Service and Keychain: one entry holds it all.
#[cfg(not(windows))]
impl KeyringStore {
    fn entry(&self) -> keyring::Result<keyring::Entry> {
        keyring::Entry::new(&self.service, ACCOUNT)
    }

    fn read(&self) -> keyring::Result<String> {
        self.entry()?.get_password()
    }

    fn write(&self, text: &str) -> keyring::Result<()> {
        self.entry()?.set_password(text)
    }

    fn remove(&self) -> keyring::Result<()> {
        self.entry()?.delete_credential()
    }
}

/// Credential Manager keeps at most 2,560 bytes in a credential, and keyring stores a password
/// as UTF-16 – 1,280 characters, less than an Entra refresh token alone often is. So on Windows
/// the entry is UTF-8 bytes split over credentials `sign-in.1`, `sign-in.2`, …, and `sign-in`
/// holds how many there are, written last. Each is "Local": this computer only, never roamed
/// with the Windows profile to other machines.
#[cfg(windows)]
impl KeyringStore {
    const PART_BYTES: usize = 2560;

    fn entry(&self, account: &str) -> keyring::Result<keyring_core::Entry> {
        // keyring's v1 `Entry::new` sets up Credential Manager as the store on first use.
        keyring::Entry::new(&self.service, account)?;
        let local = std::collections::HashMap::from([("persistence", "Local")]);
        keyring_core::Entry::new_with_modifiers(&self.service, account, &local)
    }

    fn part(&self, n: usize) -> keyring::Result<keyring_core::Entry> {
        self.entry(&format!("{ACCOUNT}.{n}"))
    }

    /// A missing part reads as `NoEntry` (no sign-in); a torn entry as text that does not parse.
    fn read(&self) -> keyring::Result<String> {
        let count: usize = self.entry(ACCOUNT)?.get_password()?.parse().unwrap_or(0);
        let mut bytes = Vec::new();
        for n in 1..=count {
            bytes.extend(self.part(n)?.get_secret()?);
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn write(&self, text: &str) -> keyring::Result<()> {
        let parts: Vec<&[u8]> = text.as_bytes().chunks(Self::PART_BYTES).collect();
        for (n, part) in parts.iter().enumerate() {
            self.part(n + 1)?.set_secret(part)?;
        }
        self.entry(ACCOUNT)?.set_password(&parts.len().to_string())?;
        self.remove_parts_from(parts.len() + 1)
    }

    fn remove(&self) -> keyring::Result<()> {
        let removed = self.entry(ACCOUNT)?.delete_credential();
        self.remove_parts_from(1)?;
        removed
    }

    /// Parts left over from a longer entry, up to the first one that is not there.
    fn remove_parts_from(&self, first: usize) -> keyring::Result<()> {
        for n in first.. {
            match self.part(n)?.delete_credential() {
                Err(keyring::Error::NoEntry) => break,
                other => other?,
            }
        }
        Ok(())
    }
}

/// For this run only (the keyring was unavailable and the admin chose to go on), and for tests.
#[derive(Default)]
pub struct MemoryStore {
    sign_in: Mutex<Option<StoredSignIn>>,
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Result<Option<StoredSignIn>, AppError> {
        Ok(self.sign_in.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn save(&self, sign_in: &StoredSignIn) -> Result<(), AppError> {
        *self.sign_in.lock().unwrap_or_else(|p| p.into_inner()) = Some(sign_in.clone());
        Ok(())
    }

    fn delete(&self) -> Result<(), AppError> {
        *self.sign_in.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_round_trips_and_garbage_reads_as_no_sign_in() {
        let sign_in = StoredSignIn {
            cloud: CloudId::UsGov,
            tenant: "contoso.onmicrosoft.us".into(),
            client_id: "5a4db0c5-0000-4000-8000-00000000f00d".into(),
            username: "anna@contoso.us".into(),
            display_name: "Anna Lindqvist".into(),
            tenant_id: "0e8a8bbf-cc1a-42d8-9d42-963f5e5dceaa".into(),
            refresh_token: Secret::new("0.AXoA-refresh"),
        };
        assert_eq!(from_entry(&to_entry(&sign_in).unwrap()), Some(sign_in.clone()));
        assert_eq!(from_entry("not json"), None);
        assert!(!format!("{sign_in:?}").contains("0.AXoA-refresh"), "Debug never shows the token");
        let memory = MemoryStore::default();
        memory.save(&sign_in).unwrap();
        assert_eq!(memory.load().unwrap(), Some(sign_in));
        memory.delete().unwrap();
        memory.delete().unwrap();
        assert_eq!(memory.load().unwrap(), None);
    }
}
