//! Who signed in and what they can do here: the admin, the organisation, the directory roles and
//! the mailbox, read in one `$batch`, and the "What you can do" panel derived from them
//! (DOMAIN.md §2.5, §2.6, §11.1, §11.7).
//!
//! Roles are advice, never a gate: Microsoft decides, and its refusal is translated. They come
//! from the ID token's `wids` claim when the app registration asks for it; otherwise from
//! `transitiveMemberOf`, which without a role-reading permission lists each role with only its
//! type and id – then Rehome says it cannot tell, rather than "no roles".

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{cloud::CloudId, graph::GraphClient, permissions::PermissionGap, AppError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub admin: Admin,
    pub organisation: Organisation,
    pub cloud: CloudId,
    pub method: SignInMethod,
    /// The admin's directory roles that matter to Rehome, most capable first (empty when
    /// `roles_from` is `Unknown`).
    pub roles: Vec<AdminRole>,
    pub roles_from: RolesSource,
    pub capabilities: Vec<Capability>,
    /// Features whose permission Microsoft did not grant; `None` when the sign-in does not say
    /// (Azure CLI).
    pub missing_permissions: Option<Vec<PermissionGap>>,
}

impl Profile {
    /// The organisation invitations are sent in.
    pub fn tenant(&self) -> crate::invitation::Tenant {
        crate::invitation::Tenant { id: self.organisation.tenant_id.clone(), cloud: self.cloud }
    }
}

/// Where the roles were read, or that they could not be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RolesSource {
    /// The `wids` claim of the ID token.
    SignIn,
    /// `transitiveMemberOf` in Microsoft Graph.
    Directory,
    /// Neither could tell (no role-reading permission, or the read failed).
    Unknown,
}

/// What the sign-in itself told about the admin, beside the tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInFacts {
    /// The token response's `scope`; `None` when the method does not give it (Azure CLI).
    pub granted_scopes: Option<Vec<String>>,
    /// The ID token's `wids`; `None` when it had none.
    pub role_template_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Admin {
    pub display_name: String,
    pub user_principal_name: String,
    /// Without one, personal messages in invitations are dropped by the service.
    #[ts(optional)]
    pub mail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub display_name: String,
    pub tenant_id: String,
    /// The default verified domain, e.g. `contoso.com`.
    #[ts(optional)]
    pub default_domain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    Browser,
    DeviceCode,
    AzureCli,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AdminRole {
    GlobalAdministrator,
    UserAdministrator,
    DirectoryWriters,
    HelpdeskAdministrator,
    GuestInviter,
    /// Reads SAML/WS-Fed federation settings (DOMAIN.md §11.5).
    ExternalIdentityProviderAdministrator,
    GlobalReader,
}

impl AdminRole {
    /// Entra's built-in role template IDs (the same in every tenant and cloud).
    fn from_template_id(id: &str) -> Option<AdminRole> {
        match id.to_ascii_lowercase().as_str() {
            "62e90394-69f5-4237-9190-012177145e10" => Some(AdminRole::GlobalAdministrator),
            "fe930be7-5e62-47db-91af-98c3a49a38b1" => Some(AdminRole::UserAdministrator),
            "9360feb5-f418-4baa-8175-e2a00bac4301" => Some(AdminRole::DirectoryWriters),
            "729827e3-9c14-49f7-bb1b-9608f156bbb8" => Some(AdminRole::HelpdeskAdministrator),
            "95e79109-95c0-4d8e-aee3-d01accf2d47b" => Some(AdminRole::GuestInviter),
            "be2f45a1-457d-42af-a067-6ec1fa63bc45" => {
                Some(AdminRole::ExternalIdentityProviderAdministrator)
            }
            "f2ef992c-3afb-46b9-b7cf-a126ee74c451" => Some(AdminRole::GlobalReader),
            _ => None,
        }
    }
}

/// One line of the "What you can do" panel; the UI words each in the admin's language. Advice
/// only: nothing is refused because of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Capability {
    /// User Administrator or Global Administrator: convert, resend, reset redemption.
    ConvertUsers,
    /// None of the inviting roles: Microsoft will most likely refuse; the admin may still try.
    ConvertLikelyRefused,
    /// Guest Inviter or Directory Writers invite guests; converting members is documented for
    /// User Administrator, so Microsoft may refuse.
    ConvertMayBeRefused,
    ResendInvitations,
    ResetRedemption,
    /// No email address on the admin's account: personal messages will be dropped.
    PersonalMessageDropped,
    /// The roles could not be read: Microsoft decides when the admin tries.
    RolesUnknown,
}

/// What these roles and this mailbox allow, in the order the panel shows them.
pub fn capabilities(roles: Option<&[AdminRole]>, has_mailbox: bool) -> Vec<Capability> {
    let mut lines = Vec::new();
    match roles {
        None => lines.push(Capability::RolesUnknown),
        Some(roles) => {
            let has = |role| roles.contains(&role);
            let full = has(AdminRole::GlobalAdministrator) || has(AdminRole::UserAdministrator);
            let inviter = has(AdminRole::GuestInviter) || has(AdminRole::DirectoryWriters);
            if full {
                lines.push(Capability::ConvertUsers);
            } else if inviter {
                lines.push(Capability::ConvertMayBeRefused);
            } else {
                lines.push(Capability::ConvertLikelyRefused);
            }
            if full || inviter {
                lines.push(Capability::ResendInvitations);
            }
            if full || has(AdminRole::HelpdeskAdministrator) {
                lines.push(Capability::ResetRedemption);
            }
        }
    }
    if !has_mailbox {
        lines.push(Capability::PersonalMessageDropped);
    }
    lines
}

/// The admin's directory roles, those held through groups too. The OData cast on
/// transitiveMemberOf is an advanced query: `$count=true` and `ConsistencyLevel: eventual`.
const ROLES_PATH: &str = "/me/transitiveMemberOf/microsoft.graph.directoryRole?$count=true";

/// Reads the admin, their roles (unless the sign-in told them) and the organisation in one
/// round trip; a second page of roles, should there be one, costs one more.
pub async fn load(
    graph: &GraphClient,
    cloud: CloudId,
    method: SignInMethod,
    facts: SignInFacts,
) -> Result<Profile, AppError> {
    let mut requests = vec![
        ("me", "/me?$select=id,displayName,userPrincipalName,mail"),
        ("organisation", "/organization?$select=id,displayName,verifiedDomains"),
    ];
    if facts.role_template_ids.is_none() {
        requests.push(("roles", ROLES_PATH));
    }
    let mut answers = graph.batch_get(&requests).await?;
    let mut take = |id: &str| answers.remove(id).unwrap_or_else(|| Err(missing()));
    let me = take("me")?;
    let organisation = take("organisation")?;
    let (roles, roles_from) = match &facts.role_template_ids {
        Some(ids) => (Some(known_roles(ids.iter().map(String::as_str))), RolesSource::SignIn),
        // Without a role-reading permission the rest still works; the panel says so.
        None => match take("roles") {
            Ok(first) => match roles_in_pages(graph, first).await {
                Some(roles) => (Some(roles), RolesSource::Directory),
                None => (None, RolesSource::Unknown),
            },
            Err(_) => (None, RolesSource::Unknown),
        },
    };
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let admin = Admin {
        display_name: text(&me["displayName"]).unwrap_or_default(),
        user_principal_name: text(&me["userPrincipalName"]).ok_or_else(missing)?,
        mail: text(&me["mail"]).filter(|mail| !mail.trim().is_empty()),
    };
    let org = &organisation["value"][0];
    let organisation = Organisation {
        display_name: text(&org["displayName"]).unwrap_or_default(),
        tenant_id: text(&org["id"]).ok_or_else(missing)?,
        default_domain: org["verifiedDomains"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["isDefault"] == true)
            .and_then(|d| text(&d["name"])),
    };
    let capabilities = capabilities(roles.as_deref(), admin.mail.is_some());
    Ok(Profile {
        admin,
        organisation,
        cloud,
        method,
        roles: roles.unwrap_or_default(),
        roles_from,
        capabilities,
        missing_permissions: facts.granted_scopes.as_deref().map(crate::permissions::gaps),
    })
}

fn known_roles<'a>(template_ids: impl Iterator<Item = &'a str>) -> Vec<AdminRole> {
    let mut roles: Vec<AdminRole> = template_ids.filter_map(AdminRole::from_template_id).collect();
    roles.sort();
    roles.dedup();
    roles
}

/// The roles on every page, or `None` when Graph hid which roles they are (limited information:
/// each role with only its type and id) or a page could not be read.
async fn roles_in_pages(graph: &GraphClient, first: Value) -> Option<Vec<AdminRole>> {
    let mut template_ids = vec![];
    let mut page = first;
    loop {
        for role in page["value"].as_array()? {
            template_ids.push(role["roleTemplateId"].as_str()?.to_owned());
        }
        match page["@odata.nextLink"].as_str() {
            Some(next) => page = graph.get_next_page(next).await.ok()?,
            None => return Some(known_roles(template_ids.iter().map(String::as_str))),
        }
    }
}

fn missing() -> AppError {
    AppError::new(
        ErrorCode::UnexpectedResponse,
        "Microsoft Graph's answer about the signed-in account was incomplete.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use AdminRole::*;
    use Capability::*;

    #[test]
    fn the_panel_follows_roles_and_mailbox() {
        assert_eq!(
            capabilities(Some(&[UserAdministrator]), true),
            [ConvertUsers, ResendInvitations, ResetRedemption]
        );
        assert_eq!(
            capabilities(Some(&[GlobalAdministrator]), false),
            [ConvertUsers, ResendInvitations, ResetRedemption, PersonalMessageDropped]
        );
        assert_eq!(
            capabilities(Some(&[GuestInviter]), true),
            [ConvertMayBeRefused, ResendInvitations]
        );
        assert_eq!(
            capabilities(Some(&[DirectoryWriters]), true),
            [ConvertMayBeRefused, ResendInvitations]
        );
        assert_eq!(
            capabilities(Some(&[HelpdeskAdministrator]), true),
            [ConvertLikelyRefused, ResetRedemption]
        );
        assert_eq!(capabilities(Some(&[]), true), [ConvertLikelyRefused]);
        assert_eq!(capabilities(None, false), [RolesUnknown, PersonalMessageDropped]);
    }

    #[test]
    fn only_known_roles_count_once_each() {
        let ids = [
            "95e79109-95c0-4d8e-aee3-d01accf2d47b",
            "FE930BE7-5E62-47DB-91AF-98C3A49A38B1",
            "fe930be7-5e62-47db-91af-98c3a49a38b1",
            // The default member role every member's `wids` carries, and an unknown one.
            "b79fbf4d-3ef9-4689-8143-76b194e85509",
            "00000000-0000-0000-0000-000000000000",
        ];
        assert_eq!(known_roles(ids.into_iter()), [UserAdministrator, GuestInviter]);
    }
}
