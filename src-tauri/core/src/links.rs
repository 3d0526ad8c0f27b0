//! Where the app may take the admin: the window shows only Rehome's own pages, and a link out
//! (Teams, My Apps, Microsoft's help) opens in the system browser only when its host is one of
//! Microsoft's that Rehome links to – never anything a server answer or a message could smuggle in.

use url::Url;

use crate::{AppError, ErrorCode};

/// Hosts Rehome links to, in every cloud (DOMAIN.md §9.8, §11.9).
const EXTERNAL_HOSTS: &[&str] = &[
    "teams.microsoft.com",
    "gov.teams.microsoft.us",
    "dod.teams.microsoft.us",
    "teams.microsoftonline.cn",
    "myapps.microsoft.com",
    "myapps.microsoft.us",
    "myapps.windowsazure.cn",
    "entra.microsoft.com",
    "portal.azure.com",
    "portal.azure.us",
    "portal.azure.cn",
    "learn.microsoft.com",
];

/// `url` when it may be opened in the system browser.
pub fn external(url: &str) -> Result<Url, AppError> {
    let parsed = Url::parse(url).ok().filter(|u| {
        u.scheme() == "https" && u.host_str().is_some_and(|h| EXTERNAL_HOSTS.contains(&h))
    });
    parsed.ok_or_else(|| {
        AppError::new(ErrorCode::InvalidInput, format!("Rehome does not open '{url}'."))
    })
}

/// Whether the window may navigate to `url`: Rehome's own pages only (the bundled UI, and the
/// development server when there is one).
pub fn navigation_allowed(url: &Url, dev_server: Option<&Url>) -> bool {
    let own = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    own || dev_server.is_some_and(|dev| dev.origin() == url.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_microsofts_hosts_rehome_links_to_open_outside() {
        assert!(external("https://teams.microsoft.com/?tenantId=t-1").is_ok());
        assert!(external("https://gov.teams.microsoft.us/?tenantId=t-1").is_ok());
        for refused in [
            "http://teams.microsoft.com/",
            "https://teams.microsoft.com.evil.example/",
            "https://evil.example/?teams.microsoft.com",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert_eq!(external(refused).unwrap_err().code, ErrorCode::InvalidInput, "{refused}");
        }
    }

    #[test]
    fn the_window_stays_on_rehomes_own_pages() {
        let url = |u: &str| Url::parse(u).unwrap();
        let dev = url("http://localhost:1420");
        assert!(navigation_allowed(&url("tauri://localhost/index.html"), None));
        assert!(navigation_allowed(&url("http://tauri.localhost/"), None));
        assert!(navigation_allowed(&url("http://localhost:1420/src/main.tsx"), Some(&dev)));
        for refused in [
            "http://localhost:1420/",
            "https://teams.microsoft.com/",
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            "tauri://evil/",
            "file:///etc/passwd",
        ] {
            assert!(!navigation_allowed(&url(refused), None), "{refused}");
        }
    }
}
