//! Who signed in and what they can do here: the admin, the organisation, the directory roles and
//! the mailbox, read in one `$batch`, and the "What you can do" panel derived from them
//! (DOMAIN.md §2.5, §2.6).

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{cloud::CloudId, graph::GraphClient, AppError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub admin: Admin,
    pub organisation: Organisation,
    pub cloud: CloudId,
    pub method: SignInMethod,
    /// The admin's directory roles that matter to Rehome, most capable first.
    pub roles: Vec<AdminRole>,
    pub capabilities: Vec<Capability>,
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
    HelpdeskAdministrator,
    GuestInviter,
}

impl AdminRole {
    fn from_template_id(id: &str) -> Option<AdminRole> {
        match id {
            "62e90394-69f5-4237-9190-012177145e10" => Some(AdminRole::GlobalAdministrator),
            "fe930be7-5e62-47db-91af-98c3a49a38b1" => Some(AdminRole::UserAdministrator),
            "729827e3-9c14-49f7-bb1b-9608f156bbb8" => Some(AdminRole::HelpdeskAdministrator),
            "95e79109-95c0-4d8e-aee3-d01accf2d47b" => Some(AdminRole::GuestInviter),
            _ => None,
        }
    }
}

/// One line of the "What you can do" panel; the UI words each in the admin's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Capability {
    /// User Administrator or Global Administrator: convert, resend, reset redemption.
    ConvertUsers,
    /// Neither of those: converting will be refused.
    CannotConvert,
    /// Guest Inviter alone invites new guests but is not enough to convert existing users.
    GuestInviterCannotConvert,
    ResendInvitations,
    ResetRedemption,
    /// No email address on the admin's account: personal messages will be dropped.
    PersonalMessageDropped,
    /// The roles could not be read (no permission): what is allowed shows when trying.
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
            if full {
                lines.push(Capability::ConvertUsers);
            } else if has(AdminRole::GuestInviter) {
                lines.push(Capability::GuestInviterCannotConvert);
            } else {
                lines.push(Capability::CannotConvert);
            }
            if full || has(AdminRole::GuestInviter) {
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

/// Reads the admin, their roles and the organisation in one round trip.
pub async fn load(
    graph: &GraphClient,
    cloud: CloudId,
    method: SignInMethod,
) -> Result<Profile, AppError> {
    let mut answers = graph
        .batch_get(&[
            ("me", "/me?$select=id,displayName,userPrincipalName,mail"),
            ("roles", "/me/memberOf?$select=id,displayName,roleTemplateId"),
            ("organisation", "/organization?$select=id,displayName,verifiedDomains"),
        ])
        .await?;
    let mut take = |id: &str| answers.remove(id).unwrap_or_else(|| Err(missing()));
    let me = take("me")?;
    let organisation = take("organisation")?;
    // Without permission to read memberOf the rest still works; the panel says so.
    let roles = take("roles").ok().map(|body| roles_from(&body));
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
        capabilities,
    })
}

fn roles_from(body: &Value) -> Vec<AdminRole> {
    let mut roles: Vec<AdminRole> = body["value"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|object| object["roleTemplateId"].as_str())
        .filter_map(AdminRole::from_template_id)
        .collect();
    roles.sort();
    roles.dedup();
    roles
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
            [GuestInviterCannotConvert, ResendInvitations]
        );
        assert_eq!(
            capabilities(Some(&[HelpdeskAdministrator]), true),
            [CannotConvert, ResetRedemption]
        );
        assert_eq!(capabilities(Some(&[]), true), [CannotConvert]);
        assert_eq!(capabilities(None, false), [RolesUnknown, PersonalMessageDropped]);
    }

    #[test]
    fn only_known_roles_count_once_each() {
        let body = serde_json::json!({"value": [
            {"@odata.type": "#microsoft.graph.group", "id": "g"},
            {"roleTemplateId": "95e79109-95c0-4d8e-aee3-d01accf2d47b"},
            {"roleTemplateId": "fe930be7-5e62-47db-91af-98c3a49a38b1"},
            {"roleTemplateId": "fe930be7-5e62-47db-91af-98c3a49a38b1"},
            {"roleTemplateId": "00000000-0000-0000-0000-000000000000"},
        ]});
        assert_eq!(roles_from(&body), [UserAdministrator, GuestInviter]);
    }
}
