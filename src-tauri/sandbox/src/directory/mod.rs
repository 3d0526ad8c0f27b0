//! The sample organisation "Contoso (sample)": a deterministic directory (same seed, same
//! directory) whose users cover every case of Rehome's eligibility report. The table of cases is
//! in this crate's README.md; `cases.rs` is where each case is made, `staff.rs` the ordinary staff,
//! `licences.rs` the licences by service plan and `user.rs` a user as Graph describes it.

mod cases;
mod licences;
mod practice_batch;
mod staff;
mod user;

use serde_json::{json, Value};

use crate::ids::Ids;
use cases::{later_users, reverse_users, special_users};
pub use licences::MAILBOX_PLAN_IDS;
pub use practice_batch::{practice_batch_csv, PRACTICE_PARTNER_DOMAIN};
use staff::filler_users;
pub use user::*;

pub const TENANT_NAME: &str = "Contoso (sample)";
pub const DEFAULT_DOMAIN: &str = "contoso-sample.se";
pub const INITIAL_DOMAIN: &str = "contososample.onmicrosoft.com";
pub const SECOND_DOMAIN: &str = "contoso-sample.com";
pub const UNVERIFIED_DOMAIN: &str = "contoso-labs.se";
/// A verified domain whose sign-in is federated (AD FS): no cloud password, and not a domain a
/// cloud user's UPN may be moved into on the way back to internal (DOMAIN.md §3.2).
pub const FEDERATED_DOMAIN: &str = "contoso-sample.net";
/// Partner domains configured for SAML/WS-Fed IdP federation.
pub const SAML_DOMAIN: &str = "fjordpartners.no";
pub const WSFED_DOMAIN: &str = "tailspin-federated.com";
pub const FILLER_USERS: usize = 320;

#[derive(Debug, Clone)]
pub struct Domain {
    pub id: &'static str,
    pub is_default: bool,
    pub is_initial: bool,
    pub is_verified: bool,
    /// `Managed` (cloud sign-in) or `Federated` (another identity provider signs the domain in).
    pub authentication: &'static str,
}

#[derive(Debug, Clone)]
pub struct Federation {
    pub id: String,
    pub display_name: &'static str,
    pub issuer_uri: &'static str,
    pub passive_sign_in_uri: &'static str,
    pub protocol: &'static str,
    pub domain: &'static str,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub name: &'static str,
    pub description: &'static str,
    pub template_id: &'static str,
}

/// Built-in Entra roles (name, description, template id), as in "Microsoft Entra built-in roles".
pub const ROLES: &[(&str, &str, &str)] = &[
    ("User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
    ("Guest Inviter", "Can invite guest users independent of the 'members can invite guests' setting.", "95e79109-95c0-4d8e-aee3-d01accf2d47b"),
    ("Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators.", "729827e3-9c14-49f7-bb1b-9608f156bbb8"),
    ("Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", "62e90394-69f5-4237-9190-012177145e10"),
];

/// Roles added later: their object ids are drawn after the users', so older ids stay the same.
pub const MORE_ROLES: &[(&str, &str, &str)] = &[
    ("Directory Writers", "Can read and write basic directory information. For granting access to applications, not intended for users.", "9360feb5-f418-4baa-8175-e2a00bac4301"),
    ("External Identity Provider Administrator", "Can configure identity providers for use in direct federation.", "be2f45a1-457d-42af-a067-6ec1fa63bc45"),
    ("Global Reader", "Can read everything that a Global Administrator can, but not update anything.", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
];

/// The template id of the default member role "User": in every member's `wids`, never listed
/// as a directoryRole in memberOf.
pub const MEMBER_ROLE_TEMPLATE_ID: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// A group: mail-enabled (its addresses count for uniqueness) and/or role-assignable (its
/// members hold its roles, seen in transitiveMemberOf and `wids` but not in memberOf).
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub display_name: &'static str,
    pub description: &'static str,
    pub mail: Option<&'static str>,
    pub proxy_addresses: Vec<&'static str>,
    pub mail_enabled: bool,
    pub security_enabled: bool,
    pub is_assignable_to_role: bool,
    pub roles: Vec<&'static str>,
    /// Member user ids (UPNs are resolved when the directory is built).
    pub members: Vec<String>,
}

impl Group {
    pub fn to_graph(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "description": self.description,
            "mail": self.mail,
            "mailEnabled": self.mail_enabled,
            "mailNickname": self.display_name.split_whitespace().next().unwrap_or_default().to_lowercase(),
            "proxyAddresses": self.proxy_addresses,
            "securityEnabled": self.security_enabled,
            "isAssignableToRole": self.is_assignable_to_role,
            "groupTypes": [],
            "deletedDateTime": null,
        })
    }
}

/// An organisational contact (orgContact): an external address kept in the directory.
#[derive(Debug, Clone)]
pub struct Contact {
    pub id: String,
    pub display_name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub company_name: &'static str,
    pub mail: &'static str,
    pub proxy_addresses: Vec<&'static str>,
}

impl Contact {
    pub fn to_graph(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "givenName": self.given_name,
            "surname": self.surname,
            "companyName": self.company_name,
            "mail": self.mail,
            "mailNickname": self.mail.split('@').next().unwrap_or_default(),
            "proxyAddresses": self.proxy_addresses,
            "deletedDateTime": null,
        })
    }
}

pub const GROUP_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "mail",
    "mailEnabled",
    "mailNickname",
    "proxyAddresses",
    "securityEnabled",
    "isAssignableToRole",
    "groupTypes",
    "deletedDateTime",
];

pub const CONTACT_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "givenName",
    "surname",
    "companyName",
    "mail",
    "mailNickname",
    "proxyAddresses",
    "deletedDateTime",
];

/// SMTP addresses in a proxyAddresses list, lower-cased.
fn smtp_addresses<'a>(
    proxy: impl IntoIterator<Item = &'a str> + 'a,
) -> impl Iterator<Item = String> + 'a {
    proxy.into_iter().filter_map(|p| {
        p.split_once(':')
            .filter(|(kind, _)| kind.eq_ignore_ascii_case("smtp"))
            .map(|(_, a)| a.to_lowercase())
    })
}

#[derive(Debug, Clone)]
pub struct Directory {
    pub tenant_id: String,
    pub domains: Vec<Domain>,
    pub federations: Vec<Federation>,
    pub roles: Vec<Role>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub contacts: Vec<Contact>,
}

impl Directory {
    pub fn sample(seed: u64) -> Self {
        let mut ids = Ids::new(seed);
        let tenant_id = ids.uuid();
        let domain = |id, is_default, is_initial, is_verified, authentication| Domain {
            id,
            is_default,
            is_initial,
            is_verified,
            authentication,
        };
        let domains = vec![
            domain(DEFAULT_DOMAIN, true, false, true, "Managed"),
            domain(INITIAL_DOMAIN, false, true, true, "Managed"),
            domain(SECOND_DOMAIN, false, false, true, "Managed"),
            domain(UNVERIFIED_DOMAIN, false, false, false, "Managed"),
            domain(FEDERATED_DOMAIN, false, false, true, "Federated"),
        ];
        let federations = vec![
            Federation {
                id: ids.uuid(),
                display_name: "Fjord Partners",
                issuer_uri: "https://idp.fjordpartners.no/saml2",
                passive_sign_in_uri: "https://idp.fjordpartners.no/saml2/sso",
                protocol: "saml",
                domain: SAML_DOMAIN,
            },
            Federation {
                id: ids.uuid(),
                display_name: "Tailspin Toys",
                issuer_uri: "http://tailspin-federated.com/adfs/services/trust",
                passive_sign_in_uri: "https://tailspin-federated.com/adfs/ls/",
                protocol: "wsFed",
                domain: WSFED_DOMAIN,
            },
        ];
        let role = |ids: &mut Ids,
                    (name, description, template_id): &(
            &'static str,
            &'static str,
            &'static str,
        )| Role { id: ids.uuid(), name, description, template_id };
        let mut roles: Vec<Role> = ROLES.iter().map(|r| role(&mut ids, r)).collect();
        let mut users = special_users(&mut ids);
        let fillers = filler_users(&mut ids);
        // Objects added later draw their ids last, so the older ones keep theirs.
        users.extend(later_users(&mut ids));
        users.extend(fillers);
        roles.extend(MORE_ROLES.iter().map(|r| role(&mut ids, r)));
        let member =
            |upn: &str| users.iter().find(|u| u.user_principal_name == upn).map(|u| u.id.clone());
        let groups = vec![
            Group {
                id: ids.uuid(),
                display_name: "Identity admins (role-assignable)",
                description: "Holds the User Administrator role for its members.",
                mail: None,
                proxy_addresses: vec![],
                mail_enabled: false,
                security_enabled: true,
                is_assignable_to_role: true,
                roles: vec!["User Administrator"],
                members: member(&format!("ines.bergh@{DEFAULT_DOMAIN}")).into_iter().collect(),
            },
            Group {
                id: ids.uuid(),
                display_name: "Partner desk – Litware",
                description: "Shared inbox for the Litware partnership.",
                mail: Some("partnerdesk@litware.example"),
                proxy_addresses: vec![
                    "SMTP:partnerdesk@litware.example",
                    "smtp:partners@litware.example",
                    "smtp:Nora.Vik@litware.example",
                ],
                mail_enabled: true,
                security_enabled: false,
                is_assignable_to_role: false,
                roles: vec![],
                members: vec![],
            },
        ];
        let contacts = vec![Contact {
            id: ids.uuid(),
            display_name: "Pontus Hallberg (Proseware)",
            given_name: "Pontus",
            surname: "Hallberg",
            company_name: "Proseware",
            mail: "pontus.hallberg@proseware.example",
            proxy_addresses: vec!["SMTP:pontus.hallberg@proseware.example"],
        }];
        // The way back to internal (issue 16): drawn last, listed before the staff.
        let fillers = users.split_off(users.len() - FILLER_USERS);
        users.extend(reverse_users(&mut ids));
        users.extend(fillers);
        Directory { tenant_id, domains, federations, roles, users, groups, contacts }
    }

    /// Every role the user holds: direct, and through role-assignable groups.
    pub fn active_roles(&self, user_id: &str) -> Vec<&'static str> {
        let Some(user) = self.user(user_id) else { return vec![] };
        let mut roles = user.roles.clone();
        for group in self.groups.iter().filter(|g| g.members.contains(&user.id)) {
            for role in &group.roles {
                if !roles.contains(role) {
                    roles.push(role);
                }
            }
        }
        roles
    }

    /// Whether any object other than `except_user_id` answers to this address: users (UPN,
    /// mail, otherMails, proxyAddresses), groups and contacts (mail, proxyAddresses).
    pub fn address_taken(&self, address: &str, except_user_id: &str) -> bool {
        let address = address.to_lowercase();
        self.users.iter().any(|u| u.id != except_user_id && u.addresses().contains(&address))
            || self.groups.iter().any(|g| {
                g.mail.is_some_and(|m| m.eq_ignore_ascii_case(&address))
                    || smtp_addresses(g.proxy_addresses.iter().copied()).any(|a| a == address)
            })
            || self.contacts.iter().any(|c| {
                c.mail.eq_ignore_ascii_case(&address)
                    || smtp_addresses(c.proxy_addresses.iter().copied()).any(|a| a == address)
            })
    }

    pub fn is_verified_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d.is_verified && d.id.eq_ignore_ascii_case(domain))
    }

    /// A verified domain whose sign-in is federated.
    pub fn is_federated_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| {
            d.is_verified && d.authentication == "Federated" && d.id.eq_ignore_ascii_case(domain)
        })
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| {
            u.id.eq_ignore_ascii_case(id) || u.user_principal_name.eq_ignore_ascii_case(id)
        })
    }

    pub fn user_mut(&mut self, id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| {
            u.id.eq_ignore_ascii_case(id) || u.user_principal_name.eq_ignore_ascii_case(id)
        })
    }

    /// The admins a person can sign in as (on the sign-in page and in automatic mode).
    pub fn admins(&self) -> impl Iterator<Item = &User> {
        self.users.iter().filter(|u| u.case.is_some_and(|c| c.starts_with("admin")))
    }
}

/// The README's table: every sample user that shows a case (filler users left out).
pub fn case_table(directory: &Directory) -> String {
    let mut table = String::from(
        "| Display name | User principal name | Mail | What it shows |\n|---|---|---|---|\n",
    );
    for user in directory.users.iter().filter(|u| u.case.is_some()) {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            user.display_name,
            user.user_principal_name,
            user.mail.as_deref().map_or("–".to_owned(), |m| format!("`{m}`")),
            user.case.unwrap_or_default(),
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const BEGIN: &str = "<!-- sample users: generated by `REHOME_WRITE_README=1 cargo test -p rehome-sandbox`, do not edit -->\n";
    const END: &str = "<!-- end of sample users -->";

    #[test]
    fn the_readme_table_matches_the_directory() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let (before, rest) = readme.split_once(BEGIN).expect("README has the table's start marker");
        let (_, after) = rest.split_once(END).expect("README has the table's end marker");
        let current =
            format!("{before}{BEGIN}{}{END}{after}", case_table(&Directory::sample(2020)));
        if std::env::var_os("REHOME_WRITE_README").is_some() {
            std::fs::write(&path, current).unwrap();
        } else {
            assert!(current == readme, "src-tauri/sandbox/README.md's table is out of date: run REHOME_WRITE_README=1 cargo test -p rehome-sandbox");
        }
    }

    #[test]
    fn a_realistic_directory_with_every_case() {
        let directory = Directory::sample(2020);
        let cases = directory.users.iter().filter(|u| u.case.is_some()).count();
        assert!(cases >= 40 && directory.users.len() >= cases + FILLER_USERS, "{cases} case users");
        let ids: HashSet<_> = directory.users.iter().map(|u| &u.id).collect();
        let upns: HashSet<_> =
            directory.users.iter().map(|u| u.user_principal_name.to_lowercase()).collect();
        assert_eq!(
            (ids.len(), upns.len()),
            (directory.users.len(), directory.users.len()),
            "ids and UPNs are unique"
        );
        let has = |pred: &dyn Fn(&User) -> bool| directory.users.iter().any(pred);
        assert!(has(&|u| u.on_premises_user_principal_name.is_some()));
        assert!(has(&|u| u.on_premises_sync_enabled == Some(true)
            && u.on_premises_user_principal_name.is_none()));
        assert!(has(&|u| u.has_mailbox() && u.case.is_some()));
        assert!(has(&|u| !u.has_mailbox()
            && u.licenses
                .iter()
                .any(|l| l.plans.iter().any(|p| p.name == "EXCHANGE_S_FOUNDATION"))));
        assert!(has(&|u| !u.account_enabled));
        assert!(has(&|u| u.external_user_state.as_deref() == Some("Accepted") && u.is_member()));
        assert!(has(
            &|u| u.external_user_state.as_deref() == Some("PendingAcceptance") && !u.is_member()
        ));
        assert!(has(&|u| u.mail.as_deref().is_some_and(|m| m.ends_with(SAML_DOMAIN))));
        assert!(has(&|u| u.display_name.contains('Å') || u.display_name.contains('Ö')));
        assert!(directory.admins().any(|a| a.mail.is_none()), "an admin without a mailbox");
    }
}
