//! The eligibility report: can this account be converted to B2B collaboration, and if not, why
//! and how to fix it (DOMAIN.md §1.3–§1.9, §4, §8). Everything the checks need is read in one
//! `$batch` (`read`); each check is a pure function of what was read (`facts` → `checks`), so the
//! rules are tested without a network. The UI words each finding in the admin's language
//! (`report.findings.<finding>`).

mod checks;
mod facts;
mod read;

use serde::Serialize;
use ts_rs::TS;

use crate::email::{self, EmailCandidate};
pub use checks::*;
pub use facts::*;
pub use read::review;
// The batch reads the same requests for many accounts at once and reports each the same way.
pub(crate) use read::{email_requests, report_from, usable, user_requests, DOMAINS};
use Verdict::{Blocks, Information, Passed, Warning};

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

#[cfg(test)]
mod tests {
    use super::{read::email_requests, *};
    use crate::{AppError, ErrorCode};

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
