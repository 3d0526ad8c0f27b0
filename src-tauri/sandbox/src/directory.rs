//! The sample organisation "Contoso (sample)": a deterministic directory (same seed, same
//! directory) whose users cover every case of Rehome's eligibility report. The table of cases is
//! in this crate's README.md; `special_users()` is where each case is made.

use serde_json::{json, Map, Value};

use crate::ids::Ids;

pub const TENANT_NAME: &str = "Contoso (sample)";
pub const DEFAULT_DOMAIN: &str = "contoso-sample.se";
pub const INITIAL_DOMAIN: &str = "contososample.onmicrosoft.com";
pub const SECOND_DOMAIN: &str = "contoso-sample.com";
pub const UNVERIFIED_DOMAIN: &str = "contoso-labs.se";
/// Partner domains configured for SAML/WS-Fed IdP federation.
pub const SAML_DOMAIN: &str = "fjordpartners.no";
pub const WSFED_DOMAIN: &str = "tailspin-federated.com";
pub const FILLER_USERS: usize = 320;

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

// Service plans (licensing-service-plan-reference). Only the mailbox plans count as mailboxes.
const EXO_P1: (&str, &str) = ("9aaf7827-d63c-4b61-89c3-182f06f82e5c", "EXCHANGE_S_STANDARD");
const EXO_P2: (&str, &str) = ("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE");
const EXO_KIOSK: (&str, &str) = ("4a82b400-a79f-41a4-b4e2-e94f5787b113", "EXCHANGE_S_DESKLESS");
const EXO_FOUNDATION: (&str, &str) =
    ("113feb6c-3fe4-4440-bddc-54d774bf0318", "EXCHANGE_S_FOUNDATION");
const MIP_EXCHANGE: (&str, &str) = ("cd31b152-6326-4d1b-ae1b-997b625182e6", "MIP_S_Exchange");
const SHAREPOINT: (&str, &str) = ("5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE");
const TEAMS: (&str, &str) = ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
const POWER_BI: (&str, &str) = ("70d33638-9c74-4d01-bfd3-562de28bd4ba", "BI_AZURE_P2");
const VISIO: (&str, &str) = ("663a804f-1c30-4ff0-9915-9db84f0d1cea", "VISIO_CLIENT_SUBSCRIPTION");

pub const MAILBOX_PLAN_IDS: &[&str] = &[
    EXO_P1.0,
    EXO_P2.0,
    EXO_KIOSK.0,
    "1126bef5-da20-4f07-b45e-ad25d2581aa8", // EXCHANGE_S_ESSENTIALS
    "90927877-dcff-4af6-b346-2332c0b15bb7", // EXCHANGE_B_STANDARD
    "e9b4930a-925f-45e2-ac2a-3f7788ca6fdd", // EXCHANGE_S_STANDARD_GOV
    "8c3069c0-ccdb-44be-ab77-986203a67df2", // EXCHANGE_S_ENTERPRISE_GOV
];

fn plan((id, name): (&'static str, &'static str)) -> ServicePlan {
    ServicePlan { id, name, status: "Success" }
}

fn disabled((id, name): (&'static str, &'static str)) -> ServicePlan {
    ServicePlan { id, name, status: "Disabled" }
}

fn office_e3(exchange_enabled: bool) -> License {
    License {
        sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
        sku_part_number: "ENTERPRISEPACK",
        plans: vec![
            if exchange_enabled { plan(EXO_P2) } else { disabled(EXO_P2) },
            plan(SHAREPOINT),
            plan(TEAMS),
            plan(MIP_EXCHANGE),
        ],
    }
}

fn exchange_plan_1() -> License {
    License {
        sku_id: "4b9405b0-7788-4568-add1-99614e613b69",
        sku_part_number: "EXCHANGESTANDARD",
        plans: vec![plan(EXO_P1)],
    }
}

fn exchange_kiosk() -> License {
    License {
        sku_id: "80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82",
        sku_part_number: "EXCHANGEDESKLESS",
        plans: vec![plan(EXO_KIOSK)],
    }
}

fn m365_f3() -> License {
    License {
        sku_id: "66b55226-6b4f-492c-910c-a3b7a3c9d993",
        sku_part_number: "SPE_F1",
        plans: vec![plan(EXO_KIOSK), plan(SHAREPOINT), plan(TEAMS), plan(EXO_FOUNDATION)],
    }
}

/// Bundles with only Exchange Foundation: not a mailbox.
fn power_bi_pro() -> License {
    License {
        sku_id: "f8a1db68-be16-40ed-86d5-cb42ce701560",
        sku_part_number: "POWER_BI_PRO",
        plans: vec![plan(EXO_FOUNDATION), plan(POWER_BI)],
    }
}

fn visio_plan_2() -> License {
    License {
        sku_id: "c5928f49-12ba-48f7-ada3-0d743a3601d5",
        sku_part_number: "VISIOCLIENT",
        plans: vec![plan(EXO_FOUNDATION), plan(VISIO)],
    }
}

#[derive(Debug, Clone)]
pub struct Domain {
    pub id: &'static str,
    pub is_default: bool,
    pub is_initial: bool,
    pub is_verified: bool,
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
        let domains = vec![
            Domain { id: DEFAULT_DOMAIN, is_default: true, is_initial: false, is_verified: true },
            Domain { id: INITIAL_DOMAIN, is_default: false, is_initial: true, is_verified: true },
            Domain { id: SECOND_DOMAIN, is_default: false, is_initial: false, is_verified: true },
            Domain {
                id: UNVERIFIED_DOMAIN,
                is_default: false,
                is_initial: false,
                is_verified: false,
            },
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

/// Builder for one sample user: a cloud-only internal member unless told otherwise.
struct Person {
    user: User,
}

impl Person {
    fn new(ids: &mut Ids, case: &'static str, given: &str, surname: &str, alias: &str) -> Self {
        let upn = format!("{alias}@{DEFAULT_DOMAIN}");
        let mut user = User::blank(ids.uuid(), &format!("{given} {surname}"), &upn, DEFAULT_DOMAIN);
        user.given_name = Some(given.to_owned());
        user.surname = Some(surname.to_owned());
        user.case = Some(case);
        Person { user }
    }
    fn mail(mut self, mail: &str) -> Self {
        self.user.mail = Some(mail.into());
        self.user.proxy_addresses.push(format!("SMTP:{mail}"));
        self
    }
    fn internal_mail(self) -> Self {
        let mail = self.user.user_principal_name.clone();
        self.mail(&mail)
    }
    fn other_mails(mut self, mails: &[&str]) -> Self {
        self.user.other_mails = mails.iter().map(|m| (*m).to_owned()).collect();
        self
    }
    fn synced(mut self, ids: &mut Ids, with_on_prem_upn: bool) -> Self {
        self.user.on_premises_sync_enabled = Some(true);
        self.user.on_premises_immutable_id = Some(ids.immutable_id());
        if with_on_prem_upn {
            self.user.on_premises_user_principal_name = Some(
                self.user.user_principal_name.replace(DEFAULT_DOMAIN, "corp.contoso-sample.se"),
            );
        }
        self
    }
    /// Once synced, no longer: `onPremisesSyncEnabled` is false, not null.
    fn previously_synced(mut self) -> Self {
        self.user.on_premises_sync_enabled = Some(false);
        self
    }
    /// An extra SMTP address this object answers to.
    fn alias(mut self, address: &str) -> Self {
        self.user.proxy_addresses.push(format!("smtp:{address}"));
        self
    }
    fn license(mut self, license: License) -> Self {
        self.user.licenses.push(license);
        self
    }
    fn disabled(mut self) -> Self {
        self.user.account_enabled = false;
        self
    }
    fn title(mut self, title: &str) -> Self {
        self.user.job_title = Some(title.into());
        self
    }
    fn language(mut self, language: &str) -> Self {
        self.user.preferred_language = Some(language.into());
        self
    }
    fn role(mut self, role: &'static str) -> Self {
        self.user.roles.push(role);
        self
    }
    /// A B2B user: converted internal member (`Member`) or invited guest (`Guest`).
    fn b2b(mut self, external: &str, state: &str, since: &str, guest: bool) -> Self {
        self.user.external_user_state = Some(state.into());
        self.user.external_user_state_change_date_time = Some(since.into());
        self.user.mail = Some(external.into());
        if guest {
            self.user.user_type = "Guest".into();
            self.user.creation_type = Some("Invitation".into());
            self.user.user_principal_name =
                format!("{}#EXT#@{INITIAL_DOMAIN}", external.replace('@', "_"));
            self.user.proxy_addresses = vec![format!("SMTP:{external}")];
        }
        self.user.identities = if state == "Accepted" {
            vec![Identity {
                sign_in_type: "federated".into(),
                issuer: "ExternalAzureAD".into(),
                issuer_assigned_id: None,
            }]
        } else {
            vec![Identity {
                sign_in_type: "userPrincipalName".into(),
                issuer: INITIAL_DOMAIN.into(),
                issuer_assigned_id: Some(self.user.user_principal_name.clone()),
            }]
        };
        self
    }
    fn done(self) -> User {
        self.user
    }
}

fn special_users(ids: &mut Ids) -> Vec<User> {
    use Person as P;
    vec![
        // --- Admins who can sign in to the sample directory.
        P::new(
            ids,
            "admin: User Administrator with a mailbox (the default sign-in)",
            "Anna",
            "Lindqvist",
            "anna.lindqvist",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("User Administrator")
        .title("IT administrator")
        .language("sv-SE")
        .done(),
        P::new(ids, "admin: Guest Inviter only (cannot convert)", "Björn", "Öberg", "bjorn.oberg")
            .internal_mail()
            .license(office_e3(true))
            .role("Guest Inviter")
            .title("Partner coordinator")
            .done(),
        P::new(
            ids,
            "admin: Helpdesk Administrator (reset redemption only)",
            "Cecilia",
            "Åkesson",
            "cecilia.akesson",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("Helpdesk Administrator")
        .title("Service desk")
        .done(),
        P::new(
            ids,
            "admin: no directory role; keeps a partner's address as an alias",
            "David",
            "Nilsson",
            "david.nilsson",
        )
        .internal_mail()
        .alias("xander@holmberg-consulting.example")
        .license(office_e3(true))
        .title("Project manager")
        .done(),
        P::new(
            ids,
            "admin: User Administrator without a mailbox (personal message is dropped)",
            "Elin",
            "Holm",
            "elin.holm",
        )
        .role("User Administrator")
        .title("Identity engineer")
        .done(),
        // --- Ready to convert, or nearly.
        P::new(
            ids,
            "cloud-only member, mail already external: ready",
            "Oscar",
            "Ward",
            "oscar.ward",
        )
        .mail("oscar.ward@fabrikam.com")
        .title("Consultant (Fabrikam)")
        .done(),
        P::new(
            ids,
            "cloud-only member, external address only in otherMails",
            "Astrid",
            "Berg",
            "astrid.berg",
        )
        .other_mails(&["astrid.berg@northwind.example"])
        .title("Contractor (Northwind)")
        .done(),
        P::new(
            ids,
            "cloud-only member, no mail and no otherMails",
            "Gustav",
            "Lind",
            "gustav.lind",
        )
        .title("Contractor")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in a verified domain (must change)",
            "Karin",
            "Sjöberg",
            "karin.sjoberg",
        )
        .internal_mail()
        .other_mails(&["karin@sjoberg-konsult.example"])
        .title("Consultant")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in the second verified domain",
            "Lars",
            "Ek",
            "lars.ek",
        )
        .mail("lars.ek@contoso-sample.com")
        .done(),
        P::new(
            ids,
            "cloud-only member, mail in an unverified domain of the tenant (allowed)",
            "Maja",
            "Hedlund",
            "maja.hedlund",
        )
        .mail("maja@contoso-labs.se")
        .done(),
        P::new(
            ids,
            "cloud-only member with Swedish diacritics, external mail",
            "Åsa",
            "Ödman",
            "asa.odman",
        )
        .mail("asa.odman@lindgren-partner.example")
        .language("sv-SE")
        .done(),
        P::new(ids, "cloud-only member with diacritics (Spanish)", "José", "Núñez", "jose.nunez")
            .mail("jose.nunez@adventure-works.example")
            .language("es-ES")
            .done(),
        P::new(
            ids,
            "cloud-only member with diacritics (Polish)",
            "Małgorzata",
            "Wójcik",
            "malgorzata.wojcik",
        )
        .mail("m.wojcik@wingtip.example")
        .done(),
        P::new(ids, "cloud-only member with diacritics (Danish)", "Søren", "Ærø", "soren.aero")
            .other_mails(&["soren@aero-consult.example"])
            .done(),
        P::new(ids, "cloud-only member with diacritics (French)", "Zoë", "Lefèvre", "zoe.lefevre")
            .mail("zoe.lefevre@contoso-partner.example")
            .done(),
        // --- Synced from on-premises.
        P::new(
            ids,
            "synced member without onPremisesUserPrincipalName: convertible, with on-prem advice",
            "Henrik",
            "Dahl",
            "henrik.dahl",
        )
        .mail("henrik.dahl@litware.example")
        .synced(ids, false)
        .done(),
        P::new(
            ids,
            "synced member with onPremisesUserPrincipalName: blocked (Entra Connect rule)",
            "Ingrid",
            "Falk",
            "ingrid.falk",
        )
        .mail("ingrid.falk@litware.example")
        .synced(ids, true)
        .done(),
        P::new(
            ids,
            "synced member with onPremisesUserPrincipalName and internal mail",
            "Johan",
            "Strand",
            "johan.strand",
        )
        .internal_mail()
        .synced(ids, true)
        .done(),
        P::new(
            ids,
            "synced member, internal mail (mail is mastered on-premises)",
            "Klara",
            "Norén",
            "klara.noren",
        )
        .internal_mail()
        .other_mails(&["klara@noren-design.example"])
        .synced(ids, false)
        .done(),
        P::new(
            ids,
            "previously synced member (onPremisesSyncEnabled false)",
            "Leo",
            "Wikström",
            "leo.wikstrom",
        )
        .mail("leo@wikstrom-it.example")
        .previously_synced()
        .done(),
        // --- Exchange Online mailboxes: decided by service plan id.
        P::new(
            ids,
            "mailbox: Office 365 E3 (Exchange Online Plan 2)",
            "Maria",
            "Persson",
            "maria.persson",
        )
        .internal_mail()
        .license(office_e3(true))
        .other_mails(&["maria.persson@proseware.example"])
        .done(),
        P::new(ids, "mailbox: Exchange Online (Plan 1)", "Nils", "Olsson", "nils.olsson")
            .internal_mail()
            .license(exchange_plan_1())
            .done(),
        P::new(ids, "mailbox: Exchange Online Kiosk", "Olivia", "Karlsson", "olivia.karlsson")
            .internal_mail()
            .license(exchange_kiosk())
            .done(),
        P::new(
            ids,
            "mailbox: Microsoft 365 F3 (Kiosk plan in a bundle)",
            "Per",
            "Andersson",
            "per.andersson",
        )
        .internal_mail()
        .license(m365_f3())
        .done(),
        P::new(
            ids,
            "no mailbox: E3 with the Exchange plan disabled",
            "Rut",
            "Eriksson",
            "rut.eriksson",
        )
        .mail("rut.eriksson@proseware.example")
        .license(office_e3(false))
        .done(),
        P::new(
            ids,
            "no mailbox: Power BI Pro (Exchange Foundation only)",
            "Sara",
            "Johansson",
            "sara.johansson",
        )
        .mail("sara@johansson-analys.example")
        .license(power_bi_pro())
        .done(),
        P::new(
            ids,
            "no mailbox: Power BI Pro and Visio (Exchange Foundation only, twice)",
            "Tobias",
            "Larsson",
            "tobias.larsson",
        )
        .mail("tobias.larsson@fourthcoffee.example")
        .license(power_bi_pro())
        .license(visio_plan_2())
        .done(),
        // --- Disabled accounts.
        P::new(ids, "disabled account, external mail", "Ulf", "Gustafsson", "ulf.gustafsson")
            .mail("ulf.g@contoso-partner.example")
            .disabled()
            .done(),
        P::new(ids, "disabled account, synced", "Vera", "Pettersson", "vera.pettersson")
            .mail("vera.p@litware.example")
            .synced(ids, false)
            .disabled()
            .done(),
        // --- The address is already used by another object.
        P::new(
            ids,
            "email used by another object (the mail of Yara Svensson)",
            "Wilma",
            "Axelsson",
            "wilma.axelsson",
        )
        .other_mails(&["yara.svensson@tailspin.example"])
        .done(),
        P::new(
            ids,
            "holds yara.svensson@tailspin.example as mail (the other object)",
            "Yara",
            "Svensson",
            "yara.svensson",
        )
        .mail("yara.svensson@tailspin.example")
        .done(),
        P::new(
            ids,
            "email in another object's proxyAddresses (David Nilsson's alias)",
            "Xander",
            "Holmberg",
            "xander.holmberg",
        )
        .mail("xander@holmberg-consulting.example")
        .done(),
        // --- Email domains federated through SAML/WS-Fed.
        P::new(
            ids,
            "email in a SAML-federated domain (informational)",
            "Yngve",
            "Bergström",
            "yngve.bergstrom",
        )
        .mail("yngve@fjordpartners.no")
        .done(),
        P::new(
            ids,
            "email in a WS-Fed-federated domain (informational)",
            "Zara",
            "Lundgren",
            "zara.lundgren",
        )
        .mail("zara.lundgren@tailspin-federated.com")
        .done(),
        // --- Addresses the service rejects.
        P::new(
            ids,
            "external address with a plus sign (rejected)",
            "Albin",
            "Forsberg",
            "albin.forsberg",
        )
        .mail("albin+contoso@forsberg.example")
        .done(),
        P::new(
            ids,
            "otherMails entry that is not an address",
            "Beata",
            "Sandberg",
            "beata.sandberg",
        )
        .other_mails(&["beata at sandberg dot example"])
        .done(),
        // --- Already B2B: route to resend / reset redemption.
        P::new(ids, "converted member, invitation pending", "Carl", "Magnusson", "carl.magnusson")
            .b2b(
                "carl@magnusson-partners.example",
                "PendingAcceptance",
                "2026-11-10T09:12:00Z",
                false,
            )
            .done(),
        P::new(ids, "converted member, invitation accepted", "Dora", "Lindberg", "dora.lindberg")
            .b2b("dora.lindberg@fabrikam.com", "Accepted", "2026-09-02T14:30:00Z", false)
            .done(),
        P::new(ids, "invited guest, pending", "Erik", "Jakobsson", "erik.jakobsson")
            .b2b(
                "erik.jakobsson@woodgrove.example",
                "PendingAcceptance",
                "2026-11-18T08:00:00Z",
                true,
            )
            .done(),
        P::new(ids, "invited guest, accepted", "Frida", "Hansson", "frida.hansson")
            .b2b("frida.hansson@woodgrove.example", "Accepted", "2026-06-21T10:45:00Z", true)
            .done(),
        P::new(ids, "invited guest, accepted long ago", "Greta", "Bengtsson", "greta.bengtsson")
            .b2b("greta@bengtsson.example", "Accepted", "2025-01-15T12:00:00Z", true)
            .done(),
    ]
}

/// Sample users added after the first release; the README lists them after the others.
fn later_users(ids: &mut Ids) -> Vec<User> {
    use Person as P;
    vec![
        P::new(
            ids,
            "admin: User Administrator only through a role-assignable group (not in memberOf)",
            "Ines",
            "Bergh",
            "ines.bergh",
        )
        .internal_mail()
        .license(office_e3(true))
        .title("Identity administrator")
        .done(),
        P::new(
            ids,
            "admin: User Administrator and External Identity Provider Administrator with a mailbox (sees federation)",
            "Jonas",
            "Ahlgren",
            "jonas.ahlgren",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("User Administrator")
        .role("External Identity Provider Administrator")
        .title("Identity architect")
        .done(),
        P::new(
            ids,
            "admin: Directory Writers (new guests and resends, cannot convert)",
            "Kim",
            "Lundin",
            "kim.lundin",
        )
        .internal_mail()
        .license(office_e3(true))
        .role("Directory Writers")
        .title("Directory automation")
        .done(),
        P::new(
            ids,
            "chosen address held by a mail-enabled group (Partner desk – Litware's alias nora.vik@litware.example)",
            "Nora",
            "Vik",
            "nora.vik",
        )
        .other_mails(&["nora.vik@litware.example"])
        .title("Contractor (Litware)")
        .done(),
        P::new(
            ids,
            "chosen address held by an organisational contact (Pontus Hallberg (Proseware))",
            "Pontus",
            "Hallberg",
            "pontus.hallberg",
        )
        .internal_mail()
        .other_mails(&["pontus.hallberg@proseware.example"])
        .title("Consultant (Proseware)")
        .done(),
    ]
}

const FIRST_NAMES: &[&str] = &[
    "Alice", "Axel", "Ebba", "Elias", "Hugo", "Ida", "Isak", "Julia", "Liam", "Linnea", "Lucas",
    "Maja", "Noah", "Nora", "Oliver", "Saga", "Selma", "Vera", "William", "Wilma", "Ali", "Amira",
    "Chen", "Fatima", "Hanna", "Jonas", "Kerstin", "Magnus", "Mohammed", "Pia", "Reza", "Sven",
];
const SURNAMES: &[&str] = &[
    "Andersson",
    "Berg",
    "Dahlberg",
    "Ekström",
    "Forsberg",
    "Gran",
    "Hedberg",
    "Isaksson",
    "Jansson",
    "Källström",
    "Lund",
    "Mattsson",
    "Nyström",
    "Ottosson",
    "Pålsson",
    "Quist",
    "Rask",
    "Sandström",
    "Törnqvist",
    "Ulriksson",
    "Vik",
    "Wallin",
    "Åberg",
    "Öhman",
];

/// Ordinary staff, so paging and search work on a directory of realistic size.
fn filler_users(ids: &mut Ids) -> Vec<User> {
    (0..FILLER_USERS)
        .map(|n| {
            let given = FIRST_NAMES[ids.below(FIRST_NAMES.len())];
            let surname = SURNAMES[ids.below(SURNAMES.len())];
            let alias = format!("{}.{}{n}", ascii_alias(given), ascii_alias(surname));
            let mut person = Person::new(ids, "filler", given, surname, &alias).internal_mail();
            if ids.below(3) == 0 {
                person = person.license(office_e3(true));
            }
            let mut user = person.done();
            user.case = None;
            user
        })
        .collect()
}

fn ascii_alias(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            other => other,
        })
        .collect()
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
