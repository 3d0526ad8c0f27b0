//! A sample user as Graph describes it (`to_graph`), with the properties Graph selects by default.

use serde_json::{json, Map, Value};

use super::{smtp_addresses, MAILBOX_PLAN_IDS};
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub sign_in_type: String,
    pub issuer: String,
    pub issuer_assigned_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServicePlan {
    pub id: &'static str,
    pub name: &'static str,
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct License {
    pub sku_id: &'static str,
    pub sku_part_number: &'static str,
    pub plans: Vec<ServicePlan>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub user_principal_name: String,
    pub mail: Option<String>,
    pub other_mails: Vec<String>,
    pub proxy_addresses: Vec<String>,
    pub user_type: String,
    pub account_enabled: bool,
    pub creation_type: Option<String>,
    pub on_premises_sync_enabled: Option<bool>,
    pub on_premises_immutable_id: Option<String>,
    pub on_premises_user_principal_name: Option<String>,
    pub external_user_state: Option<String>,
    pub external_user_state_change_date_time: Option<String>,
    /// When the account was converted from external to internal (beta
    /// `convertedToInternalUserDateTime`); such an account refuses a new invitation with 412.
    pub converted_to_internal_at: Option<String>,
    pub identities: Vec<Identity>,
    pub preferred_language: Option<String>,
    pub job_title: Option<String>,
    pub licenses: Vec<License>,
    /// Directory role names held (admins only).
    pub roles: Vec<&'static str>,
    /// Which eligibility case this sample user shows (README table); `None` for filler users.
    pub case: Option<&'static str>,
}

impl User {
    /// A cloud-only internal member with nothing else set; `issuer` is the domain it signs in with.
    pub fn blank(id: String, display_name: &str, upn: &str, issuer: &str) -> User {
        User {
            id,
            display_name: display_name.to_owned(),
            given_name: None,
            surname: None,
            user_principal_name: upn.to_owned(),
            mail: None,
            other_mails: vec![],
            proxy_addresses: vec![],
            user_type: "Member".into(),
            account_enabled: true,
            creation_type: None,
            on_premises_sync_enabled: None,
            on_premises_immutable_id: None,
            on_premises_user_principal_name: None,
            external_user_state: None,
            external_user_state_change_date_time: None,
            converted_to_internal_at: None,
            identities: vec![Identity {
                sign_in_type: "userPrincipalName".into(),
                issuer: issuer.to_owned(),
                issuer_assigned_id: Some(upn.to_owned()),
            }],
            preferred_language: None,
            job_title: None,
            licenses: vec![],
            roles: vec![],
            case: None,
        }
    }

    /// The Graph v1.0 user properties this emulator knows, as Graph spells them.
    pub fn to_graph(&self) -> Map<String, Value> {
        let identities: Vec<Value> = self
            .identities
            .iter()
            .map(|i| json!({ "signInType": i.sign_in_type, "issuer": i.issuer, "issuerAssignedId": i.issuer_assigned_id }))
            .collect();
        let assigned: Vec<Value> = self
            .licenses
            .iter()
            .map(|l| json!({ "disabledPlans": l.plans.iter().filter(|p| p.status == "Disabled").map(|p| p.id).collect::<Vec<_>>(), "skuId": l.sku_id }))
            .collect();
        let value = json!({
            "id": self.id,
            "displayName": self.display_name,
            "givenName": self.given_name,
            "surname": self.surname,
            "userPrincipalName": self.user_principal_name,
            "mail": self.mail,
            "otherMails": self.other_mails,
            "proxyAddresses": self.proxy_addresses,
            "userType": self.user_type,
            "accountEnabled": self.account_enabled,
            "creationType": self.creation_type,
            "onPremisesSyncEnabled": self.on_premises_sync_enabled,
            "onPremisesImmutableId": self.on_premises_immutable_id,
            "onPremisesUserPrincipalName": self.on_premises_user_principal_name,
            "externalUserState": self.external_user_state,
            "externalUserStateChangeDateTime": self.external_user_state_change_date_time,
            "identities": identities,
            "preferredLanguage": self.preferred_language,
            "jobTitle": self.job_title,
            "businessPhones": [],
            "mobilePhone": null,
            "officeLocation": null,
            "assignedLicenses": assigned,
        });
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// Every address this object answers to, lower-cased (for "already used by another object").
    pub fn addresses(&self) -> Vec<String> {
        let mut all = vec![self.user_principal_name.to_lowercase()];
        all.extend(self.mail.iter().map(|m| m.to_lowercase()));
        all.extend(self.other_mails.iter().map(|m| m.to_lowercase()));
        all.extend(smtp_addresses(self.proxy_addresses.iter().map(String::as_str)));
        all
    }

    /// An active Exchange Online mailbox plan, decided by service plan id (DOMAIN.md §4.3).
    pub fn has_mailbox(&self) -> bool {
        self.licenses
            .iter()
            .flat_map(|l| &l.plans)
            .any(|p| MAILBOX_PLAN_IDS.contains(&p.id) && p.status != "Disabled")
    }

    pub fn is_member(&self) -> bool {
        self.user_type == "Member"
    }

    /// Signs in with an identity the organisation does not manage (another Entra organisation,
    /// a Microsoft account, email one-time passcode, Google, a SAML/WS-Fed provider): what makes
    /// an account eligible for conversion to internal (DOMAIN.md §3.2).
    pub fn signs_in_externally(&self) -> bool {
        self.identities.iter().any(|i| i.sign_in_type == "federated")
    }
}

/// The Graph `user` properties `$select` may name.
pub const USER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "givenName",
    "surname",
    "userPrincipalName",
    "mail",
    "otherMails",
    "proxyAddresses",
    "userType",
    "accountEnabled",
    "creationType",
    "onPremisesSyncEnabled",
    "onPremisesImmutableId",
    "onPremisesUserPrincipalName",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "identities",
    "preferredLanguage",
    "jobTitle",
    "businessPhones",
    "mobilePhone",
    "officeLocation",
    "assignedLicenses",
];

/// What `GET /users` returns without `$select` (DOMAIN.md §4.1).
pub const DEFAULT_USER_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "id",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
];
