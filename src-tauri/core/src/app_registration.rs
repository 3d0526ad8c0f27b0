//! What an organisation registers so Rehome can sign in (DOMAIN.md §9.7, §11): a public client,
//! platform "Mobile and desktop applications", redirect `http://localhost` (exactly what the
//! sign-in sends, plus a port the platform ignores), public client flows off unless someone needs
//! the device code (Microsoft recommends blocking that flow with Conditional Access, §9.6),
//! the groups claim with directory roles (so the ID token says which roles the admin holds), and
//! the delegated Graph permissions, each with why it is needed. All of it fits the portal's
//! ordinary forms; the manifest fragment is there for those who prefer it.

use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

/// Microsoft Graph's application ID, the same in every cloud.
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    /// `User.ReadWrite.All`; the UI explains it under `appRegistration.why.<name>`.
    pub name: String,
    pub id: String,
    pub admin_consent: bool,
    /// Sign-in works without it; only the check that needs it says it could not check.
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppRegistration {
    pub redirect_uri: String,
    pub permissions: Vec<Permission>,
    /// To paste into the app registration's manifest editor.
    pub manifest: String,
}

/// (name, delegated permission ID, needs admin consent, optional); the IDs are Microsoft Graph's
/// (microsoft-graph-docs-contrib, concepts/includes/permissions-ids.md).
const PERMISSIONS: &[(&str, &str, bool, bool)] = &[
    ("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", false, false),
    ("User.ReadWrite.All", "204e0828-b5ca-4ad8-b9f3-f32a958e7cc4", true, false),
    ("User.Invite.All", "63dd7cd9-b489-4adf-a28c-ac38b9a0f962", true, false),
    ("Domain.Read.All", "2f9ee017-59c1-4f1d-9472-bd5529a7b311", true, true),
    ("GroupMember.Read.All", "bc024368-1153-4739-b217-4326f2e966d0", true, true),
    ("OrgContact.Read.All", "08432d1b-5911-483c-86df-7980af5cdee0", true, true),
    ("openid", "37f7f235-527c-4136-accd-4a02d197296e", false, false),
    ("profile", "14dad69e-099b-42c9-810b-d002981feec1", false, false),
    ("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", false, false),
];

pub fn app_registration() -> AppRegistration {
    let permissions: Vec<Permission> = PERMISSIONS
        .iter()
        .map(|(name, id, admin_consent, optional)| Permission {
            name: (*name).to_owned(),
            id: (*id).to_owned(),
            admin_consent: *admin_consent,
            optional: *optional,
        })
        .collect();
    let manifest = json!({
        "signInAudience": "AzureADMyOrg",
        // Device code stays off unless the organisation opts in (the help says how and why).
        "isFallbackPublicClient": false,
        "publicClient": { "redirectUris": ["http://localhost"] },
        "groupMembershipClaims": "DirectoryRole",
        "requiredResourceAccess": [{
            "resourceAppId": GRAPH_APP_ID,
            "resourceAccess": permissions.iter()
                .map(|p| json!({ "id": p.id, "type": "Scope" }))
                .collect::<Vec<_>>(),
        }],
    });
    AppRegistration {
        redirect_uri: "http://localhost".into(),
        permissions,
        manifest: serde_json::to_string_pretty(&manifest).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_fragment_is_valid_json_with_every_permission() {
        let registration = app_registration();
        let manifest: serde_json::Value = serde_json::from_str(&registration.manifest).unwrap();
        assert_eq!(manifest["isFallbackPublicClient"], false, "device code is opt-in");
        assert_eq!(manifest["publicClient"]["redirectUris"][0], "http://localhost");
        let access = manifest["requiredResourceAccess"][0]["resourceAccess"].as_array().unwrap();
        assert_eq!(access.len(), registration.permissions.len());
        assert_eq!(manifest["groupMembershipClaims"], "DirectoryRole");
        // Every scope Rehome asks for at sign-in, and every optional one a feature uses, is in the
        // registration; the optional ones are marked so.
        let cloud = crate::cloud::Cloud::microsoft(crate::cloud::CloudId::Global).unwrap();
        for scope in crate::auth::default_scopes(&cloud) {
            let name = scope.rsplit('/').next().unwrap();
            let permission = registration.permissions.iter().find(|p| p.name == name);
            assert!(permission.is_some_and(|p| !p.optional), "{name}");
        }
        for name in crate::permissions::recommended() {
            let permission = registration.permissions.iter().find(|p| p.name == name);
            let requested = crate::permissions::REQUESTED.contains(&name);
            assert!(permission.is_some_and(|p| p.optional != requested), "{name}");
        }
    }
}
