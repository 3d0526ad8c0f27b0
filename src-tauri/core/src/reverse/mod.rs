//! The way back: an account that signs in externally (a converted member, an invited guest)
//! becomes an internal member again with the beta action `convertExternalToInternalMemberUser`
//! (DOMAIN.md §3.2). Like the conversion to B2B it has its own report from one round trip
//! (`read`), pure checks (`checks`), the form's rules and the exact request (`plan`), a password
//! made in Rust (`password`), and a careful run – journal first, then the call, then a re-read
//! (`run`). The UI words every finding (`reverse.findings.<finding>`); Rust gives stable codes.

mod checks;
mod password;
mod plan;
mod read;
mod run;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    eligibility::{AdminFacts, ReviewedUser, Verdict},
    permissions::Feature,
    profile::Profile,
    AppError,
};
pub use checks::{checks, prefill};
pub use password::{generate as generate_password, meets_policy, OneTimePassword, PASSWORD_LENGTH};
pub use plan::*;
pub use read::review;
pub use run::*;

/// How a verified domain signs its users in (`/domains` `authenticationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DomainSignIn {
    /// Cloud sign-in (with password hash sync or pass-through authentication for synced users).
    Managed,
    /// Another identity provider (AD FS, …) signs the domain's users in.
    Federated,
    /// Microsoft did not say (the domains could not be read).
    Unknown,
}

/// One of the organisation's verified domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TenantDomain {
    pub name: String,
    pub sign_in: DomainSignIn,
    pub is_default: bool,
}

/// The directory roles the account holds, as far as Graph shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolesHeld {
    pub count: usize,
    /// Empty when Graph hid which roles they are (limited information, DOMAIN.md §11.1).
    pub names: Vec<String>,
}

/// What is known about the signed-in admin and the app's permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReverseAdmin {
    pub facts: AdminFacts,
    /// Whether Microsoft granted a permission that allows the action; `None` when the sign-in
    /// does not say (Azure CLI).
    pub permission_granted: Option<bool>,
}

impl ReverseAdmin {
    pub fn of(profile: &Profile) -> ReverseAdmin {
        ReverseAdmin {
            facts: AdminFacts::of(profile),
            permission_granted: profile
                .missing_permissions
                .as_ref()
                .map(|gaps| !gaps.iter().any(|g| g.feature == Feature::ConvertToInternal)),
        }
    }
}

/// Everything the checks look at; each read that can fail on its own stays a `Result`.
#[derive(Debug, Clone)]
pub struct ReverseFacts {
    pub user: ReviewedUser,
    pub roles: Result<RolesHeld, AppError>,
    pub domains: Result<Vec<TenantDomain>, AppError>,
    pub admin: ReverseAdmin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReverseCheckId {
    SignsInExternally,
    SyncedFromOnPremises,
    Password,
    DirectoryRoles,
    UserPrincipalName,
    Mail,
    Permission,
    AdminRole,
    OneWay,
    KnownIssues,
    PreviewApi,
}

/// What a check found; the UI's text is `reverse.findings.<finding>` (and `.fix` where it blocks
/// or warns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReverseFinding {
    /// Signs in with an identity the organisation does not manage ({{issuer}}).
    ExternalIdentity,
    /// Invited but not accepted: Microsoft decides whether it counts as external.
    InvitationNotAccepted,
    /// Already signs in with the organisation: nothing to convert.
    AlreadyInternal,
    CloudOnly,
    /// Once synced, no longer: treated as a cloud account.
    PreviouslySynced,
    /// Synced from on-premises: UPN, password and email stay on-premises.
    Synced,
    /// A cloud account gets a password Rehome makes, shown once.
    PasswordSetHere,
    /// Synced, UPN in a federated domain: the federation (on-premises password) signs it in.
    PasswordFederated,
    /// Synced, UPN in a managed domain: the on-premises password through password hash sync or
    /// pass-through authentication; Rehome cannot tell which (reading it needs Global
    /// Administrator), and Microsoft's two descriptions differ on what happens without either.
    PasswordOnPremises,
    /// Synced, and how its domain signs in could not be read.
    PasswordSourceUnknown,
    NoRoles,
    /// Holds directory roles: a known limitation, Microsoft refuses ({{count}}, {{roles}}).
    HoldsRoles,
    /// Today's UPN ({{upn}}) is in a verified, managed domain and can stay.
    UpnKept,
    /// Today's UPN is a guest's (`#EXT#`): choose a new one ({{suggestion}}).
    UpnGuestFormat,
    /// Today's UPN is in a federated domain ({{domain}}): choose a managed one.
    UpnDomainFederated,
    /// Today's UPN is not in a verified domain ({{domain}}).
    UpnDomainNotVerified,
    /// How today's UPN's domain signs in is not known: Microsoft decides.
    UpnDomainUnknown,
    /// Synced: the UPN ({{upn}}) stays what on-premises says.
    UpnStaysOnPremises,
    /// The email ({{mail}}) stays unless a new one in the organisation's domains is given.
    MailKept,
    /// No email; one in the organisation's domains may be given.
    MailNone,
    /// Synced: the email ({{mail}}) is mastered on-premises.
    MailMasteredOnPremises,
    PermissionGranted,
    /// Microsoft did not grant a permission for this ({{permission}}): nothing will be sent.
    PermissionMissing,
    /// The sign-in does not say which permissions were granted: Microsoft decides.
    PermissionUnknown,
    AdminCanConvert,
    AdminMayBeRefused,
    AdminRolesUnknown,
    /// Converted to internal, the account cannot be invited again (Microsoft answers 412).
    OneWay,
    /// Teams shared channels and Viva Engage may not work for the converted account.
    KnownIssues,
    /// The action is in preview (Microsoft Graph beta).
    PreviewApi,
    CouldNotCheck,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReverseCheck {
    pub id: ReverseCheckId,
    pub verdict: Verdict,
    pub finding: ReverseFinding,
    /// Named values the sentence mentions (`{{issuer}}`, `{{domain}}`, …).
    pub values: BTreeMap<String, String>,
    /// Why it could not be checked.
    pub reason: Option<AppError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReverseOutcome {
    Ready,
    ReadyWithWarnings,
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReverseReport {
    /// The id Rust keeps this review under; the conversion is asked for by it.
    pub review_id: String,
    pub user: ReviewedUser,
    pub outcome: ReverseOutcome,
    pub checks: Vec<ReverseCheck>,
    /// Synced from on-premises: no UPN, password or email is set here.
    pub synced: bool,
    /// The form's UPN to start from: today's, when its domain is verified and managed.
    pub upn_prefill: Option<String>,
    /// Otherwise a suggestion: the account's alias in the default managed domain.
    pub upn_suggestion: Option<String>,
    /// The verified domains, for the UPN and email fields (empty when they could not be read).
    pub domains: Vec<TenantDomain>,
    /// "Must change the password at next sign-in" starts on.
    pub force_change_password_default: bool,
}

/// The report for these facts.
pub fn report(facts: &ReverseFacts) -> ReverseReport {
    let checks = checks(facts);
    let worst = checks.iter().map(|c| c.verdict).max().unwrap_or(Verdict::Passed);
    let outcome = match worst {
        Verdict::Blocks => ReverseOutcome::Blocked,
        Verdict::Warning | Verdict::CouldNotCheck => ReverseOutcome::ReadyWithWarnings,
        Verdict::Passed | Verdict::Information => ReverseOutcome::Ready,
    };
    let domains = facts.domains.clone().unwrap_or_default();
    let (upn_prefill, upn_suggestion) = prefill(&facts.user, &domains);
    ReverseReport {
        review_id: String::new(),
        user: facts.user.clone(),
        outcome,
        checks,
        synced: is_synced(&facts.user),
        upn_prefill,
        upn_suggestion,
        domains,
        force_change_password_default: true,
    }
}

/// Synced from on-premises now (`false` is "once synced", treated as a cloud account).
pub fn is_synced(user: &ReviewedUser) -> bool {
    user.on_premises_sync_enabled == Some(true)
}

/// Signs in with an identity the organisation does not manage: `federated` is what Graph writes
/// for another Entra organisation, a Microsoft account, email one-time passcode, Google or a
/// SAML/WS-Fed provider (DOMAIN.md §4.1).
pub fn external_issuer(identities: &[crate::eligibility::Identity]) -> Option<String> {
    identities
        .iter()
        .find(|i| i.sign_in_type.as_deref() == Some("federated"))
        .map(|i| i.issuer.clone().unwrap_or_default())
}
