//! The review the admin saw, kept in Rust, and the one way from it to a write: the UI sends an
//! intention (this review, this kind, this message) and rehome-core builds the plan – whether
//! `mail` is set, to which address, for which user – after checking again what the review found.
//! A review older than a few minutes is read again first (one round trip), so nothing is sent on
//! facts that may have changed.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Deserialize;
use ts_rs::TS;

use crate::{
    auth::random_token,
    cloud::is_guid,
    eligibility::{self, AdminFacts, CheckId, Outcome, Report, Verdict},
    email,
    graph::GraphClient,
    invitation::{ConversionPlan, MessageSettings},
    journal::EntryKind,
    AppError, ErrorCode,
};

/// After this long a review is read again before anything is built on it.
pub const REVIEW_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// What the admin asks for: a write of `kind` for the user of `review_id`, with this message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Intention {
    pub review_id: String,
    pub kind: EntryKind,
    pub message: MessageSettings,
}

struct Kept {
    report: Report,
    read_at: Instant,
    /// A write was tried on it: read the user again before the next one.
    written: bool,
}

/// The reviews of this sign-in, by id.
#[derive(Default)]
pub struct Reviews {
    kept: Mutex<HashMap<String, Kept>>,
}

impl Reviews {
    /// Keeps `report` and returns it with its id.
    pub fn keep(&self, mut report: Report) -> Result<Report, AppError> {
        report.review_id = random_token()?;
        self.store(report.clone());
        Ok(report)
    }

    /// Keeps `report` under its id as just read; one review per user is enough (another email
    /// chosen replaces the older).
    fn store(&self, report: Report) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|id, k| k.report.user.id != report.user.id || *id == report.review_id);
        let id = report.review_id.clone();
        kept.insert(id, Kept { report, read_at: Instant::now(), written: false });
    }

    /// A write was tried on this review (whatever its outcome): what it read may have changed, so
    /// the next plan reads the user again first.
    pub fn written(&self, review_id: &str) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = kept.get_mut(review_id) {
            kept.written = true;
        }
    }

    /// Forgets every review: a new sign-in may be another organisation.
    pub fn forget_all(&self) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The plan for `intention`, or why it cannot be. Reads the user again (one round trip) when
    /// the review is older than `max_age`.
    pub async fn plan(
        &self,
        graph: &GraphClient,
        intention: &Intention,
        admin: AdminFacts,
        max_age: Duration,
    ) -> Result<ConversionPlan, AppError> {
        let (report, stale) = {
            let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            let found = kept.get(&intention.review_id).ok_or_else(unknown_review)?;
            (found.report.clone(), found.written || found.read_at.elapsed() > max_age)
        };
        let report = if stale {
            let mut fresh =
                eligibility::review(graph, &report.user.id, report.email.as_deref(), admin).await?;
            fresh.review_id = intention.review_id.clone();
            self.store(fresh.clone());
            fresh
        } else {
            report
        };
        plan_for(&report, intention.kind, intention.message.clone())
    }
}

/// The plan a review allows for `kind`, or the reason it refuses. Pure: the tests call it with
/// any report, forged or not.
pub fn plan_for(
    report: &Report,
    kind: EntryKind,
    message: MessageSettings,
) -> Result<ConversionPlan, AppError> {
    let user = &report.user;
    if !is_guid(&user.id) {
        return Err(refused(format!("'{}' is not a user's object ID", user.id)));
    }
    let Some(address) = report.email.clone() else {
        return Err(refused("no email address was chosen".into()));
    };
    if email::problem(&address, &report.verified_domains).is_some() {
        return Err(refused(format!("'{address}' cannot be the invitation address")));
    }
    let address_blocked = report.checks.iter().any(|c| {
        c.verdict == Verdict::Blocks
            && matches!(c.id, CheckId::EmailAddress | CheckId::EmailDomain | CheckId::EmailInUse)
    });
    let pending = user.external_user_state.as_deref() == Some("PendingAcceptance");
    let allowed = match kind {
        EntryKind::Conversion => {
            matches!(report.outcome, Outcome::Ready | Outcome::ReadyWithWarnings)
        }
        EntryKind::Resend => report.outcome == Outcome::AlreadyB2b && pending,
        EntryKind::ResetRedemption => {
            report.outcome == Outcome::AlreadyB2b && user.external_user_state.is_some()
        }
        // The way back has its own review and plan (`reverse`), never an invitation.
        EntryKind::ConvertToInternal => false,
    };
    if !allowed || address_blocked {
        return Err(refused(format!(
            "the review of {} does not allow this ({:?})",
            user.user_principal_name, report.outcome
        )));
    }
    Ok(ConversionPlan {
        kind,
        user_id: user.id.clone(),
        user_principal_name: user.user_principal_name.clone(),
        display_name: user.display_name.clone(),
        email: address,
        // A resend goes to the address the account has; a conversion or a reset may set one.
        set_mail: kind != EntryKind::Resend && report.sets_mail,
        message,
    })
}

fn refused(why: String) -> AppError {
    AppError::new(ErrorCode::InvalidInput, format!("Nothing was sent: {why}."))
}

fn unknown_review() -> AppError {
    AppError::new(
        ErrorCode::ReviewExpired,
        "This review is no longer known (Rehome restarted or you signed in again); open the user again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{eligibility::ReviewedUser, invitation::Landing};

    fn ready(id: &str, email: &str) -> Report {
        let user: ReviewedUser = serde_json::from_value(serde_json::json!({
            "id": id, "displayName": "Oscar Ward", "userPrincipalName": "oscar.ward@contoso.se",
            "mail": email, "userType": "Member", "accountEnabled": true,
        }))
        .unwrap();
        Report {
            review_id: "r".into(),
            user,
            outcome: Outcome::Ready,
            checks: vec![],
            email: Some(email.into()),
            candidates: vec![],
            sets_mail: false,
            verified_domains: vec!["contoso.se".into()],
            suggested_language: "en-US".into(),
        }
    }

    fn message() -> MessageSettings {
        MessageSettings {
            send_email: true,
            language: "en-US".into(),
            personal_message: String::new(),
            cc: None,
            landing: Landing::MyApps,
        }
    }

    #[test]
    fn a_report_whatever_it_claims_is_held_to_the_rules() {
        let id = "5e1c6a8e-0000-4000-8000-000000000006";
        assert!(
            plan_for(&ready(id, "oscar@fabrikam.com"), EntryKind::Conversion, message()).is_ok()
        );
        for report in [
            ready("../me", "oscar@fabrikam.com"),
            ready(id, "oscar@contoso.se"),
            ready(id, "oscar+x@fabrikam.com"),
            ready(id, "åsa@fabrikam.com"),
            Report { email: None, ..ready(id, "oscar@fabrikam.com") },
            Report { outcome: Outcome::Blocked, ..ready(id, "oscar@fabrikam.com") },
        ] {
            let refused = plan_for(&report, EntryKind::Conversion, message()).unwrap_err();
            assert_eq!(refused.code, ErrorCode::InvalidInput, "{report:?}");
        }
    }
}
