//! The form's rules and the exact request. The UI sends an intention (this review, this UPN,
//! "must change at next sign-in", maybe an email); rehome-core checks it against the review it
//! kept and builds the plan: one `POST /beta/users/{id}/convertExternalToInternalMemberUser`. What
//! is shown, logged or journalled has a placeholder where the password goes; the password itself
//! is made when the request is sent (`run`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::{DomainSignIn, ReverseOutcome, ReverseReport, TenantDomain};
use crate::{cloud::is_guid, invitation::PlannedRequest, invitation::Tenant, AppError, ErrorCode};

/// Stands where the password goes in everything shown, logged or journalled.
pub const PASSWORD_PLACEHOLDER: &str = "[hidden: made by Rehome, shown once after the conversion]";

/// Why a typed UPN cannot be used (Entra's username policy, concept-sspr-policy, and §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UpnProblem {
    Empty,
    /// Not `alias@domain`.
    NotAnAddress,
    /// Letters outside A–Z (å, ä, ö, …).
    NotAscii,
    /// A character outside `A–Z a–z 0–9 ' . - _ ! # ^ ~`, or a period just before the `@`.
    RejectedCharacters,
    /// More than 64 characters before the `@`, 48 after, or 113 in all.
    TooLong,
    /// A guest's `…#EXT#@…` name.
    GuestFormat,
    /// Not one of the organisation's verified domains.
    DomainNotVerified,
    /// A federated domain: a cloud account needs a managed one.
    DomainFederated,
}

/// Why a typed email cannot be the account's new `mail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MailProblem {
    NotAnAddress,
    NotAscii,
    /// The article's error table: the email's domain must be one of the verified domains.
    DomainNotVerified,
}

fn split(address: &str) -> Option<(&str, &str)> {
    let (alias, domain) = address.split_once('@')?;
    let valid = !alias.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.contains(char::is_whitespace);
    valid.then_some((alias, domain))
}

/// What is wrong with `upn` as a cloud account's new UPN; `None` when it can be sent. A domain
/// whose sign-in is unknown is let through: Microsoft decides. So is any domain when there are
/// none: every organisation has at least its onmicrosoft.com domain, so an empty list means
/// the domains could not be read (the report says so), not that none is verified.
pub fn upn_problem(upn: &str, domains: &[TenantDomain]) -> Option<UpnProblem> {
    let upn = upn.trim();
    if upn.is_empty() {
        return Some(UpnProblem::Empty);
    }
    if !upn.is_ascii() {
        return Some(UpnProblem::NotAscii);
    }
    let Some((alias, domain)) = split(upn) else { return Some(UpnProblem::NotAnAddress) };
    if upn.to_ascii_uppercase().contains("#EXT#") {
        return Some(UpnProblem::GuestFormat);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "'.-_!#^~".contains(c);
    if !alias.chars().all(allowed) || alias.ends_with('.') {
        return Some(UpnProblem::RejectedCharacters);
    }
    if alias.len() > 64 || domain.len() > 48 || upn.len() > 113 {
        return Some(UpnProblem::TooLong);
    }
    if domains.is_empty() {
        return None; // unknown domains (see `domains_unknown`): Microsoft decides
    }
    match domains.iter().find(|d| d.name.eq_ignore_ascii_case(domain)) {
        None => Some(UpnProblem::DomainNotVerified),
        Some(d) if d.sign_in == DomainSignIn::Federated => Some(UpnProblem::DomainFederated),
        Some(_) => None,
    }
}

/// What is wrong with `mail` as the account's new email; `None` when it can be sent.
pub fn mail_problem(mail: &str, domains: &[TenantDomain]) -> Option<MailProblem> {
    let mail = mail.trim();
    if !mail.is_ascii() {
        return Some(MailProblem::NotAscii);
    }
    let Some((_, domain)) = split(mail) else { return Some(MailProblem::NotAnAddress) };
    if !domains.is_empty() && !domains.iter().any(|d| d.name.eq_ignore_ascii_case(domain)) {
        return Some(MailProblem::DomainNotVerified);
    }
    None
}

/// What the admin asks for in the form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReverseIntention {
    pub review_id: String,
    /// The new UPN of a cloud account; for a synced one empty (or today's, unchanged).
    pub user_principal_name: Option<String>,
    pub force_change_password: bool,
    /// A new email in the organisation's domains (cloud accounts), or none to keep today's.
    pub mail: Option<String>,
}

/// One conversion to internal, decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReversePlan {
    pub user_id: String,
    pub display_name: String,
    /// The UPN today.
    pub user_principal_name: String,
    pub synced: bool,
    /// `None` for a synced account (its UPN stays what on-premises says).
    pub new_user_principal_name: Option<String>,
    /// A cloud account gets a password; a synced one keeps signing in as on-premises decides.
    pub sets_password: bool,
    pub force_change_password: bool,
    /// The new email, if one was given.
    pub new_mail: Option<String>,
    /// The email the account has afterwards (new, or today's).
    pub mail_after: Option<String>,
}

/// What the confirmation shows: the exact request, where it goes, and the same in PowerShell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReversePreview {
    pub plan: ReversePlan,
    /// The body with `PASSWORD_PLACEHOLDER` where the password goes.
    pub request: PlannedRequest,
    /// The whole address on this cloud's Graph host (`https://graph.microsoft.us/beta/…`).
    pub url: String,
    pub powershell: String,
    /// The action is Microsoft Graph beta (preview).
    pub beta: bool,
}

fn refused(why: String) -> AppError {
    AppError::new(ErrorCode::InvalidInput, format!("Nothing was sent: {why}."))
}

/// The plan the review allows for this intention, or why not. Pure: tests call it with any
/// report, forged or not.
pub fn plan_for(
    report: &ReverseReport,
    intention: &ReverseIntention,
) -> Result<ReversePlan, AppError> {
    let user = &report.user;
    if !is_guid(&user.id) {
        return Err(refused(format!("'{}' is not a user's object ID", user.id)));
    }
    if report.outcome == ReverseOutcome::Blocked {
        return Err(refused(format!(
            "the review of {} does not allow a conversion to internal",
            user.user_principal_name
        )));
    }
    let typed = |value: &Option<String>| {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
    };
    let (upn, mail) = (typed(&intention.user_principal_name), typed(&intention.mail));
    let current_mail = user.mail.clone().filter(|m| !m.trim().is_empty());
    if report.synced {
        if upn.as_ref().is_some_and(|u| !u.eq_ignore_ascii_case(&user.user_principal_name)) {
            return Err(refused("a synced account's UPN is set on-premises".into()));
        }
        if mail.is_some() {
            return Err(refused("a synced account's email is set on-premises".into()));
        }
        return Ok(ReversePlan {
            user_id: user.id.clone(),
            display_name: user.display_name.clone(),
            user_principal_name: user.user_principal_name.clone(),
            synced: true,
            new_user_principal_name: None,
            sets_password: false,
            force_change_password: false,
            new_mail: None,
            mail_after: current_mail,
        });
    }
    let Some(upn) = upn else { return Err(refused("no UPN was given".into())) };
    if let Some(problem) = upn_problem(&upn, &report.domains) {
        return Err(refused(format!("'{upn}' cannot be the UPN ({problem:?})")));
    }
    if let Some(problem) = mail.as_deref().and_then(|m| mail_problem(m, &report.domains)) {
        return Err(refused(format!("the email cannot be used ({problem:?})")));
    }
    Ok(ReversePlan {
        user_id: user.id.clone(),
        display_name: user.display_name.clone(),
        user_principal_name: user.user_principal_name.clone(),
        synced: false,
        new_user_principal_name: Some(upn),
        sets_password: true,
        force_change_password: intention.force_change_password,
        mail_after: mail.clone().or(current_mail),
        new_mail: mail,
    })
}

/// A PowerShell single-quoted string (only `'` and its typographic cousins end one; doubled).
fn quote(text: &str) -> String {
    let mut quoted = String::from("'");
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            quoted.push(c);
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

impl ReversePlan {
    /// Relative to the Graph host's `/beta`.
    pub fn path(&self) -> String {
        format!("/users/{}/convertExternalToInternalMemberUser", self.user_id)
    }

    /// The body sent: `password` is the real one only when the request goes out; everything
    /// shown gets `PASSWORD_PLACEHOLDER`. A synced account's body is empty (API page, example 3).
    pub fn body(&self, password: &str) -> Value {
        let mut body = serde_json::Map::new();
        if let Some(upn) = &self.new_user_principal_name {
            body.insert("userPrincipalName".into(), json!(upn));
        }
        if self.sets_password {
            body.insert(
                "passwordProfile".into(),
                json!({ "password": password, "forceChangePasswordNextSignIn": self.force_change_password }),
            );
        }
        if let Some(mail) = &self.new_mail {
            body.insert("mail".into(), json!(mail));
        }
        Value::Object(body)
    }

    /// The request as the confirmation shows it and the journal keeps it.
    pub fn request(&self) -> PlannedRequest {
        PlannedRequest {
            method: "POST".into(),
            path: format!("/beta{}", self.path()),
            body: serde_json::to_string_pretty(&self.body(PASSWORD_PLACEHOLDER))
                .unwrap_or_default(),
        }
    }

    /// The same with Microsoft Graph PowerShell; the password is read at the prompt, never written.
    pub fn powershell(&self, tenant: &Tenant) -> String {
        let environment = tenant
            .cloud
            .powershell_environment()
            .map(|e| format!(" -Environment {e}"))
            .unwrap_or_default();
        let mut lines = vec![format!(
            "Connect-MgGraph{environment} -Scopes 'User-ConvertToInternal.ReadWrite.All'"
        )];
        let mut command = format!(
            "Convert-MgBetaUserExternalToInternalMemberUser -UserId {}",
            quote(&self.user_id)
        );
        if let Some(upn) = &self.new_user_principal_name {
            command.push_str(&format!(" -UserPrincipalName {}", quote(upn)));
        }
        if self.sets_password {
            lines.push(
                "# The password Rehome showed you: typed here, never saved in the script.".into(),
            );
            lines.push("$password = Read-Host -Prompt 'New password'".into());
            command.push_str(&format!(
                " -PasswordProfile @{{ Password = $password; ForceChangePasswordNextSignIn = ${} }}",
                self.force_change_password
            ));
        }
        if let Some(mail) = &self.new_mail {
            command.push_str(&format!(" -Mail {}", quote(mail)));
        }
        lines.push(command);
        lines.join("\n")
    }

    /// For the confirmation; `graph_host` is the cloud's (`https://graph.microsoft.com`).
    pub fn preview(&self, graph_host: &str, tenant: &Tenant) -> ReversePreview {
        let request = self.request();
        ReversePreview {
            plan: self.clone(),
            url: format!("{}{}", graph_host.trim_end_matches('/'), request.path),
            request,
            powershell: self.powershell(tenant),
            beta: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        cloud::CloudId, eligibility::ReviewedUser, reverse::report, reverse::ReverseFacts,
    };

    fn domains() -> Vec<TenantDomain> {
        vec![
            TenantDomain {
                name: "contoso.se".into(),
                sign_in: DomainSignIn::Managed,
                is_default: true,
            },
            TenantDomain {
                name: "contoso.net".into(),
                sign_in: DomainSignIn::Federated,
                is_default: false,
            },
            TenantDomain {
                name: "contoso.dk".into(),
                sign_in: DomainSignIn::Unknown,
                is_default: false,
            },
        ]
    }

    #[test]
    fn upns_follow_entras_username_policy_and_the_domain_rules() {
        let d = domains();
        let cases = [
            ("dora.lindberg@contoso.se", None),
            (" Dora@CONTOSO.se ", None),
            ("o'neil_x!#^~@contoso.se", None),
            ("dora@contoso.dk", None),
            ("", Some(UpnProblem::Empty)),
            ("dora", Some(UpnProblem::NotAnAddress)),
            ("dora@contoso", Some(UpnProblem::NotAnAddress)),
            ("dora@x@contoso.se", Some(UpnProblem::NotAnAddress)),
            ("åsa@contoso.se", Some(UpnProblem::NotAscii)),
            ("dora+1@contoso.se", Some(UpnProblem::RejectedCharacters)),
            ("dora.@contoso.se", Some(UpnProblem::RejectedCharacters)),
            ("dora_fabrikam.com#EXT#@contoso.se", Some(UpnProblem::GuestFormat)),
            ("dora@contoso.net", Some(UpnProblem::DomainFederated)),
            ("dora@fabrikam.com", Some(UpnProblem::DomainNotVerified)),
        ];
        for (upn, expected) in cases {
            assert_eq!(upn_problem(upn, &d), expected, "{upn}");
        }
        assert_eq!(
            upn_problem(&format!("{}@contoso.se", "a".repeat(65)), &d),
            Some(UpnProblem::TooLong)
        );
        assert_eq!(upn_problem(&format!("{}@contoso.se", "a".repeat(64)), &d), None);
    }

    #[test]
    fn domains_that_could_not_be_read_leave_the_domain_to_microsoft() {
        assert_eq!(upn_problem("dora@fabrikam.com", &[]), None);
        assert_eq!(upn_problem("dora+1@fabrikam.com", &[]), Some(UpnProblem::RejectedCharacters));
        assert_eq!(mail_problem("dora@fabrikam.com", &[]), None);
        assert_eq!(mail_problem("dora", &[]), Some(MailProblem::NotAnAddress));
    }

    #[test]
    fn a_new_email_must_be_in_a_verified_domain() {
        let d = domains();
        assert_eq!(mail_problem("dora@contoso.se", &d), None);
        assert_eq!(mail_problem("dora@contoso.net", &d), None, "federated is still verified");
        assert_eq!(mail_problem("dora@fabrikam.com", &d), Some(MailProblem::DomainNotVerified));
        assert_eq!(mail_problem("dora", &d), Some(MailProblem::NotAnAddress));
        assert_eq!(mail_problem("dörå@contoso.se", &d), Some(MailProblem::NotAscii));
    }

    fn report_for(upn: &str, synced: Option<bool>) -> ReverseReport {
        let user: ReviewedUser = serde_json::from_value(serde_json::json!({
            "id": "5e1c6a8e-0000-4000-8000-000000000006", "displayName": "Dora Lindberg",
            "userPrincipalName": upn, "mail": "dora.lindberg@fabrikam.com",
            "identities": [{ "signInType": "federated", "issuer": "ExternalAzureAD" }],
            "onPremisesSyncEnabled": synced,
        }))
        .unwrap();
        report(&ReverseFacts {
            user,
            roles: Ok(crate::reverse::RolesHeld { count: 0, names: vec![] }),
            domains: Ok(domains()),
            admin: crate::reverse::ReverseAdmin {
                facts: crate::eligibility::AdminFacts {
                    can_convert: Some(true),
                    has_mailbox: true,
                },
                permission_granted: Some(true),
            },
        })
    }

    fn intention(upn: Option<&str>, mail: Option<&str>) -> ReverseIntention {
        ReverseIntention {
            review_id: "r".into(),
            user_principal_name: upn.map(str::to_owned),
            force_change_password: true,
            mail: mail.map(str::to_owned),
        }
    }

    #[test]
    fn a_cloud_account_gets_upn_password_and_maybe_mail_and_the_shown_body_hides_the_password() {
        let report = report_for("dora@contoso.se", None);
        let plan = plan_for(&report, &intention(Some("dora@contoso.se"), Some("dora@contoso.se")))
            .unwrap();
        assert_eq!(
            plan.body("Zdi087#2jhkahf"),
            json!({
                "userPrincipalName": "dora@contoso.se",
                "passwordProfile": { "password": "Zdi087#2jhkahf", "forceChangePasswordNextSignIn": true },
                "mail": "dora@contoso.se",
            })
        );
        let request = plan.request();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", "/beta/users/5e1c6a8e-0000-4000-8000-000000000006/convertExternalToInternalMemberUser")
        );
        assert!(request.body.contains(PASSWORD_PLACEHOLDER));
        let tenant = Tenant { id: "t-1".into(), cloud: CloudId::UsGov };
        let preview = plan.preview("https://graph.microsoft.us", &tenant);
        assert_eq!(preview.url, "https://graph.microsoft.us/beta/users/5e1c6a8e-0000-4000-8000-000000000006/convertExternalToInternalMemberUser");
        assert!(preview.beta);
        let script = preview.powershell;
        assert!(script.starts_with("Connect-MgGraph -Environment USGov -Scopes"), "{script}");
        assert!(script.contains(
            "-PasswordProfile @{ Password = $password; ForceChangePasswordNextSignIn = $true }"
        ));
        assert!(script.contains("Convert-MgBetaUserExternalToInternalMemberUser -UserId '5e1c6a8e-0000-4000-8000-000000000006' -UserPrincipalName 'dora@contoso.se'"));
        assert!(script.ends_with(" -Mail 'dora@contoso.se'"));
        let keep_mail = plan_for(&report, &intention(Some("dora@contoso.se"), Some("  "))).unwrap();
        assert_eq!(keep_mail.mail_after.as_deref(), Some("dora.lindberg@fabrikam.com"));
        assert!(keep_mail.body("x").get("mail").is_none());
        let global = Tenant { id: "t-1".into(), cloud: CloudId::Global };
        assert!(keep_mail.powershell(&global).starts_with("Connect-MgGraph -Scopes"));
    }

    #[test]
    fn a_synced_account_sends_an_empty_body_and_refuses_a_upn_or_email() {
        let report = report_for("signe@contoso.se", Some(true));
        assert!(report.synced);
        let plan = plan_for(&report, &intention(None, None)).unwrap();
        assert_eq!(plan.body("never"), json!({}));
        assert!(!plan
            .powershell(&Tenant { id: "t".into(), cloud: CloudId::Global })
            .contains("password"));
        assert!(
            plan_for(&report, &intention(Some("SIGNE@contoso.se"), None)).is_ok(),
            "today's UPN is no change"
        );
        for wrong in
            [intention(Some("new@contoso.se"), None), intention(None, Some("s@contoso.se"))]
        {
            assert_eq!(plan_for(&report, &wrong).unwrap_err().code, ErrorCode::InvalidInput);
        }
    }

    #[test]
    fn a_report_whatever_it_claims_is_held_to_the_rules() {
        let report = report_for("dora@contoso.se", None);
        for wrong in [
            intention(None, None),
            intention(Some("dora@contoso.net"), None),
            intention(Some("dora@fabrikam.com"), None),
            intention(Some("dora@contoso.se"), Some("dora@fabrikam.com")),
        ] {
            assert_eq!(
                plan_for(&report, &wrong).unwrap_err().code,
                ErrorCode::InvalidInput,
                "{wrong:?}"
            );
        }
        let blocked = ReverseReport { outcome: ReverseOutcome::Blocked, ..report.clone() };
        assert!(plan_for(&blocked, &intention(Some("dora@contoso.se"), None)).is_err());
        let mut forged = report;
        forged.user.id = "../me".into();
        assert!(plan_for(&forged, &intention(Some("dora@contoso.se"), None)).is_err());
    }

    #[test]
    fn powershell_quotes_what_was_typed() {
        let report = report_for("dora@contoso.se", None);
        let plan = plan_for(&report, &intention(Some("o'neil@contoso.se"), None)).unwrap();
        let script = plan.powershell(&Tenant { id: "t".into(), cloud: CloudId::Global });
        assert!(script.contains("-UserPrincipalName 'o''neil@contoso.se'"), "{script}");
    }
}
