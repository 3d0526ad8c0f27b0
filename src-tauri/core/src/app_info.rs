//! Facts about this build of Rehome, shown in the UI and attached to support requests.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// `debug` or `release`.
    pub build_profile: String,
    /// The operating system, e.g. `linux`, `windows`, `macos`.
    pub os: String,
    /// The Tauri version the shell was built with.
    pub shell_version: String,
    /// The operating system's language setting as a BCP 47 tag (`sv-SE`), when it has one.
    /// Read here because webviews report it inconsistently (WebKitGTK often says `en-US`).
    pub system_locale: Option<String>,
}

impl AppInfo {
    /// `shell_version` comes from the shell, which is the only part that knows Tauri.
    pub fn current(version: &str, shell_version: &str) -> Self {
        Self {
            name: "Rehome".to_owned(),
            version: version.to_owned(),
            build_profile: if cfg!(debug_assertions) { "debug" } else { "release" }.to_owned(),
            os: std::env::consts::OS.to_owned(),
            shell_version: shell_version.to_owned(),
            system_locale: sys_locale::get_locale(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_versions_it_is_given_and_this_platform() {
        let info = AppInfo::current("1.2.3", "2.9.9");
        assert_eq!((info.version.as_str(), info.shell_version.as_str()), ("1.2.3", "2.9.9"));
        assert_eq!(info.os, std::env::consts::OS);
        assert_eq!(info.system_locale, sys_locale::get_locale());
    }
}
