//! Which delegated Microsoft Graph permissions each of Rehome's features needs (DOMAIN.md §2.5,
//! §4.4, §8, §11.5, §11.6, §11.13), compared after sign-in with what Microsoft granted, so the
//! admin learns what is missing – and its fix, admin consent – before a feature fails.

use serde::Serialize;
use ts_rs::TS;

/// Asked for at every sign-in: without these nothing works. Everything else in `NEEDS` is
/// optional and arrives with the token when the organisation consented to it.
pub const REQUESTED: &[&str] = &["User.Read", "User.Invite.All", "User.ReadWrite.All"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Feature {
    /// The organisation's name and verified domains (`/organization`).
    ReadOrganisation,
    /// Searching and reviewing users.
    FindUsers,
    /// Sending the invitation (conversion, resend).
    Invite,
    /// Setting the email during a conversion, resetting redemption.
    ChangeUsers,
    /// Converting an external account back to internal (beta `convertExternalToInternalMemberUser`).
    ConvertToInternal,
    /// Whether the email's domain has SAML/WS-Fed federation (information only).
    CheckFederation,
    /// Whether a group already holds the email.
    CheckGroups,
    /// Whether an organisational contact already holds the email.
    CheckContacts,
}

/// A feature whose permission Microsoft did not grant, with the one to consent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PermissionGap {
    pub feature: Feature,
    pub permission: String,
}

struct Need {
    feature: Feature,
    /// Any of these is enough (least privileged first); the first is the one Rehome recommends.
    any_of: &'static [&'static str],
}

const NEEDS: &[Need] = &[
    Need {
        feature: Feature::ReadOrganisation,
        any_of: &["User.Read", "Directory.Read.All", "Directory.ReadWrite.All"],
    },
    Need {
        feature: Feature::FindUsers,
        any_of: &[
            "User.ReadWrite.All",
            "User.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ],
    },
    Need {
        feature: Feature::Invite,
        any_of: &["User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
    },
    Need {
        feature: Feature::ChangeUsers,
        any_of: &["User.ReadWrite.All", "Directory.ReadWrite.All"],
    },
    // User.ReadWrite.All, asked for at every sign-in, covers it, so the recommended registration
    // needs nothing more; User-ConvertToInternal.ReadWrite.All is the least privileged one
    // (user-convertexternaltointernalmemberuser, "Permissions").
    Need {
        feature: Feature::ConvertToInternal,
        any_of: &["User.ReadWrite.All", "User-ConvertToInternal.ReadWrite.All"],
    },
    Need {
        feature: Feature::CheckFederation,
        any_of: &["Domain.Read.All", "IdentityProvider.Read.All", "IdentityProvider.ReadWrite.All"],
    },
    Need {
        feature: Feature::CheckGroups,
        any_of: &[
            "GroupMember.Read.All",
            "Group.Read.All",
            "Group.ReadWrite.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ],
    },
    Need {
        feature: Feature::CheckContacts,
        any_of: &["OrgContact.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
    },
];

/// Every delegated permission of the recommended app registration, for the registration help.
pub fn recommended() -> Vec<&'static str> {
    let mut all: Vec<&str> = REQUESTED.to_vec();
    for need in NEEDS {
        if !need.any_of.iter().any(|p| all.contains(p)) {
            all.push(need.any_of[0]);
        }
    }
    all
}

/// The features the granted scopes do not cover. Scopes may come as full URIs
/// (`https://graph.microsoft.us/User.Read`) or short names; both are compared by name.
pub fn gaps(granted: &[String]) -> Vec<PermissionGap> {
    let names: Vec<&str> = granted.iter().map(|s| s.rsplit('/').next().unwrap_or(s)).collect();
    NEEDS
        .iter()
        .filter(|need| !need.any_of.iter().any(|p| names.iter().any(|n| n.eq_ignore_ascii_case(p))))
        .map(|need| PermissionGap { feature: need.feature, permission: need.any_of[0].to_owned() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(scopes: &str) -> Vec<String> {
        scopes.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_recommended_registration_leaves_no_gap() {
        let all: Vec<String> =
            recommended().iter().map(|p| format!("https://graph.microsoft.com/{p}")).collect();
        assert_eq!(gaps(&all), []);
        assert_eq!(
            recommended(),
            [
                "User.Read",
                "User.Invite.All",
                "User.ReadWrite.All",
                "Domain.Read.All",
                "GroupMember.Read.All",
                "OrgContact.Read.All"
            ]
        );
    }

    #[test]
    fn each_missing_permission_names_its_feature_and_fix() {
        let only_required = granted(
            "https://graph.microsoft.us/User.Read https://graph.microsoft.us/User.Invite.All \
             https://graph.microsoft.us/user.readwrite.all openid profile offline_access",
        );
        let features: Vec<Feature> = gaps(&only_required).iter().map(|g| g.feature).collect();
        assert_eq!(
            features,
            [Feature::CheckFederation, Feature::CheckGroups, Feature::CheckContacts]
        );
        // The way back to internal needs one of two; without either it is a gap of its own.
        let least = granted("User.Read User.Invite.All User-ConvertToInternal.ReadWrite.All");
        assert!(!gaps(&least).iter().any(|g| g.feature == Feature::ConvertToInternal));
        let without = gaps(&granted("User.Read User.Invite.All Directory.ReadWrite.All"));
        let gap = without.iter().find(|g| g.feature == Feature::ConvertToInternal).unwrap();
        assert_eq!(gap.permission, "User.ReadWrite.All");
        // A broader permission covers the narrower need – except the way back to internal, whose
        // page lists only its own permission and User.ReadWrite.All.
        let broad: Vec<Feature> = gaps(&granted("Directory.ReadWrite.All Domain.Read.All"))
            .iter()
            .map(|g| g.feature)
            .collect();
        assert_eq!(broad, [Feature::ConvertToInternal]);
        let nothing = gaps(&[]);
        assert_eq!(nothing.len(), NEEDS.len());
        assert_eq!(nothing[1].permission, "User.ReadWrite.All");
    }
}
