//! The run of the way back, as careful as the conversion to B2B: the intent goes into the journal
//! first (with the password's placeholder), then the one request (throttling waited out, a lost
//! answer settled by reading the account, never by sending again), then a re-read to verify. The
//! password is made just before the request, returned once in the result, and kept out of the
//! journal, the logs and every error.

use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
    time::{Duration, Instant},
};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::{
    generate_password, plan_for, review, OneTimePassword, ReverseAdmin, ReverseIntention,
    ReversePlan, ReverseReport,
};
use crate::{
    auth::random_token,
    cloud::is_guid,
    graph::{GraphClient, WriteFailure},
    invitation::Tenant,
    journal::{EntryKind, EntryOutcome, Finish, Intent, Journal, JournalEntry},
    profile::Profile,
    refusal::{self, Refusal},
    AppError, ErrorCode,
};

/// Who converts, and in which organisation.
#[derive(Debug, Clone)]
pub struct ReverseContext {
    pub admin_upn: String,
    pub tenant: Tenant,
}

impl ReverseContext {
    pub fn of(profile: &Profile) -> ReverseContext {
        ReverseContext {
            admin_upn: profile.admin.user_principal_name.clone(),
            tenant: profile.tenant(),
        }
    }
}

/// Each step as it happens, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "step", rename_all_fields = "camelCase")]
pub enum ReverseProgress {
    /// The intent is in the journal; nothing is sent yet.
    Recorded {
        journal_id: u32,
    },
    Converting,
    /// Graph asked Rehome to wait before it accepts the request.
    Throttled {
        seconds: f64,
    },
    /// The answer was lost: reading the account to learn whether it was converted.
    Checking,
    Verifying,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReverseResult {
    pub journal_id: u32,
    pub outcome: EntryOutcome,
    /// The UPN and email the account has now (from Microsoft's answer, or the re-read).
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub user_type: Option<String>,
    /// `convertedToInternalUserDateTime` from Microsoft's answer.
    pub converted_at: Option<String>,
    /// The new password, shown once (copy it now; Rehome keeps it nowhere). Only for a cloud
    /// account, and only when the conversion happened or may have.
    pub one_time_password: Option<OneTimePassword>,
    pub force_change_password: bool,
    /// The re-read shows an account that signs in with the organisation.
    pub verified: bool,
    /// The answer was lost and reading the account showed the conversion happened.
    pub confirmed_by_reading: bool,
    pub request_ids: Vec<String>,
    pub error: Option<AppError>,
    /// The error recognised as one of Microsoft's known refusals.
    pub refusal: Option<Refusal>,
    /// Nothing was refused and nothing happened: the same intention may simply be tried again.
    pub can_try_again: bool,
}

struct Kept {
    report: ReverseReport,
    read_at: Instant,
    written: bool,
}

/// The reviews of the way back for this sign-in, and the conversions running now (one per user).
#[derive(Default)]
pub struct Reversals {
    kept: Mutex<HashMap<String, Kept>>,
    running: Mutex<HashSet<String>>,
}

struct Running<'a> {
    reversals: &'a Reversals,
    user_id: String,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.reversals.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.user_id);
    }
}

impl Reversals {
    /// Reads the account (one round trip) and keeps the report under a new id.
    pub async fn review(
        &self,
        graph: &GraphClient,
        user_id: &str,
        admin: ReverseAdmin,
    ) -> Result<ReverseReport, AppError> {
        let mut report = review(graph, user_id, admin).await?;
        report.review_id = random_token()?;
        self.store(report.clone());
        Ok(report)
    }

    fn store(&self, report: ReverseReport) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|id, k| k.report.user.id != report.user.id || *id == report.review_id);
        let id = report.review_id.clone();
        kept.insert(id, Kept { report, read_at: Instant::now(), written: false });
    }

    /// A conversion was tried on this review: the next plan reads the account again.
    pub fn written(&self, review_id: &str) {
        if let Some(kept) = self.kept.lock().unwrap_or_else(|p| p.into_inner()).get_mut(review_id) {
            kept.written = true;
        }
    }

    /// Forgets every review: a new sign-in may be another organisation.
    pub fn forget_all(&self) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The plan for `intention`, checked against its review – read again first (one round trip)
    /// when it is older than `max_age` or a conversion was tried on it.
    pub async fn plan(
        &self,
        graph: &GraphClient,
        intention: &ReverseIntention,
        admin: ReverseAdmin,
        max_age: Duration,
    ) -> Result<ReversePlan, AppError> {
        let (report, stale) = {
            let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            let found = kept.get(&intention.review_id).ok_or_else(|| {
                AppError::new(
                    ErrorCode::ReviewExpired,
                    "This review is no longer known (Rehome restarted or you signed in again); open the user again.",
                )
            })?;
            (found.report.clone(), found.written || found.read_at.elapsed() > max_age)
        };
        let report = if stale {
            let mut fresh = review(graph, &report.user.id, admin).await?;
            fresh.review_id = intention.review_id.clone();
            self.store(fresh.clone());
            fresh
        } else {
            report
        };
        plan_for(&report, intention)
    }

    fn start(&self, user_id: &str) -> Result<Running<'_>, AppError> {
        let user_id = user_id.to_lowercase();
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if !running.insert(user_id.clone()) {
            return Err(AppError::new(
                ErrorCode::AlreadyRunning,
                "A conversion of this user is already running.",
            ));
        }
        Ok(Running { reversals: self, user_id })
    }

    /// Converts as `plan` says. `Err` only when nothing was sent (bad plan, journal, another
    /// run); once the intent is journalled every ending is an `Ok` result.
    pub async fn convert(
        &self,
        graph: &GraphClient,
        journal: &Journal,
        plan: &ReversePlan,
        context: &ReverseContext,
        progress: impl Fn(ReverseProgress),
    ) -> Result<ReverseResult, AppError> {
        if !is_guid(&plan.user_id) || (!plan.synced && plan.new_user_principal_name.is_none()) {
            return Err(AppError::invalid_input("Nothing was sent: the plan is incomplete."));
        }
        let _running = self.start(&plan.user_id)?;
        // Made before the journal entry so a failing random source sends and records nothing.
        let password = if plan.sets_password { Some(generate_password()?) } else { None };
        let intent = intent_of(plan, context);
        let journal_id = journal.off_thread(move |j| j.begin(&intent)).await?;
        progress(ReverseProgress::Recorded { journal_id });
        let result = steps(graph, plan, password, journal_id, &progress).await;
        let finish = Finish {
            outcome: Some(result.outcome),
            invitation_id: None,
            status: None,
            request_ids: result.request_ids.clone(),
            error: result.error.clone(),
        };
        journal.off_thread(move |j| j.finish(journal_id, &finish)).await?;
        Ok(result)
    }
}

/// What the journal records before anything is sent: the request with the password's
/// placeholder, never the password.
pub fn intent_of(plan: &ReversePlan, context: &ReverseContext) -> Intent {
    let tenant = &context.tenant;
    Intent {
        kind: EntryKind::ConvertToInternal,
        admin_upn: context.admin_upn.clone(),
        cloud: serde_json::to_value(tenant.cloud)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        tenant_id: tenant.id.clone(),
        user_id: plan.user_id.clone(),
        user_upn: plan.user_principal_name.clone(),
        user_name: plan.display_name.clone(),
        email: plan.mail_after.clone().unwrap_or_default(),
        set_mail: plan.new_mail.is_some(),
        send_email: false,
        language: String::new(),
        personal_message: None,
        cc: None,
        redirect_url: String::new(),
        requests: vec![plan.request()],
    }
}

/// Whatever Graph or the network said, with the password (should anything ever echo it) out.
fn scrub(mut error: AppError, password: Option<&OneTimePassword>) -> AppError {
    if let Some(password) = password {
        error.message = error.message.replace(password.expose(), "[hidden]");
    }
    error
}

fn has_external_identity(user: &Value) -> bool {
    user["identities"]
        .as_array()
        .is_some_and(|list| list.iter().any(|i| i["signInType"] == "federated"))
}

/// The account, read back, signs in with the organisation (and has the new UPN, if one was set).
/// Microsoft does not document what the account looks like afterwards; `userType` and the
/// identities are what the service's own description ("signs in as an internal user") implies.
fn shows_conversion(user: &Value, plan: &ReversePlan) -> bool {
    let upn_matches = plan.new_user_principal_name.as_deref().is_none_or(|upn| {
        user["userPrincipalName"].as_str().is_some_and(|now| now.eq_ignore_ascii_case(upn))
    });
    user["userType"] == "Member" && !has_external_identity(user) && upn_matches
}

async fn read_user(graph: &GraphClient, user_id: &str) -> Result<Value, AppError> {
    graph
        .get(&format!(
            "/users/{user_id}?$select=id,userPrincipalName,mail,userType,identities,externalUserState"
        ))
        .await
}

async fn steps(
    graph: &GraphClient,
    plan: &ReversePlan,
    password: Option<OneTimePassword>,
    journal_id: u32,
    progress: &impl Fn(ReverseProgress),
) -> ReverseResult {
    let mut result = ReverseResult {
        journal_id,
        outcome: EntryOutcome::Failed,
        user_principal_name: None,
        mail: None,
        user_type: None,
        converted_at: None,
        one_time_password: None,
        force_change_password: plan.sets_password && plan.force_change_password,
        verified: false,
        confirmed_by_reading: false,
        request_ids: vec![],
        error: None,
        refusal: None,
        can_try_again: false,
    };
    progress(ReverseProgress::Converting);
    let body = plan.body(password.as_ref().map_or("", OneTimePassword::expose));
    let on_wait =
        |wait: Duration| progress(ReverseProgress::Throttled { seconds: wait.as_secs_f64() });
    let sent = graph.write_beta(reqwest::Method::POST, &plan.path(), &body, on_wait).await;
    let request_id = match &sent {
        Ok(written) => written.request_id.clone(),
        Err(failure) => failure.error().details.as_ref().and_then(|d| d.request_id.clone()),
    };
    result.request_ids.extend(request_id);
    match sent {
        Ok(written) => {
            let answer = &written.body;
            let text = |name: &str| answer[name].as_str().map(str::to_owned);
            result.user_principal_name = text("userPrincipalName");
            result.mail = text("mail");
            result.converted_at = text("convertedToInternalUserDateTime");
        }
        Err(WriteFailure::Unanswered(error)) => {
            progress(ReverseProgress::Checking);
            let error = scrub(error, password.as_ref());
            match read_user(graph, &plan.user_id).await {
                Ok(user) if shows_conversion(&user, plan) => result.confirmed_by_reading = true,
                // Still signing in externally: the conversion did not happen.
                Ok(user) if has_external_identity(&user) => {
                    return end(result, EntryOutcome::Failed, error)
                }
                // Neither proves it either way: the password may be the account's now.
                _ => {
                    result.one_time_password = password;
                    return end(result, EntryOutcome::Unknown, error);
                }
            }
        }
        Err(failure) => {
            return end(
                result,
                EntryOutcome::Failed,
                scrub(failure.error().clone(), password.as_ref()),
            )
        }
    }
    result.outcome = EntryOutcome::Succeeded;
    result.one_time_password = password;
    progress(ReverseProgress::Verifying);
    match read_user(graph, &plan.user_id).await {
        Ok(user) => {
            result.verified = shows_conversion(&user, plan);
            let text = |name: &str| user[name].as_str().map(str::to_owned);
            result.user_principal_name = text("userPrincipalName").or(result.user_principal_name);
            result.mail = text("mail").or(result.mail);
            result.user_type = text("userType");
        }
        // Microsoft accepted the conversion; only the check could not be made.
        Err(error) => result.error = Some(error),
    }
    result
}

fn end(mut result: ReverseResult, outcome: EntryOutcome, error: AppError) -> ReverseResult {
    result.outcome = outcome;
    result.refusal = refusal::recognise(&error, EntryKind::ConvertToInternal);
    result.can_try_again = outcome == EntryOutcome::Failed
        && result.refusal.is_none()
        && matches!(
            error.code,
            ErrorCode::Throttled | ErrorCode::ServiceUnavailable | ErrorCode::Network
        );
    result.error = Some(error);
    result
}

/// An unfinished entry of this kind (Rehome closed or was killed mid-way): read the account and
/// record what happened. Called by `convert::reconcile`, which checked the organisation.
pub async fn settle(
    graph: &GraphClient,
    journal: &Journal,
    entry: &JournalEntry,
) -> Result<EntryOutcome, AppError> {
    let user = read_user(graph, &entry.intent.user_id).await?;
    // The new UPN is in the journalled request (a synced account's body is empty).
    let new_upn = entry
        .intent
        .requests
        .first()
        .and_then(|r| serde_json::from_str::<Value>(&r.body).ok())
        .and_then(|body| body["userPrincipalName"].as_str().map(str::to_owned));
    let plan = ReversePlan {
        user_id: entry.intent.user_id.clone(),
        display_name: entry.intent.user_name.clone(),
        user_principal_name: entry.intent.user_upn.clone(),
        synced: new_upn.is_none(),
        new_user_principal_name: new_upn,
        sets_password: false,
        force_change_password: false,
        new_mail: None,
        mail_after: None,
    };
    let (outcome, error) = if shows_conversion(&user, &plan) {
        (EntryOutcome::Succeeded, None)
    } else if has_external_identity(&user) {
        let message = "Rehome closed before the conversion to internal was confirmed; the account still signs in externally.";
        (EntryOutcome::Failed, Some(AppError::new(ErrorCode::ServiceError, message)))
    } else {
        let message = "Rehome closed before the conversion to internal was confirmed, and reading the account could not tell whether it happened.";
        (EntryOutcome::Unknown, Some(AppError::new(ErrorCode::ServiceError, message)))
    };
    let (id, finish) = (entry.id, Finish { outcome: Some(outcome), error, ..Default::default() });
    journal.off_thread(move |j| j.finish(id, &finish)).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_that_quotes_the_password_loses_it() {
        let password = generate_password().unwrap();
        let echoed = AppError::new(
            ErrorCode::ServiceError,
            format!("The provided password {} is not valid.", password.expose()),
        );
        let scrubbed = scrub(echoed, Some(&password));
        assert_eq!(scrubbed.message, "The provided password [hidden] is not valid.");
        // The last line of defence catches a JSON body quoted in an error as well.
        let quoted = AppError::new(
            ErrorCode::ServiceError,
            format!(r#"bad body {{"password":"{}"}}"#, password.expose()),
        );
        assert!(!quoted.message.contains(password.expose()), "{}", quoted.message);
    }
}
