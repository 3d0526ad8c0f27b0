//! What the admin set on the Settings screen that is not about signing in (`preferences.json`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{config::write_json, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    /// Keep personal message bodies in the journal (on by default).
    pub keep_message_bodies: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { keep_message_bodies: true }
    }
}

impl Preferences {
    /// The saved preferences; none saved, or a damaged file, gives the defaults.
    pub fn load(path: &Path) -> Preferences {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(self, path: &Path) -> Result<(), AppError> {
        write_json(path, &self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_bodies_and_a_choice_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("preferences.json");
        assert!(Preferences::load(&path).keep_message_bodies);
        Preferences { keep_message_bodies: false }.save(&path).unwrap();
        assert!(!Preferences::load(&path).keep_message_bodies);
        std::fs::write(&path, "garbage").unwrap();
        assert_eq!(Preferences::load(&path), Preferences::default());
    }
}
