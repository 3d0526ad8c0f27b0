//! What the checks look at: the user, licences and addresses as Graph returned them, and what
//! is known about the signed-in admin. Each read that can fail on its own stays a `Result`.

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use crate::{
    profile::{Capability, Profile},
    AppError,
};

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub sign_in_type: Option<String>,
    pub issuer: Option<String>,
}

/// The reviewed account, as Graph describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewedUser {
    pub id: String,
    pub display_name: String,
    pub user_principal_name: String,
    pub mail: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub other_mails: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub proxy_addresses: Vec<String>,
    pub user_type: Option<String>,
    pub account_enabled: Option<bool>,
    pub creation_type: Option<String>,
    pub external_user_state: Option<String>,
    pub external_user_state_change_date_time: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub identities: Vec<Identity>,
    pub on_premises_sync_enabled: Option<bool>,
    pub on_premises_user_principal_name: Option<String>,
    pub preferred_language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlan {
    pub service_plan_id: String,
    pub service_plan_name: Option<String>,
    pub provisioning_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseDetail {
    pub sku_part_number: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub service_plans: Vec<ServicePlan>,
}

/// Exchange Online plans that give the account a mailbox, by service plan ID (DOMAIN.md §4.3):
/// names are not reliable (`EXCHANGE_S_FOUNDATION` and `MIP_S_Exchange` are not mailboxes).
const MAILBOX_PLANS: &[(&str, &str)] = &[
    ("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "Exchange Online (Plan 1)"),
    ("efb87545-963c-4e0d-99df-69c6916d9eb0", "Exchange Online (Plan 2)"),
    ("4a82b400-a79f-41a4-b4e2-e94f5787b113", "Exchange Online Kiosk"),
    ("1126bef5-da20-4f07-b45e-ad25d2581aa8", "Exchange Essentials"),
    ("90927877-dcff-4af6-b346-2332c0b15bb7", "Exchange Online POP"),
    ("e9b4930a-925f-45e2-ac2a-3f7788ca6fdd", "Exchange Online (Plan 1) for Government"),
    ("8c3069c0-ccdb-44be-ab77-986203a67df2", "Exchange Online (Plan 2) for Government"),
    ("176a09a6-7ec5-4039-ac02-b2791c6ba793", "Exchange Online Archiving"),
];

/// The first active mailbox plan: (friendly plan name, the licence it comes with).
pub fn mailbox_plan(licenses: &[LicenseDetail]) -> Option<(&'static str, String)> {
    licenses.iter().find_map(|license| {
        license.service_plans.iter().find_map(|plan| {
            let active = plan.provisioning_status.as_deref() != Some("Disabled");
            let (_, name) = MAILBOX_PLANS
                .iter()
                .find(|(id, _)| id.eq_ignore_ascii_case(&plan.service_plan_id))?;
            active.then(|| (*name, license.sku_part_number.clone().unwrap_or_default()))
        })
    })
}

/// A SAML/WS-Fed federation set up for the email's domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Federation {
    pub display_name: String,
    pub protocol: String,
}

/// Another directory object that already uses the address.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherObject {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
}

/// Who else holds the address, each kind read on its own.
#[derive(Debug, Clone)]
pub struct AddressHolders {
    pub users: Result<Vec<OtherObject>, AppError>,
    pub groups: Result<Vec<OtherObject>, AppError>,
    pub contacts: Result<Vec<OtherObject>, AppError>,
}

/// What is known about the signed-in admin from sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminFacts {
    /// `None` when the roles could not be read.
    pub can_convert: Option<bool>,
    pub has_mailbox: bool,
}

impl AdminFacts {
    pub fn of(profile: &Profile) -> AdminFacts {
        let has = |c| profile.capabilities.contains(&c);
        AdminFacts {
            can_convert: (!has(Capability::RolesUnknown)).then(|| has(Capability::ConvertUsers)),
            has_mailbox: profile.admin.mail.is_some(),
        }
    }
}

/// Everything the checks look at. Each read that can fail on its own is a `Result`, so a missing
/// permission makes only its own check say "could not check".
#[derive(Debug, Clone)]
pub struct Facts {
    pub user: ReviewedUser,
    pub licenses: Result<Vec<LicenseDetail>, AppError>,
    pub verified_domains: Result<Vec<String>, AppError>,
    /// The address under review (trimmed), if one is chosen.
    pub email: Option<String>,
    /// Read only for an address that can be used.
    pub federation: Option<Result<Option<Federation>, AppError>>,
    /// Users, groups and contacts holding the address: proxy addresses are unique across all
    /// three (DOMAIN.md §11.6). Groups and contacts need permissions of their own.
    pub others_using_email: Option<AddressHolders>,
    pub admin: AdminFacts,
}
