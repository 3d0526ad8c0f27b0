//! Each check is a pure function of the facts, returning what it found in words the UI can say
//! (`report.findings.<finding>`); `checks` runs them in the order the report reads.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::facts::*;
use crate::{
    email::{self, EmailProblem},
    AppError,
};

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
    // Groups and contacts that could not be read hold nothing we know of (said below).
    let names: Vec<String> = users
        .chain(holders.groups.iter().flatten())
        .chain(holders.contacts.iter().flatten())
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
