//! Each check of the way back is a pure function of what was read; `checks` runs them in the
//! order the report reads.

use std::collections::BTreeMap;

use super::{
    external_issuer, is_synced, plan::upn_problem, DomainSignIn, ReverseCheck, ReverseCheckId,
    ReverseFacts, ReverseFinding, RolesHeld, TenantDomain,
};
use crate::{
    eligibility::{ReviewedUser, Verdict},
    AppError,
};
use ReverseCheckId as Id;
use ReverseFinding as F;
use Verdict::{Blocks, Information, Passed, Warning};

impl ReverseCheck {
    fn new(id: ReverseCheckId, verdict: Verdict, finding: ReverseFinding) -> ReverseCheck {
        ReverseCheck { id, verdict, finding, values: BTreeMap::new(), reason: None }
    }

    fn with(mut self, name: &str, value: impl Into<String>) -> ReverseCheck {
        self.values.insert(name.to_owned(), value.into());
        self
    }

    fn could_not_check(id: ReverseCheckId, reason: &AppError) -> ReverseCheck {
        let mut check = ReverseCheck::new(id, Verdict::CouldNotCheck, F::CouldNotCheck);
        check.reason = Some(reason.clone());
        check
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
}

fn find<'a>(domains: &'a [TenantDomain], name: &str) -> Option<&'a TenantDomain> {
    domains.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

/// Only an account that signs in externally is eligible (DOMAIN.md §3.2). An invitation not yet
/// accepted is undocumented either way: a warning, and Microsoft decides.
pub fn signs_in_externally(user: &ReviewedUser) -> ReverseCheck {
    let id = Id::SignsInExternally;
    if let Some(issuer) = external_issuer(&user.identities) {
        return ReverseCheck::new(id, Passed, F::ExternalIdentity).with("issuer", issuer);
    }
    if user.external_user_state.as_deref() == Some("PendingAcceptance") {
        return ReverseCheck::new(id, Warning, F::InvitationNotAccepted);
    }
    ReverseCheck::new(id, Blocks, F::AlreadyInternal)
}

pub fn synced(user: &ReviewedUser) -> ReverseCheck {
    let id = Id::SyncedFromOnPremises;
    match user.on_premises_sync_enabled {
        Some(true) => ReverseCheck::new(id, Information, F::Synced),
        Some(false) => ReverseCheck::new(id, Information, F::PreviouslySynced),
        None => ReverseCheck::new(id, Passed, F::CloudOnly),
    }
}

/// What the person will sign in with. For a synced account the documented error says UPN and
/// password must be empty; what then decides the password is the domain's sign-in (federated:
/// the federation; managed: password hash sync or pass-through, which only a Global
/// Administrator can read), and Microsoft's two descriptions of that differ (DOMAIN.md §3.2).
pub fn password(
    user: &ReviewedUser,
    domains: &Result<Vec<TenantDomain>, AppError>,
) -> ReverseCheck {
    let id = Id::Password;
    if !is_synced(user) {
        return ReverseCheck::new(id, Passed, F::PasswordSetHere);
    }
    let domain = domain_of(&user.user_principal_name);
    let sign_in = domains.as_ref().ok().and_then(|d| find(d, domain)).map(|d| d.sign_in);
    let check = match sign_in {
        Some(DomainSignIn::Federated) => ReverseCheck::new(id, Information, F::PasswordFederated),
        Some(DomainSignIn::Managed) => ReverseCheck::new(id, Warning, F::PasswordOnPremises),
        Some(DomainSignIn::Unknown) | None => {
            let mut check = ReverseCheck::new(id, Warning, F::PasswordSourceUnknown);
            check.reason = domains.as_ref().err().cloned();
            check
        }
    };
    check.with("domain", domain)
}

/// A known issue: an account with a role assignment cannot be converted.
pub fn roles(roles: &Result<RolesHeld, AppError>) -> ReverseCheck {
    let id = Id::DirectoryRoles;
    match roles {
        Err(reason) => ReverseCheck::could_not_check(id, reason),
        Ok(held) if held.count == 0 => ReverseCheck::new(id, Passed, F::NoRoles),
        Ok(held) => ReverseCheck::new(id, Blocks, F::HoldsRoles)
            .with("count", held.count.to_string())
            .with("roles", held.names.join(", ")),
    }
}

/// Today's UPN, judged for the form: kept when its domain is verified and managed.
pub fn upn(user: &ReviewedUser, domains: &Result<Vec<TenantDomain>, AppError>) -> ReverseCheck {
    let id = Id::UserPrincipalName;
    let current = &user.user_principal_name;
    if is_synced(user) {
        return ReverseCheck::new(id, Information, F::UpnStaysOnPremises).with("upn", current);
    }
    let domains = match domains {
        Err(reason) => return ReverseCheck::could_not_check(id, reason),
        Ok(domains) => domains,
    };
    let domain = domain_of(current);
    let check = if current.contains("#EXT#") {
        let (_, suggestion) = prefill(user, domains);
        ReverseCheck::new(id, Information, F::UpnGuestFormat)
            .with("suggestion", suggestion.unwrap_or_default())
    } else {
        match find(domains, domain).map(|d| d.sign_in) {
            None => ReverseCheck::new(id, Warning, F::UpnDomainNotVerified),
            Some(DomainSignIn::Federated) => ReverseCheck::new(id, Warning, F::UpnDomainFederated),
            Some(DomainSignIn::Unknown) => ReverseCheck::new(id, Information, F::UpnDomainUnknown),
            Some(DomainSignIn::Managed) => ReverseCheck::new(id, Passed, F::UpnKept),
        }
    };
    check.with("upn", current).with("domain", domain)
}

pub fn mail(user: &ReviewedUser) -> ReverseCheck {
    let id = Id::Mail;
    let current = user.mail.clone().filter(|m| !m.trim().is_empty());
    match (is_synced(user), current) {
        (true, mail) => ReverseCheck::new(id, Information, F::MailMasteredOnPremises)
            .with("mail", mail.unwrap_or_default()),
        (false, Some(mail)) => ReverseCheck::new(id, Information, F::MailKept).with("mail", mail),
        (false, None) => ReverseCheck::new(id, Information, F::MailNone),
    }
}

/// Without a permission for it, nothing is sent (the plan refuses).
pub fn permission(granted: Option<bool>) -> ReverseCheck {
    let id = Id::Permission;
    match granted {
        Some(true) => ReverseCheck::new(id, Passed, F::PermissionGranted),
        Some(false) => ReverseCheck::new(id, Blocks, F::PermissionMissing)
            .with("permission", "User.ReadWrite.All")
            .with("leastPrivileged", "User-ConvertToInternal.ReadWrite.All"),
        None => ReverseCheck::new(id, Information, F::PermissionUnknown),
    }
}

/// User Administrator at least (advice: Microsoft decides, DOMAIN.md §11.7).
pub fn admin_role(can_convert: Option<bool>) -> ReverseCheck {
    let id = Id::AdminRole;
    match can_convert {
        None => ReverseCheck::new(id, Information, F::AdminRolesUnknown),
        Some(true) => ReverseCheck::new(id, Passed, F::AdminCanConvert),
        Some(false) => ReverseCheck::new(id, Warning, F::AdminMayBeRefused),
    }
}

/// The form's starting UPN: today's when its domain is verified and managed (and it is not a
/// guest's `#EXT#` name); otherwise a suggestion – the alias in the default managed domain.
pub fn prefill(user: &ReviewedUser, domains: &[TenantDomain]) -> (Option<String>, Option<String>) {
    if is_synced(user) {
        return (None, None);
    }
    let current = &user.user_principal_name;
    if upn_problem(current, domains).is_none()
        && find(domains, domain_of(current)).is_some_and(|d| d.sign_in == DomainSignIn::Managed)
    {
        return (Some(current.clone()), None);
    }
    // A guest's alias is in its email, not in its `…#EXT#@…` name.
    let alias = if current.contains("#EXT#") {
        user.mail.as_deref().and_then(|m| m.split_once('@')).map(|(a, _)| a)
    } else {
        current.split_once('@').map(|(a, _)| a)
    };
    let default = domains
        .iter()
        .find(|d| d.is_default && d.sign_in == DomainSignIn::Managed)
        .or_else(|| domains.iter().find(|d| d.sign_in == DomainSignIn::Managed));
    let suggestion = alias
        .zip(default)
        .map(|(alias, domain)| format!("{}@{}", alias.to_lowercase(), domain.name))
        .filter(|s| upn_problem(s, domains).is_none());
    (None, suggestion)
}

/// Every check for these facts, in the order the report reads.
pub fn checks(facts: &ReverseFacts) -> Vec<ReverseCheck> {
    let user = &facts.user;
    vec![
        signs_in_externally(user),
        synced(user),
        password(user, &facts.domains),
        roles(&facts.roles),
        upn(user, &facts.domains),
        mail(user),
        permission(facts.admin.permission_granted),
        admin_role(facts.admin.facts.can_convert),
        ReverseCheck::new(Id::OneWay, Information, F::OneWay),
        ReverseCheck::new(Id::KnownIssues, Information, F::KnownIssues),
        ReverseCheck::new(Id::PreviewApi, Information, F::PreviewApi),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{eligibility::AdminFacts, reverse::ReverseAdmin, ErrorCode};

    fn user(upn: &str, identity: (&str, &str), synced: Option<bool>) -> ReviewedUser {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-4000-8000-000000000001", "displayName": "Dora Lindberg",
            "userPrincipalName": upn, "mail": "dora.lindberg@fabrikam.com",
            "userType": "Member", "accountEnabled": true,
            "externalUserState": "Accepted",
            "identities": [{ "signInType": identity.0, "issuer": identity.1 }],
            "onPremisesSyncEnabled": synced,
        }))
        .unwrap()
    }

    fn external(upn: &str) -> ReviewedUser {
        user(upn, ("federated", "ExternalAzureAD"), None)
    }

    fn domains() -> Vec<TenantDomain> {
        let domain = |name: &str, sign_in, is_default| TenantDomain {
            name: name.into(),
            sign_in,
            is_default,
        };
        vec![
            domain("contoso.onmicrosoft.com", DomainSignIn::Managed, false),
            domain("contoso.se", DomainSignIn::Managed, true),
            domain("contoso.net", DomainSignIn::Federated, false),
        ]
    }

    fn verdict_and_finding(check: ReverseCheck) -> (Verdict, ReverseFinding) {
        (check.verdict, check.finding)
    }

    #[test]
    fn only_an_external_sign_in_is_eligible_and_a_pending_invitation_is_for_microsoft_to_decide() {
        assert_eq!(
            verdict_and_finding(signs_in_externally(&external("dora@contoso.se"))),
            (Passed, F::ExternalIdentity)
        );
        let mut pending = user("carl@contoso.se", ("userPrincipalName", "contoso.se"), None);
        pending.external_user_state = Some("PendingAcceptance".into());
        assert_eq!(
            verdict_and_finding(signs_in_externally(&pending)),
            (Warning, F::InvitationNotAccepted)
        );
        pending.external_user_state = None;
        assert_eq!(
            verdict_and_finding(signs_in_externally(&pending)),
            (Blocks, F::AlreadyInternal)
        );
        let otp = user("x@contoso.se", ("federated", "mail"), None);
        assert_eq!(signs_in_externally(&otp).values["issuer"], "mail");
    }

    #[test]
    fn a_synced_accounts_password_is_explained_by_its_domains_sign_in_or_said_to_be_unknown() {
        let synced = |upn: &str| user(upn, ("federated", "ExternalAzureAD"), Some(true));
        let ok = Ok(domains());
        assert_eq!(
            verdict_and_finding(password(&synced("moa@contoso.net"), &ok)),
            (Information, F::PasswordFederated)
        );
        assert_eq!(
            verdict_and_finding(password(&synced("signe@contoso.se"), &ok)),
            (Warning, F::PasswordOnPremises)
        );
        let unreadable = Err(AppError::new(ErrorCode::AccessDenied, "Insufficient privileges"));
        let unknown = password(&synced("signe@contoso.se"), &unreadable);
        assert_eq!((unknown.verdict, unknown.finding), (Warning, F::PasswordSourceUnknown));
        assert_eq!(unknown.reason.unwrap().code, ErrorCode::AccessDenied);
        assert_eq!(
            verdict_and_finding(password(&external("dora@contoso.se"), &ok)),
            (Passed, F::PasswordSetHere)
        );
    }

    #[test]
    fn the_upn_is_prefilled_only_from_a_verified_managed_domain() {
        let list = domains();
        assert_eq!(
            prefill(&external("Dora@contoso.se"), &list),
            (Some("Dora@contoso.se".into()), None)
        );
        // Federated domain: no prefill, the alias in the default managed domain is suggested.
        assert_eq!(
            prefill(&external("viktor@contoso.net"), &list),
            (None, Some("viktor@contoso.se".into()))
        );
        let guest = external("dora.lindberg_fabrikam.com#EXT#@contoso.onmicrosoft.com");
        assert_eq!(prefill(&guest, &list), (None, Some("dora.lindberg@contoso.se".into())));
        assert_eq!(upn(&guest, &Ok(list.clone())).finding, F::UpnGuestFormat);
        assert_eq!(
            upn(&external("viktor@contoso.net"), &Ok(list.clone())).finding,
            F::UpnDomainFederated
        );
        assert_eq!(
            upn(&external("x@elsewhere.example"), &Ok(list.clone())).finding,
            F::UpnDomainNotVerified
        );
        let synced = user("signe@contoso.se", ("federated", "ExternalAzureAD"), Some(true));
        assert_eq!(prefill(&synced, &list), (None, None), "a synced UPN is not set here");
        assert_eq!(upn(&synced, &Ok(list)).finding, F::UpnStaysOnPremises);
    }

    #[test]
    fn roles_block_unreadable_roles_leave_it_to_microsoft() {
        let held = RolesHeld { count: 2, names: vec!["Helpdesk Administrator".into()] };
        let check = roles(&Ok(held));
        assert_eq!((check.verdict, check.values["count"].as_str()), (Blocks, "2"));
        assert_eq!(roles(&Ok(RolesHeld { count: 0, names: vec![] })).verdict, Passed);
        let denied = AppError::new(ErrorCode::AccessDenied, "Insufficient privileges");
        assert_eq!(roles(&Err(denied)).verdict, Verdict::CouldNotCheck);
    }

    #[test]
    fn a_missing_permission_blocks_and_an_unknown_one_is_information() {
        let facts = |granted| ReverseFacts {
            user: external("dora@contoso.se"),
            roles: Ok(RolesHeld { count: 0, names: vec![] }),
            domains: Ok(domains()),
            admin: ReverseAdmin {
                facts: AdminFacts { can_convert: Some(true), has_mailbox: true },
                permission_granted: granted,
            },
        };
        use crate::reverse::{report, ReverseOutcome};
        assert_eq!(report(&facts(Some(true))).outcome, ReverseOutcome::Ready);
        assert_eq!(report(&facts(Some(false))).outcome, ReverseOutcome::Blocked);
        assert_eq!(report(&facts(None)).outcome, ReverseOutcome::Ready);
        let ready = report(&facts(Some(true)));
        assert_eq!(ready.upn_prefill.as_deref(), Some("dora@contoso.se"));
        assert!(ready.force_change_password_default);
        let ids: Vec<Id> = ready.checks.iter().map(|c| c.id).collect();
        assert_eq!(ids.len(), 11);
        assert_eq!(ids[0], Id::SignsInExternally);
    }
}
