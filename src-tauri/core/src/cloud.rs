//! Where an organisation lives: the national clouds (DOMAIN.md §9.8) and the built-in sample
//! directory, and the sign-in target (cloud + tenant + application) validated before any network
//! call is made.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CloudId {
    Global,
    UsGov,
    UsGovDod,
    China,
    Sample,
}

impl CloudId {
    /// Where people sign in to their apps. US Government and 21Vianet are not published on
    /// Microsoft Learn (DOMAIN.md §11.9): these are the hosts Microsoft's own portals use, and the
    /// message step offers a custom landing page for organisations that use another.
    pub fn my_apps(self) -> &'static str {
        match self {
            CloudId::Global | CloudId::Sample => "https://myapps.microsoft.com",
            CloudId::UsGov | CloudId::UsGovDod => "https://myapps.microsoft.us",
            CloudId::China => "https://myapps.windowsazure.cn",
        }
    }

    /// Teams on the web (GCC High and DoD have their own; DOMAIN.md §11.9).
    pub fn teams(self) -> &'static str {
        match self {
            CloudId::Global | CloudId::Sample => "https://teams.microsoft.com",
            CloudId::UsGov => "https://gov.teams.microsoft.us",
            CloudId::UsGovDod => "https://dod.teams.microsoft.us",
            CloudId::China => "https://teams.microsoftonline.cn",
        }
    }

    /// `Connect-MgGraph -Environment` for a national cloud (`Get-MgEnvironment`); `None` for
    /// the global service, which is the default.
    pub fn powershell_environment(self) -> Option<&'static str> {
        match self {
            CloudId::Global | CloudId::Sample => None,
            CloudId::UsGov => Some("USGov"),
            CloudId::UsGovDod => Some("USGovDoD"),
            CloudId::China => Some("China"),
        }
    }
}

/// The endpoints of one cloud. For the sample directory both hosts are the local sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloud {
    pub id: CloudId,
    /// `https://login.microsoftonline.com`
    pub authority_host: String,
    /// `https://graph.microsoft.com` (Graph calls go to `{graph_host}/v1.0`).
    pub graph_host: String,
}

impl Cloud {
    pub fn microsoft(id: CloudId) -> Option<Cloud> {
        let (authority, graph) = match id {
            CloudId::Global => ("https://login.microsoftonline.com", "https://graph.microsoft.com"),
            CloudId::UsGov => ("https://login.microsoftonline.us", "https://graph.microsoft.us"),
            CloudId::UsGovDod => {
                ("https://login.microsoftonline.us", "https://dod-graph.microsoft.us")
            }
            CloudId::China => {
                ("https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn")
            }
            CloudId::Sample => return None,
        };
        Some(Cloud { id, authority_host: authority.into(), graph_host: graph.into() })
    }

    /// The sample directory at `base_url` (the in-process sandbox), which must be loopback.
    pub fn sample(base_url: &str) -> Result<Cloud, AppError> {
        let base = checked_endpoint(base_url)?;
        Ok(Cloud { id: CloudId::Sample, authority_host: base.clone(), graph_host: base })
    }

    pub fn graph_base(&self) -> String {
        format!("{}/v1.0", self.graph_host)
    }

    /// A delegated Graph permission in the form this cloud's token endpoint expects.
    pub fn scope(&self, permission: &str) -> String {
        format!("{}/{permission}", self.graph_host)
    }
}

/// `https` for everything, `http` only for a loopback host (the sandbox, the sign-in redirect).
pub fn checked_endpoint(url: &str) -> Result<String, AppError> {
    let parsed = url::Url::parse(url)
        .map_err(|_| AppError::invalid_input(format!("'{url}' is not a web address.")))?;
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(AppError::invalid_input(format!("'{url}' must use https."))),
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `organizations`, a tenant ID (GUID) or a domain name such as `contoso.onmicrosoft.com`.
pub fn checked_tenant(tenant: &str) -> Result<String, AppError> {
    let tenant = tenant.trim();
    let named = ["organizations", "common"].contains(&tenant.to_ascii_lowercase().as_str());
    if tenant.is_empty() || named || is_guid(tenant) || is_domain(tenant) {
        return Ok(if tenant.is_empty() { "organizations".to_owned() } else { tenant.to_owned() });
    }
    Err(AppError::new(
        ErrorCode::InvalidTenant,
        format!("'{tenant}' is neither a tenant ID nor a domain name."),
    ))
}

/// The application (client) ID of the organisation's app registration: a GUID.
pub fn checked_client_id(client_id: &str) -> Result<String, AppError> {
    let client_id = client_id.trim();
    if client_id.is_empty() {
        return Err(AppError::new(
            ErrorCode::ClientIdMissing,
            "No application (client) ID is set up.",
        ));
    }
    if is_guid(client_id) {
        Ok(client_id.to_ascii_lowercase())
    } else {
        Err(AppError::new(
            ErrorCode::InvalidClientId,
            format!("'{client_id}' is not an application (client) ID."),
        ))
    }
}

pub(crate) fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_cloud_endpoints() {
        let gov = Cloud::microsoft(CloudId::UsGov).unwrap();
        assert_eq!(gov.graph_base(), "https://graph.microsoft.us/v1.0");
        assert_eq!(gov.scope("User.Invite.All"), "https://graph.microsoft.us/User.Invite.All");
        assert_eq!(
            Cloud::microsoft(CloudId::UsGovDod).unwrap().authority_host,
            "https://login.microsoftonline.us"
        );
        assert_eq!(
            Cloud::microsoft(CloudId::China).unwrap().graph_host,
            "https://microsoftgraph.chinacloudapi.cn"
        );
        assert!(Cloud::microsoft(CloudId::Sample).is_none());
    }

    #[test]
    fn http_only_for_loopback() {
        assert_eq!(
            Cloud::sample("http://127.0.0.1:4000/").unwrap().graph_base(),
            "http://127.0.0.1:4000/v1.0"
        );
        assert!(Cloud::sample("http://localhost:4000").is_ok());
        assert!(Cloud::sample("http://sandbox.example:4000").is_err());
        assert!(checked_endpoint("ftp://127.0.0.1").is_err());
        assert!(checked_endpoint("https://login.microsoftonline.com").is_ok());
        assert!(checked_endpoint("not a url").is_err());
    }

    #[test]
    fn tenants() {
        assert_eq!(checked_tenant("").unwrap(), "organizations");
        assert_eq!(checked_tenant(" contoso.onmicrosoft.com ").unwrap(), "contoso.onmicrosoft.com");
        assert!(checked_tenant("72f988bf-86f1-41af-91ab-2d7cd011db47").is_ok());
        assert!(checked_tenant("Organizations").is_ok());
        for bad in
            ["contoso", "contoso..com", "-bad.com", "https://contoso.com", "a b.com", "contoso.123"]
        {
            assert_eq!(checked_tenant(bad).unwrap_err().code, ErrorCode::InvalidTenant, "{bad}");
        }
    }

    #[test]
    fn client_ids() {
        assert_eq!(
            checked_client_id("5A4DB0C5-0000-4000-8000-00000000F00D").unwrap(),
            "5a4db0c5-0000-4000-8000-00000000f00d"
        );
        assert_eq!(checked_client_id("  ").unwrap_err().code, ErrorCode::ClientIdMissing);
        for bad in [
            "5a4db0c5",
            "5a4db0c5-0000-4000-8000-00000000f00z",
            "{5a4db0c5-0000-4000-8000-00000000f00d}",
        ] {
            assert_eq!(
                checked_client_id(bad).unwrap_err().code,
                ErrorCode::InvalidClientId,
                "{bad}"
            );
        }
    }
}
