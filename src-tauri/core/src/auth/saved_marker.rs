//! A file beside the OS keyring that says only *that* a sign-in was saved there, never what. At
//! start-up Rehome reads it instead of asking the keyring (a D-Bus round trip, on some desktops
//! an unlock prompt), so with nothing saved the start screen shows at once. A sign-in saved by
//! a Rehome without this file is not resumed; the next sign-in writes it.

use std::path::{Path, PathBuf};

use super::{StoredSignIn, TokenStore};
use crate::{private_files, AppError};

pub struct SavedMarker<S> {
    store: S,
    marker: PathBuf,
}

impl<S: TokenStore> SavedMarker<S> {
    pub fn new(store: S, marker: &Path) -> Self {
        SavedMarker { store, marker: marker.to_owned() }
    }
}

const TEXT: &str =
    "Rehome saved a sign-in in the OS keyring. Without this file it is not resumed.\n";

impl<S: TokenStore> TokenStore for SavedMarker<S> {
    /// Always the store itself: an interactive sign-in reads it to learn that the keyring works.
    fn load(&self) -> Result<Option<StoredSignIn>, AppError> {
        self.store.load()
    }

    fn save(&self, sign_in: &StoredSignIn) -> Result<(), AppError> {
        self.store.save(sign_in)?;
        let write = || -> std::io::Result<()> {
            if let Some(dir) = self.marker.parent() {
                private_files::create_dir(dir)?;
            }
            std::io::Write::write_all(
                &mut private_files::create_file(&self.marker)?,
                TEXT.as_bytes(),
            )
        };
        write().map_err(|e| {
            AppError::internal(format!("{} could not be written: {e}", self.marker.display()))
        })
    }

    fn delete(&self) -> Result<(), AppError> {
        self.store.delete()?;
        match std::fs::remove_file(&self.marker) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(AppError::internal(format!(
                "{} could not be removed: {e}",
                self.marker.display()
            ))),
            _ => Ok(()),
        }
    }

    fn surely_empty(&self) -> bool {
        !self.marker.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        auth::{MemoryStore, Secret},
        cloud::CloudId,
    };

    fn anna() -> StoredSignIn {
        StoredSignIn {
            cloud: CloudId::Sample,
            tenant: "organizations".into(),
            client_id: "client".into(),
            username: "anna@contoso-sample.se".into(),
            display_name: "Anna".into(),
            tenant_id: "t-1".into(),
            refresh_token: Secret::new("refresh"),
        }
    }

    #[test]
    fn the_marker_follows_saves_and_deletes_and_reads_still_reach_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("data/sign-in-saved");
        let store = SavedMarker::new(MemoryStore::default(), &marker);
        assert!(store.surely_empty(), "nothing saved yet");

        store.save(&anna()).unwrap();
        assert!(!store.surely_empty());
        assert_eq!(store.load().unwrap(), Some(anna()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&marker).unwrap().permissions().mode() & 0o777, 0o600);
        }

        store.delete().unwrap();
        assert!(store.surely_empty());
        assert_eq!(store.load().unwrap(), None);
        store.delete().unwrap(); // nothing to delete is not an error

        // A marker that is gone does not hide what the store holds from a plain read.
        store.save(&anna()).unwrap();
        std::fs::remove_file(&marker).unwrap();
        assert!(store.surely_empty());
        assert_eq!(store.load().unwrap(), Some(anna()));
    }

    /// A keyring that fails when asked, as a missing Secret Service does.
    struct Unavailable;

    impl TokenStore for Unavailable {
        fn load(&self) -> Result<Option<StoredSignIn>, AppError> {
            Err(AppError::new(crate::ErrorCode::KeyringUnavailable, "the keyring was asked"))
        }
        fn save(&self, _: &StoredSignIn) -> Result<(), AppError> {
            self.load().map(drop)
        }
        fn delete(&self) -> Result<(), AppError> {
            self.load().map(drop)
        }
    }

    #[tokio::test]
    async fn resume_asks_the_keyring_only_when_the_marker_says_something_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("sign-in-saved");
        let keyring = std::sync::Arc::new(SavedMarker::new(Unavailable, &marker));
        let service = crate::sign_in::SignInService::with_store(reqwest::Client::new(), keyring);
        let no_cloud = |_| async { Err(AppError::internal("no cloud needed")) };

        assert_eq!(service.resume(no_cloud).await.unwrap(), None, "nothing saved");
        std::fs::write(&marker, TEXT).unwrap();
        let asked = service.resume(no_cloud).await.unwrap_err();
        assert_eq!(asked.code, crate::ErrorCode::KeyringUnavailable, "{asked:?}");
    }
}
