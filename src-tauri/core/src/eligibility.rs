//! The eligibility report: can this account be converted to B2B collaboration, and if not, why
//! and how to fix it (DOMAIN.md §1.3–§1.9, §4, §8). Everything the checks need is read in one
//! `$batch`; each check is a pure function of what was read, so the rules are tested without a
//! network. The UI words each finding in the admin's language (`report.findings.<finding>`).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::{
    cloud::is_guid,
    email::{self, EmailCandidate, EmailProblem},
    graph::{encode_query_value, GraphClient},
    profile::{Capability, Profile},
    AppError, ErrorCode,
};

/// Every property the checks read: `$select` replaces Graph's default set, so all are named.
const USER_PROPERTIES: &str = "id,displayName,userPrincipalName,mail,otherMails,proxyAddresses,\
userType,accountEnabled,creationType,externalUserState,externalUserStateChangeDateTime,identities,\
onPremisesSyncEnabled,onPremisesUserPrincipalName,preferredLanguage";

// --------------------------------------------------------------------------------------------
// What was read.

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

// --------------------------------------------------------------------------------------------
// The checks.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Passed,
    Information,
    Warning,
    CouldNotCheck,
    Blocks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckId {
    AccountKind,
    OnPremisesUpn,
    Synced,
    AccountEnabled,
    Mailbox,
    EmailAddress,
    EmailDomain,
    EmailInUse,
    EmailFederation,
    MailField,
    AdminRole,
    AdminMailbox,
    WhatIsKept,
    UserTypeStays,
    TeamsLink,
}

/// What a check found; the UI's text for each is `report.findings.<finding>` (and `.fix` for
/// those that block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Finding {
    InternalMember,
    ConvertedPending,
    ConvertedAccepted,
    InvitedGuest,
    NoOnPremisesUpn,
    OnPremisesUpnSet,
    CloudOnly,
    PreviouslySynced,
    Synced,
    Enabled,
    Disabled,
    NoMailbox,
    Mailbox,
    EmailNotChosen,
    EmailValid,
    EmailNotAnAddress,
    EmailPlusSign,
    EmailRejectedCharacters,
    EmailNotAscii,
    EmailExternal,
    EmailVerifiedDomain,
    EmailFree,
    /// No user holds it, but groups or contacts could not be read to be sure.
    EmailFreeAmongUsers,
    EmailInUse,
    NotFederated,
    FederatedDomain,
    /// Federation settings could not be read (a role of their own): information only.
    FederationNotReadable,
    MailMatches,
    MailWillBeSet,
    MailMasteredOnPremises,
    MailInExchange,
    AdminCanConvert,
    AdminMayBeRefused,
    AdminRolesUnknown,
    AdminHasMailbox,
    AdminNoMailbox,
    WhatIsKept,
    UserTypeStays,
    TeamsLink,
    CouldNotCheck,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub id: CheckId,
    pub verdict: Verdict,
    pub finding: Finding,
    /// Named values the sentence mentions (`{{domain}}`, `{{plan}}`, …).
    pub values: BTreeMap<String, String>,
    /// Why it could not be checked.
    pub reason: Option<AppError>,
    /// The 2020 article said something else here (`report.before.<id>` in the UI).
    pub differs_from_2020: bool,
}

impl Check {
    fn new(id: CheckId, verdict: Verdict, finding: Finding) -> Check {
        Check {
            id,
            verdict,
            finding,
            values: BTreeMap::new(),
            reason: None,
            differs_from_2020: false,
        }
    }

    fn with(mut self, name: &str, value: impl Into<String>) -> Check {
        self.values.insert(name.to_owned(), value.into());
        self
    }

    fn since_2020(mut self) -> Check {
        self.differs_from_2020 = true;
        self
    }

    fn could_not_check(id: CheckId, reason: &AppError) -> Check {
        let mut check = Check::new(id, Verdict::CouldNotCheck, Finding::CouldNotCheck);
        check.reason = Some(reason.clone());
        check
    }
}

use Verdict::{Blocks, Information, Passed, Warning};

pub fn account_kind(user: &ReviewedUser) -> Check {
    let id = CheckId::AccountKind;
    if user.creation_type.as_deref() == Some("Invitation") {
        return Check::new(id, Blocks, Finding::InvitedGuest);
    }
    match user.external_user_state.as_deref() {
        Some("PendingAcceptance") => Check::new(id, Blocks, Finding::ConvertedPending),
        Some(_) => Check::new(id, Blocks, Finding::ConvertedAccepted),
        None => Check::new(id, Passed, Finding::InternalMember),
    }
}

pub fn on_premises_upn(user: &ReviewedUser) -> Check {
    let id = CheckId::OnPremisesUpn;
    match user.on_premises_user_principal_name.as_deref().filter(|u| !u.is_empty()) {
        Some(upn) => Check::new(id, Blocks, Finding::OnPremisesUpnSet)
            .with("onPremisesUpn", upn)
            .since_2020(),
        None => Check::new(id, Passed, Finding::NoOnPremisesUpn),
    }
}

pub fn synced(user: &ReviewedUser) -> Check {
    let id = CheckId::Synced;
    match user.on_premises_sync_enabled {
        Some(true) => Check::new(id, Warning, Finding::Synced),
        Some(false) => Check::new(id, Information, Finding::PreviouslySynced),
        None => Check::new(id, Passed, Finding::CloudOnly),
    }
}

pub fn account_enabled(user: &ReviewedUser) -> Check {
    match user.account_enabled {
        Some(false) => Check::new(CheckId::AccountEnabled, Warning, Finding::Disabled),
        _ => Check::new(CheckId::AccountEnabled, Passed, Finding::Enabled),
    }
}

pub fn mailbox(licenses: &Result<Vec<LicenseDetail>, AppError>) -> Check {
    let id = CheckId::Mailbox;
    match licenses {
        Err(reason) => Check::could_not_check(id, reason),
        Ok(licenses) => match mailbox_plan(licenses) {
            Some((plan, sku)) => Check::new(id, Blocks, Finding::Mailbox)
                .with("plan", plan)
                .with("licence", sku)
                .since_2020(),
            None => Check::new(id, Passed, Finding::NoMailbox),
        },
    }
}

/// Syntax only; the domain is the next check's business.
pub fn email_address(email: Option<&str>) -> Check {
    let id = CheckId::EmailAddress;
    let Some(email) = email else {
        return Check::new(id, Blocks, Finding::EmailNotChosen).since_2020();
    };
    let finding = match email::problem(email, &[]) {
        None => return Check::new(id, Passed, Finding::EmailValid).with("email", email),
        Some(EmailProblem::PlusSign) => Finding::EmailPlusSign,
        Some(EmailProblem::RejectedCharacters) => Finding::EmailRejectedCharacters,
        Some(EmailProblem::NotAscii) => Finding::EmailNotAscii,
        Some(_) => Finding::EmailNotAnAddress,
    };
    Check::new(id, Blocks, finding).with("email", email)
}

pub fn email_domain(email: &str, verified_domains: &Result<Vec<String>, AppError>) -> Check {
    let id = CheckId::EmailDomain;
    let domain = email::domain_of(email).unwrap_or_default();
    match verified_domains {
        Err(reason) => Check::could_not_check(id, reason),
        Ok(domains) if email::problem(email, domains) == Some(EmailProblem::VerifiedDomain) => {
            Check::new(id, Blocks, Finding::EmailVerifiedDomain).with("domain", domain)
        }
        Ok(_) => Check::new(id, Passed, Finding::EmailExternal).with("domain", domain),
    }
}

pub fn email_in_use(user_id: &str, holders: &AddressHolders) -> Check {
    let id = CheckId::EmailInUse;
    let users = match &holders.users {
        Err(reason) => return Check::could_not_check(id, reason),
        Ok(users) => users.iter().filter(|o| !o.id.eq_ignore_ascii_case(user_id)),
    };
    let readable = |kind: &Result<Vec<OtherObject>, AppError>| kind.as_ref().ok().cloned();
    let names: Vec<String> = users
        .chain(readable(&holders.groups).iter().flatten())
        .chain(readable(&holders.contacts).iter().flatten())
        .map(|o| match (&o.display_name, &o.user_principal_name) {
            (Some(name), Some(upn)) => format!("{name} ({upn})"),
            (name, upn) => name.clone().or(upn.clone()).unwrap_or_else(|| o.id.clone()),
        })
        .collect();
    if !names.is_empty() {
        return Check::new(id, Blocks, Finding::EmailInUse).with("others", names.join(", "));
    }
    match holders.groups.as_ref().err().or(holders.contacts.as_ref().err()) {
        // Say so plainly; should one of them hold it, Microsoft refuses and Rehome explains.
        Some(reason) => {
            let mut check = Check::new(id, Information, Finding::EmailFreeAmongUsers);
            check.reason = Some(reason.clone());
            check
        }
        None => Check::new(id, Passed, Finding::EmailFree),
    }
}

pub fn email_federation(email: &str, federation: &Result<Option<Federation>, AppError>) -> Check {
    let id = CheckId::EmailFederation;
    match federation {
        // Federation no longer blocks a conversion (§1.5), and reading it needs a role of its
        // own (§11.5): not knowing is information, not a warning.
        Err(reason) => Check {
            verdict: Information,
            finding: Finding::FederationNotReadable,
            ..Check::could_not_check(id, reason)
        }
        .with("domain", email::domain_of(email).unwrap_or_default()),
        Ok(None) => Check::new(id, Passed, Finding::NotFederated),
        Ok(Some(federation)) => Check::new(id, Information, Finding::FederatedDomain)
            .with("domain", email::domain_of(email).unwrap_or_default())
            .with("identityProvider", &federation.display_name)
            .with(
                "protocol",
                if federation.protocol.eq_ignore_ascii_case("wsFed") { "WS-Fed" } else { "SAML" },
            )
            .since_2020(),
    }
}

/// Today the account's `mail` must hold the invitation address (DOMAIN.md §1.3).
pub fn mail_field(
    user: &ReviewedUser,
    email: &str,
    licenses: &Result<Vec<LicenseDetail>, AppError>,
) -> Check {
    let id = CheckId::MailField;
    let current = user.mail.clone().unwrap_or_default();
    let check = if current.eq_ignore_ascii_case(email) {
        Check::new(id, Passed, Finding::MailMatches)
    } else if user.on_premises_sync_enabled == Some(true) {
        Check::new(id, Blocks, Finding::MailMasteredOnPremises)
    } else if licenses.as_ref().is_ok_and(|l| mailbox_plan(l).is_some()) {
        Check::new(id, Blocks, Finding::MailInExchange)
    } else {
        Check::new(id, Warning, Finding::MailWillBeSet)
    };
    check.with("email", email).with("current", current).since_2020()
}

pub fn admin_role(admin: AdminFacts) -> Check {
    let id = CheckId::AdminRole;
    match admin.can_convert {
        None => Check::new(id, Information, Finding::AdminRolesUnknown),
        Some(true) => Check::new(id, Passed, Finding::AdminCanConvert),
        Some(false) => Check::new(id, Warning, Finding::AdminMayBeRefused),
    }
}

pub fn admin_mailbox(admin: AdminFacts) -> Check {
    if admin.has_mailbox {
        Check::new(CheckId::AdminMailbox, Passed, Finding::AdminHasMailbox)
    } else {
        Check::new(CheckId::AdminMailbox, Warning, Finding::AdminNoMailbox)
    }
}

/// Every check for these facts, in the order the report reads.
pub fn checks(facts: &Facts) -> Vec<Check> {
    let user = &facts.user;
    let kind = account_kind(user);
    let internal = kind.verdict == Passed;
    let mut checks = vec![kind, on_premises_upn(user), synced(user), account_enabled(user)];
    checks.push(mailbox(&facts.licenses));
    // The address is checked for a conversion, and for a B2B account too: a reset of redemption
    // may move the person to another address.
    if internal || facts.email.is_some() {
        let address = email_address(facts.email.as_deref());
        let usable = address.verdict == Passed;
        checks.push(address);
        if let (Some(email), true) = (facts.email.as_deref(), usable) {
            let domain = email_domain(email, &facts.verified_domains);
            let external = domain.verdict != Blocks;
            checks.push(domain);
            if let Some(others) = &facts.others_using_email {
                checks.push(email_in_use(&user.id, others));
            }
            if let Some(federation) = &facts.federation {
                checks.push(email_federation(email, federation));
            }
            if external {
                checks.push(mail_field(user, email, &facts.licenses));
            }
        }
    }
    if internal {
        checks.push(admin_role(facts.admin));
        checks.push(admin_mailbox(facts.admin));
    }
    checks.extend([
        Check::new(CheckId::WhatIsKept, Information, Finding::WhatIsKept),
        Check::new(CheckId::UserTypeStays, Information, Finding::UserTypeStays),
        Check::new(CheckId::TeamsLink, Information, Finding::TeamsLink),
    ]);
    checks
}

// --------------------------------------------------------------------------------------------
// The report.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Ready,
    ReadyWithWarnings,
    Blocked,
    /// Already converted or invited: resend or reset redemption instead.
    AlreadyB2b,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The id Rust keeps this review under (`reviews::Reviews`); writes are asked for by it.
    pub review_id: String,
    pub user: ReviewedUser,
    pub outcome: Outcome,
    pub checks: Vec<Check>,
    /// The address under review.
    pub email: Option<String>,
    /// Addresses found on the account to choose from.
    pub candidates: Vec<EmailCandidate>,
    /// The conversion will set `mail` to `email` first (cloud-only user without a mailbox).
    pub sets_mail: bool,
    /// For checking a typed address as the admin types (empty if they could not be read).
    pub verified_domains: Vec<String>,
    /// The invitation's language to start from: the person's own when Microsoft offers it.
    pub suggested_language: String,
}

pub fn report(facts: Facts) -> Report {
    let checks = checks(&facts);
    let worst = checks.iter().map(|c| c.verdict).max().unwrap_or(Passed);
    let outcome = match worst {
        _ if checks[0].verdict == Blocks => Outcome::AlreadyB2b,
        Blocks => Outcome::Blocked,
        Warning | Verdict::CouldNotCheck => Outcome::ReadyWithWarnings,
        Passed | Information => Outcome::Ready,
    };
    let sets_mail = checks.iter().any(|c| c.finding == Finding::MailWillBeSet);
    let verified_domains = facts.verified_domains.clone().unwrap_or_default();
    let user = facts.user;
    let candidates = email::candidates(
        user.mail.as_deref(),
        &user.other_mails,
        &user.proxy_addresses,
        &verified_domains,
    );
    let suggested_language = user
        .preferred_language
        .clone()
        .filter(|l| crate::invitation::MESSAGE_LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| "en-US".to_owned());
    Report {
        review_id: String::new(),
        user,
        outcome,
        checks,
        email: facts.email,
        candidates,
        sets_mail,
        verified_domains,
        suggested_language,
    }
}

/// Reads what the checks need in one round trip and reports. `email` is the address to review
/// (the account's `mail` when the admin has not chosen one yet).
pub async fn review(
    graph: &GraphClient,
    user_id: &str,
    email: Option<&str>,
    admin: AdminFacts,
) -> Result<Report, AppError> {
    if !is_guid(user_id) {
        return Err(AppError::invalid_input(format!("'{user_id}' is not a user's object ID.")));
    }
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    let mut requests = vec![
        ("user".to_owned(), format!("/users/{user_id}?$select={USER_PROPERTIES}")),
        ("licenses".to_owned(), format!("/users/{user_id}/licenseDetails")),
        ("domains".to_owned(), "/organization?$select=id,verifiedDomains".to_owned()),
    ];
    let usable = email.filter(|e| email::problem(e, &[]).is_none());
    if let Some(address) = usable {
        requests.extend(email_requests(address));
    }
    let mut answers = graph.batch_get(&requests).await?;
    let mut take = |id: &str| answers.remove(id).unwrap_or_else(|| Err(AppError::internal(id)));
    let user = match take("user") {
        Ok(body) => parse(body, "user")?,
        Err(error) if error.code == ErrorCode::NotFound => {
            return Err(AppError::new(
                ErrorCode::NotFound,
                "This user is no longer in the directory.",
            ))
        }
        Err(error) => return Err(error),
    };
    let licenses = take("licenses").and_then(|body| parse(body["value"].clone(), "licenses"));
    let verified_domains = take("domains").and_then(|body| verified_domains(&body));
    let federation = usable.map(|_| take("federation").and_then(|body| federation(&body)));
    let mut holders =
        |id: &str| take(id).and_then(|body| parse(body["value"].clone(), "address's holders"));
    let others_using_email = usable.map(|_| AddressHolders {
        users: holders("others"),
        groups: holders("groups"),
        contacts: holders("contacts"),
    });
    Ok(report(Facts {
        user,
        licenses,
        verified_domains,
        email: email.map(str::to_owned),
        federation,
        others_using_email,
        admin,
    }))
}

/// The reads that depend on the address: its domain's federation, and who else uses it.
fn email_requests(address: &str) -> [(String, String); 4] {
    let literal = address.replace('\'', "''");
    let domain = email::domain_of(&literal).unwrap_or_default().to_owned();
    let federation = format!("domains/any(x:x/id eq '{domain}')");
    let others = format!(
        "mail eq '{literal}' or userPrincipalName eq '{literal}' or \
         otherMails/any(x:x eq '{literal}') or proxyAddresses/any(x:x eq 'smtp:{literal}')"
    );
    let mail_enabled =
        format!("mail eq '{literal}' or proxyAddresses/any(x:x eq 'smtp:{literal}')");
    let holders = |collection: &str| {
        format!(
            "/{collection}?$filter={}&$select=id,displayName&$top=10",
            encode_query_value(&mail_enabled)
        )
    };
    [
        (
            "federation".to_owned(),
            format!(
                "/directory/federationConfigurations/graph.samlOrWsFedExternalDomainFederation?$filter={}",
                encode_query_value(&federation)
            ),
        ),
        (
            "others".to_owned(),
            format!(
                "/users?$filter={}&$select=id,displayName,userPrincipalName&$top=10",
                encode_query_value(&others)
            ),
        ),
        ("groups".to_owned(), holders("groups")),
        ("contacts".to_owned(), holders("contacts")),
    ]
}

fn parse<T: for<'de> Deserialize<'de>>(body: Value, what: &str) -> Result<T, AppError> {
    serde_json::from_value(body).map_err(|e| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            format!("Microsoft Graph's answer about the {what} could not be read: {e}"),
        )
    })
}

fn verified_domains(organization: &Value) -> Result<Vec<String>, AppError> {
    let domains = organization["value"][0]["verifiedDomains"].as_array().ok_or_else(|| {
        AppError::new(
            ErrorCode::UnexpectedResponse,
            "Microsoft Graph did not list the organisation's verified domains.",
        )
    })?;
    Ok(domains.iter().filter_map(|d| d["name"].as_str().map(str::to_owned)).collect())
}

fn federation(body: &Value) -> Result<Option<Federation>, AppError> {
    let list = body["value"].as_array().ok_or_else(|| {
        AppError::new(ErrorCode::UnexpectedResponse, "The federation list could not be read.")
    })?;
    Ok(list.first().map(|f| Federation {
        display_name: f["displayName"].as_str().unwrap_or_default().to_owned(),
        protocol: f["preferredAuthenticationProtocol"].as_str().unwrap_or("saml").to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member() -> ReviewedUser {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-4000-8000-000000000001", "displayName": "Oscar Ward",
            "userPrincipalName": "oscar.ward@contoso.se", "mail": "oscar.ward@fabrikam.com",
            "otherMails": null, "proxyAddresses": ["SMTP:oscar.ward@fabrikam.com"],
            "userType": "Member", "accountEnabled": true, "creationType": null,
            "externalUserState": null, "identities": [], "onPremisesSyncEnabled": null,
            "onPremisesUserPrincipalName": null
        }))
        .unwrap()
    }

    fn plan(id: &str, status: &str) -> ServicePlan {
        ServicePlan {
            service_plan_id: id.into(),
            service_plan_name: None,
            provisioning_status: Some(status.into()),
        }
    }

    fn licence(sku: &str, plans: Vec<ServicePlan>) -> LicenseDetail {
        LicenseDetail { sku_part_number: Some(sku.into()), service_plans: plans }
    }

    const EXO_PLAN_2: &str = "efb87545-963c-4e0d-99df-69c6916d9eb0";
    const FOUNDATION: &str = "113feb6c-3fe4-4440-bddc-54d774bf0318";
    const DATA_CLASSIFICATION: &str = "cd31b152-6326-4d1b-ae1b-997b625182e6";
    const KIOSK: &str = "4a82b400-a79f-41a4-b4e2-e94f5787b113";

    #[test]
    fn a_mailbox_is_decided_by_plan_id_and_status_not_by_name_or_licence() {
        let verdict = |licenses: Vec<LicenseDetail>| mailbox(&Ok(licenses)).verdict;
        assert_eq!(verdict(vec![]), Passed);
        assert_eq!(
            verdict(vec![licence("ENTERPRISEPACK", vec![plan(EXO_PLAN_2, "Success")])]),
            Blocks
        );
        assert_eq!(
            verdict(vec![licence("ENTERPRISEPACK", vec![plan(EXO_PLAN_2, "Disabled")])]),
            Passed
        );
        assert_eq!(
            verdict(vec![licence("ENTERPRISEPACK", vec![plan(EXO_PLAN_2, "PendingProvisioning")])]),
            Blocks,
            "a plan being provisioned will be a mailbox"
        );
        assert_eq!(
            verdict(vec![licence(
                "POWER_BI_PRO",
                vec![plan(FOUNDATION, "Success"), plan(DATA_CLASSIFICATION, "Success")]
            )]),
            Passed,
            "Exchange Foundation and data classification are not mailboxes"
        );
        assert_eq!(
            verdict(vec![
                licence("POWER_BI_PRO", vec![plan(FOUNDATION, "Success")]),
                licence(
                    "SPE_F1",
                    vec![plan(FOUNDATION, "Success"), plan(&KIOSK.to_uppercase(), "Success")]
                ),
            ]),
            Blocks,
            "a kiosk plan inside a bundle is a mailbox, whatever the case of its ID"
        );
        let found = mailbox(&Ok(vec![licence("SPE_F1", vec![plan(KIOSK, "Success")])]));
        assert_eq!(found.values["plan"], "Exchange Online Kiosk");
        assert_eq!(found.values["licence"], "SPE_F1");
        assert!(found.differs_from_2020);
    }

    #[test]
    fn already_b2b_accounts_are_routed_elsewhere() {
        let mut user = member();
        assert_eq!(account_kind(&user).finding, Finding::InternalMember);
        user.external_user_state = Some("PendingAcceptance".into());
        assert_eq!(account_kind(&user).finding, Finding::ConvertedPending);
        user.external_user_state = Some("Accepted".into());
        assert_eq!(account_kind(&user).finding, Finding::ConvertedAccepted);
        user.creation_type = Some("Invitation".into());
        assert_eq!(account_kind(&user).finding, Finding::InvitedGuest);
    }

    #[test]
    fn synced_accounts_block_only_with_an_on_premises_upn() {
        let mut user = member();
        user.on_premises_sync_enabled = Some(true);
        assert_eq!((synced(&user).verdict, on_premises_upn(&user).verdict), (Warning, Passed));
        user.on_premises_user_principal_name = Some("oscar@corp.contoso.se".into());
        assert_eq!(on_premises_upn(&user).verdict, Blocks);
        user.on_premises_user_principal_name = Some(String::new());
        assert_eq!(on_premises_upn(&user).verdict, Passed, "an empty value is not set");
        user.on_premises_sync_enabled = Some(false);
        assert_eq!(synced(&user).finding, Finding::PreviouslySynced);
    }

    #[test]
    fn the_mail_field_must_hold_the_address_and_how_it_gets_there_depends_on_the_account() {
        let mut user = member();
        let none: Result<Vec<LicenseDetail>, AppError> = Ok(vec![]);
        assert_eq!(
            mail_field(&user, "OSCAR.WARD@fabrikam.com", &none).finding,
            Finding::MailMatches
        );
        assert_eq!(
            mail_field(&user, "oscar@elsewhere.example", &none).finding,
            Finding::MailWillBeSet
        );
        let exchange = Ok(vec![licence("EXCHANGESTANDARD", vec![plan(EXO_PLAN_2, "Success")])]);
        assert_eq!(
            mail_field(&user, "oscar@elsewhere.example", &exchange).finding,
            Finding::MailInExchange
        );
        user.on_premises_sync_enabled = Some(true);
        assert_eq!(
            mail_field(&user, "oscar@elsewhere.example", &none).finding,
            Finding::MailMasteredOnPremises
        );
    }

    #[test]
    fn an_unreadable_part_makes_only_its_own_check_unknown() {
        let denied = AppError::new(ErrorCode::AccessDenied, "Insufficient privileges");
        let facts = Facts {
            user: member(),
            licenses: Err(denied.clone()),
            verified_domains: Ok(vec!["contoso.se".into()]),
            email: Some("oscar.ward@fabrikam.com".into()),
            federation: Some(Err(denied.clone())),
            others_using_email: Some(AddressHolders {
                users: Ok(vec![]),
                groups: Err(denied.clone()),
                contacts: Ok(vec![]),
            }),
            admin: AdminFacts { can_convert: Some(true), has_mailbox: true },
        };
        let report = report(facts);
        let unknown: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.reason.is_some())
            .map(|c| (c.id, c.verdict, c.reason.as_ref().map(|r| r.code)))
            .collect();
        assert_eq!(
            unknown,
            [
                (CheckId::Mailbox, Verdict::CouldNotCheck, Some(ErrorCode::AccessDenied)),
                (CheckId::EmailInUse, Information, Some(ErrorCode::AccessDenied)),
                // Federation never blocks: not being allowed to read it is information only.
                (CheckId::EmailFederation, Information, Some(ErrorCode::AccessDenied)),
            ]
        );
        assert_eq!(report.outcome, Outcome::ReadyWithWarnings, "because of the mailbox");
        assert!(!report.sets_mail);
    }

    #[test]
    fn a_group_or_contact_holding_the_address_blocks_like_a_user() {
        let partner_desk = OtherObject {
            id: "00000000-0000-4000-8000-0000000000g1".into(),
            display_name: Some("Partner desk".into()),
            user_principal_name: None,
        };
        let holders = AddressHolders {
            users: Ok(vec![]),
            groups: Ok(vec![partner_desk]),
            contacts: Err(AppError::new(ErrorCode::AccessDenied, "Insufficient privileges")),
        };
        let check = email_in_use(&member().id, &holders);
        assert_eq!((check.verdict, check.values["others"].as_str()), (Blocks, "Partner desk"));
        let free = AddressHolders { groups: Ok(vec![]), ..holders };
        assert_eq!(email_in_use(&member().id, &free).finding, Finding::EmailFreeAmongUsers);
    }

    #[test]
    fn the_user_itself_does_not_count_as_another_object_using_the_address() {
        let me = OtherObject {
            id: member().id.to_uppercase(),
            display_name: Some("Oscar Ward".into()),
            user_principal_name: None,
        };
        let only = |users: Vec<OtherObject>| AddressHolders {
            users: Ok(users),
            groups: Ok(vec![]),
            contacts: Ok(vec![]),
        };
        assert_eq!(email_in_use(&member().id, &only(vec![me.clone()])).verdict, Passed);
        let yara = OtherObject {
            id: "00000000-0000-4000-8000-000000000002".into(),
            display_name: Some("Yara Svensson".into()),
            user_principal_name: Some("yara@contoso.se".into()),
        };
        let check = email_in_use(&member().id, &only(vec![me, yara]));
        assert_eq!(
            (check.verdict, check.values["others"].as_str()),
            (Blocks, "Yara Svensson (yara@contoso.se)")
        );
    }

    #[test]
    fn quotes_in_an_address_are_doubled_inside_the_filter() {
        let [_, (_, others), (_, groups), _] = email_requests("o'neil@fabrikam.com");
        assert!(groups.starts_with("/groups?$filter=mail%20eq%20%27o%27%27neil"), "{groups}");
        let query = others.split_once('?').unwrap().1;
        let filter = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "$filter")
            .unwrap()
            .1
            .into_owned();
        assert!(filter.starts_with("mail eq 'o''neil@fabrikam.com' or "), "{filter}");
    }
}
