//! The conversion itself (DOMAIN.md §1.3, §2): journal the intent, set `mail` if planned, send
//! the invitation, re-read the user to verify, journal the outcome. A write is never sent twice:
//! when its answer is lost, the user is read to learn whether it happened.
//!
//! Roles are not checked here: Microsoft decides, and its refusal is explained (§11.7). A `mail`
//! just set can take minutes to reach the invitation service (§11.4): its refusal was not
//! applied, so the invitation is sent again after a visible wait the admin can cancel.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use time::{format_description::well_known::Rfc3339, OffsetDateTime};
use tokio::sync::Notify;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{
    graph::{GraphClient, WriteFailure},
    invitation::{ConversionPlan, Tenant},
    journal::{EntryKind, EntryOutcome, Finish, Intent, Journal},
    profile::Profile,
    refusal::Refusal,
    AppError, ErrorCode,
};

/// Who converts, where, and what the journal may keep.
#[derive(Debug, Clone)]
pub struct ConversionContext {
    pub admin_upn: String,
    pub tenant: Tenant,
    /// Settings: personal message bodies are kept in the journal unless the admin turned it off.
    pub keep_message_bodies: bool,
    pub propagation: PropagationWaits,
}

impl ConversionContext {
    pub fn of(profile: &Profile, keep_message_bodies: bool) -> ConversionContext {
        ConversionContext {
            admin_upn: profile.admin.user_principal_name.clone(),
            tenant: profile.tenant(),
            keep_message_bodies,
            propagation: PropagationWaits::default(),
        }
    }
}

/// How long to wait before each new invitation attempt while Microsoft's invitation service does
/// not see the `mail` this conversion just set. Microsoft's B2BConversion script tells admins
/// propagation "can take up to 5 min": the default waits add up to a little under five minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropagationWaits(pub Vec<Duration>);

impl Default for PropagationWaits {
    fn default() -> Self {
        let seconds = [5, 10, 15, 20, 30, 30, 30, 30, 30, 30, 30, 30];
        PropagationWaits(seconds.map(Duration::from_secs).to_vec())
    }
}

/// Each step as it happens, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "step", rename_all_fields = "camelCase")]
pub enum Progress {
    /// The intent is in the journal; nothing is sent yet.
    Recorded {
        journal_id: u32,
    },
    SettingMail,
    Inviting,
    /// Graph asked Rehome to wait before it accepts the request.
    Throttled {
        seconds: f64,
    },
    /// Microsoft's invitation service does not see the new email yet; the invitation is sent
    /// again after `seconds` (attempt `attempt` of at most `attempts`). The admin may cancel.
    WaitingForMail {
        seconds: f64,
        attempt: u32,
        attempts: u32,
    },
    /// An answer was lost: reading the user to learn whether the request took effect.
    Checking,
    Verifying,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversionResult {
    pub journal_id: u32,
    pub outcome: EntryOutcome,
    /// `mail` now holds the address (set by this conversion or already before).
    pub mail_set: bool,
    pub invitation_sent: bool,
    pub invitation_id: Option<String>,
    /// The redemption link: shown once (Graph cannot give it again), never journalled or logged.
    pub redeem_url: Option<String>,
    /// The user's `externalUserState` when last read, e.g. `PendingAcceptance`.
    pub external_user_state: Option<String>,
    /// The invitation's answer was lost and the re-read showed it took effect: no link.
    pub confirmed_by_reading: bool,
    pub request_ids: Vec<String>,
    pub error: Option<AppError>,
    /// The error recognised as one of Microsoft's known refusals, to explain cause and fix.
    pub refusal: Option<Refusal>,
    /// Teams in this organisation and cloud, for the next steps.
    pub teams_link: String,
    /// Nothing was refused and the invitation was not sent: the same intention may simply be
    /// tried again (throttling that outlasted the retries, an outage, a network drop, a stopped
    /// wait). A definite refusal, or an answer that may have been applied, is never this.
    pub can_try_again: bool,
}

/// Refuses a second conversion of the same user while one runs (in Rust, not only in the UI),
/// and lets the admin stop a running one's wait for propagation.
#[derive(Debug, Default)]
pub struct Conversions {
    running: Mutex<HashMap<String, Arc<Notify>>>,
}

struct Running<'a> {
    conversions: &'a Conversions,
    user_id: String,
    cancel: Arc<Notify>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut running = self.conversions.running.lock().unwrap_or_else(|p| p.into_inner());
        running.remove(&self.user_id);
    }
}

impl Conversions {
    fn start(&self, user_id: &str) -> Result<Running<'_>, AppError> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let user_id = user_id.to_lowercase();
        if running.contains_key(&user_id) {
            return Err(AppError::new(
                ErrorCode::AlreadyRunning,
                "A conversion of this user is already running.",
            ));
        }
        let cancel = Arc::new(Notify::new());
        running.insert(user_id.clone(), cancel.clone());
        Ok(Running { conversions: self, user_id, cancel })
    }

    /// Stops the running conversion of this user at its next wait for propagation (a request
    /// already sent is never abandoned). False when none runs.
    pub fn stop_waiting(&self, user_id: &str) -> bool {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match running.get(&user_id.to_lowercase()) {
            Some(cancel) => {
                // A stored permit: a stop that arrives just before the wait still stops it.
                cancel.notify_one();
                true
            }
            None => false,
        }
    }

    /// Converts as `plan` says. `Err` only when nothing was sent (bad input, journal or
    /// another run); once the intent is journalled every ending is an `Ok` result.
    pub async fn convert(
        &self,
        graph: &GraphClient,
        journal: &Journal,
        plan: &ConversionPlan,
        context: &ConversionContext,
        progress: impl Fn(Progress),
    ) -> Result<ConversionResult, AppError> {
        let problems: Vec<String> =
            plan.message.problems().into_iter().map(|p| p.describe()).collect();
        if !problems.is_empty() {
            return Err(AppError::invalid_input(format!(
                "Nothing was sent: {}.",
                problems.join("; ")
            )));
        }
        if crate::email::problem(&plan.email, &[]).is_some() {
            return Err(AppError::invalid_input(format!(
                "Nothing was sent: '{}' cannot be used as the invitation address.",
                plan.email
            )));
        }
        let running = self.start(&plan.user_id)?;
        let started = SystemTime::now();
        let intent = intent_of(plan, context);
        let journal_id = journal.off_thread(move |j| j.begin(&intent)).await?;
        progress(Progress::Recorded { journal_id });
        let mut run = Run {
            graph,
            plan,
            journal,
            journal_id,
            started,
            context,
            cancel: &running.cancel,
            progress: &progress,
            request_ids: vec![],
        };
        let result = run.steps().await;
        let finish = Finish {
            outcome: Some(result.outcome),
            invitation_id: result.invitation_id.clone(),
            status: result.external_user_state.clone(),
            request_ids: result.request_ids.clone(),
            error: result.error.clone(),
        };
        journal.off_thread(move |j| j.finish(journal_id, &finish)).await?;
        Ok(result)
    }
}

/// What the journal records before anything is sent.
pub fn intent_of(plan: &ConversionPlan, context: &ConversionContext) -> Intent {
    let message = &plan.message;
    let tenant = &context.tenant;
    let requests = plan.requests(tenant);
    Intent {
        kind: plan.kind,
        admin_upn: context.admin_upn.clone(),
        cloud: serde_json::to_value(tenant.cloud)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        tenant_id: tenant.id.clone(),
        user_id: plan.user_id.clone(),
        user_upn: plan.user_principal_name.clone(),
        user_name: plan.display_name.clone(),
        email: plan.email.clone(),
        set_mail: plan.set_mail,
        send_email: message.send_email,
        language: message.language.clone(),
        personal_message: context.keep_message_bodies.then(|| message.personal_message.clone()),
        cc: message.cc.clone(),
        redirect_url: message.redirect_url(tenant),
        // The journal keeps the exact requests, less the body the admin chose not to keep.
        requests: if context.keep_message_bodies {
            requests
        } else {
            let mut without = plan.clone();
            without.message.personal_message = String::new();
            without.requests(tenant)
        },
    }
}

struct Run<'a, P: Fn(Progress)> {
    graph: &'a GraphClient,
    plan: &'a ConversionPlan,
    journal: &'a Journal,
    journal_id: u32,
    /// Just before the intent was journalled: a resend or reset is proven by a state change
    /// after this (DOMAIN.md §11.8).
    started: SystemTime,
    context: &'a ConversionContext,
    cancel: &'a Notify,
    progress: &'a P,
    request_ids: Vec<String>,
}

impl<P: Fn(Progress)> Run<'_, P> {
    async fn steps(&mut self) -> ConversionResult {
        let mut result = ConversionResult {
            journal_id: self.journal_id,
            outcome: EntryOutcome::Failed,
            mail_set: !self.plan.set_mail,
            invitation_sent: false,
            invitation_id: None,
            redeem_url: None,
            external_user_state: None,
            confirmed_by_reading: false,
            request_ids: vec![],
            error: None,
            refusal: None,
            teams_link: self.context.tenant.teams_link(),
            can_try_again: false,
        };
        let user_path = format!("/users/{}", self.plan.user_id);
        if self.plan.set_mail {
            (self.progress)(Progress::SettingMail);
            match self.write(reqwest::Method::PATCH, &user_path, &self.plan.mail_patch()).await {
                Ok(_) => result.mail_set = true,
                Err(WriteFailure::Unanswered(error)) => {
                    (self.progress)(Progress::Checking);
                    match self.read_user().await {
                        Ok(user) if holds(&user["mail"], &self.plan.email) => {
                            result.mail_set = true
                        }
                        Ok(_) => return self.end(result, EntryOutcome::Failed, error),
                        Err(_) => return self.end(result, EntryOutcome::Unknown, error),
                    }
                }
                Err(failure) => {
                    return self.end(result, EntryOutcome::Failed, failure.error().clone())
                }
            }
        }

        let invitation = self.plan.invitation(&self.context.tenant);
        let waits = self.context.propagation.0.clone();
        let mut attempt = 0;
        loop {
            (self.progress)(Progress::Inviting);
            match self.write(reqwest::Method::POST, "/invitations", &invitation).await {
                Ok(answer) => {
                    result.invitation_sent = true;
                    result.invitation_id = answer["id"].as_str().map(str::to_owned);
                    result.redeem_url = answer["inviteRedeemUrl"].as_str().map(str::to_owned);
                    break;
                }
                Err(WriteFailure::Unanswered(error)) => {
                    (self.progress)(Progress::Checking);
                    match self.read_user().await {
                        Ok(user) if self.took_effect(&user) => {
                            result.invitation_sent = true;
                            result.confirmed_by_reading = true;
                            break;
                        }
                        // A conversion leaves no doubt: no state, no conversion. A resend or a
                        // reset whose state did not change may only be out of sight.
                        Ok(_) if self.plan.kind == EntryKind::Conversion => {
                            return self.end(result, EntryOutcome::Failed, error)
                        }
                        _ => return self.end(result, EntryOutcome::Unknown, error),
                    }
                }
                Err(WriteFailure::Refused(error)) if self.not_visible_yet(&error) => {
                    let Some(&wait) = waits.get(attempt) else {
                        return self.end(result, EntryOutcome::Failed, error);
                    };
                    attempt += 1;
                    // The refused attempt was not applied; its request-id stays in the journal.
                    self.note_attempt(&error).await;
                    (self.progress)(Progress::WaitingForMail {
                        seconds: wait.as_secs_f64(),
                        attempt: attempt as u32,
                        attempts: waits.len() as u32,
                    });
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = self.cancel.notified() => {
                            return self.end(result, EntryOutcome::Failed, stopped_waiting());
                        }
                    }
                }
                Err(failure) => {
                    return self.end(result, EntryOutcome::Failed, failure.error().clone())
                }
            }
        }

        (self.progress)(Progress::Verifying);
        match self.read_user().await {
            Ok(user) => {
                result.external_user_state = user["externalUserState"].as_str().map(str::to_owned);
                result.outcome = if result.external_user_state.is_some() {
                    EntryOutcome::Succeeded
                } else {
                    EntryOutcome::Unknown
                };
            }
            // The invitation was accepted by Graph; only the check could not be made.
            Err(error) => {
                result.outcome = EntryOutcome::Succeeded;
                result.error = Some(error);
            }
        }
        result.request_ids = std::mem::take(&mut self.request_ids);
        result
    }

    /// Whether the user, read after a lost answer, shows the invitation took effect.
    fn took_effect(&self, user: &Value) -> bool {
        match self.plan.kind {
            EntryKind::Conversion => user["externalUserState"].is_string(),
            // The state was already set before: only a change since this run began proves it.
            EntryKind::Resend | EntryKind::ResetRedemption => {
                changed_since(&user["externalUserStateChangeDateTime"], self.started)
            }
            // Never planned here (`reviews::plan_for` refuses it).
            EntryKind::ConvertToInternal => false,
        }
    }

    /// The invitation service does not see the `mail` this run set (DOMAIN.md §11.4).
    fn not_visible_yet(&self, error: &AppError) -> bool {
        self.plan.set_mail
            && crate::refusal::recognise(error, self.plan.kind) == Some(Refusal::MailMismatch)
    }

    async fn note_attempt(&self, error: &AppError) {
        let finish = Finish {
            outcome: None,
            request_ids: self.request_ids.clone(),
            error: Some(error.clone()),
            ..Default::default()
        };
        let id = self.journal_id;
        if let Err(problem) = self.journal.off_thread(move |j| j.finish(id, &finish)).await {
            tracing::warn!(%problem.message, "could not journal an invitation attempt");
        }
    }

    async fn write(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<Value, WriteFailure> {
        let progress = self.progress;
        let on_wait =
            |wait: Duration| progress(Progress::Throttled { seconds: wait.as_secs_f64() });
        let outcome = self.graph.write(method, path, body, on_wait).await;
        let request_id = match &outcome {
            Ok(written) => written.request_id.clone(),
            Err(failure) => failure.error().details.as_ref().and_then(|d| d.request_id.clone()),
        };
        self.request_ids.extend(request_id);
        outcome.map(|written| written.body)
    }

    async fn read_user(&self) -> Result<Value, AppError> {
        self.graph
            .get(&format!(
                "/users/{}?$select=id,mail,externalUserState,externalUserStateChangeDateTime",
                self.plan.user_id
            ))
            .await
    }

    fn end(
        &mut self,
        mut result: ConversionResult,
        outcome: EntryOutcome,
        error: AppError,
    ) -> ConversionResult {
        result.outcome = outcome;
        result.refusal = crate::refusal::recognise(&error, self.plan.kind);
        result.can_try_again = outcome == EntryOutcome::Failed
            && !result.invitation_sent
            && result.refusal.is_none()
            && matches!(
                error.code,
                ErrorCode::Throttled
                    | ErrorCode::ServiceUnavailable
                    | ErrorCode::Network
                    | ErrorCode::StoppedWaiting
            );
        result.error = Some(error);
        result.request_ids = std::mem::take(&mut self.request_ids);
        result
    }
}

fn holds(mail: &Value, email: &str) -> bool {
    mail.as_str().is_some_and(|m| m.eq_ignore_ascii_case(email))
}

fn stopped_waiting() -> AppError {
    AppError::new(
        ErrorCode::StoppedWaiting,
        "Stopped waiting for Microsoft to see the new email; the invitation was not sent.",
    )
}

/// Whether `externalUserStateChangeDateTime` (RFC 3339, whole seconds) is at or after `start`,
/// compared in whole seconds as Graph gives them.
fn changed_since(changed: &Value, start: SystemTime) -> bool {
    let Some(changed) = changed.as_str().and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
    else {
        return false;
    };
    changed.unix_timestamp() >= OffsetDateTime::from(start).unix_timestamp()
}

/// An entry the app never finished (closed or killed mid-way): read the user and record what
/// actually happened – only in the organisation the entry was made in.
pub async fn reconcile(
    graph: &GraphClient,
    journal: &Journal,
    journal_id: u32,
    signed_in_tenant: &str,
) -> Result<EntryOutcome, AppError> {
    let entry = journal.off_thread(move |j| j.entry(journal_id)).await?.ok_or_else(|| {
        AppError::new(ErrorCode::NotFound, format!("Journal entry {journal_id} is not there."))
    })?;
    if !entry.intent.tenant_id.eq_ignore_ascii_case(signed_in_tenant) {
        return Err(AppError::invalid_input(format!(
            "This conversion was made in another organisation ({}); sign in there to check it.",
            entry.intent.tenant_id
        )));
    }
    if entry.intent.kind == EntryKind::ConvertToInternal {
        return crate::reverse::settle(graph, journal, &entry).await;
    }
    let user = graph
        .get(&format!(
            "/users/{}?$select=id,mail,externalUserState,externalUserStateChangeDateTime",
            entry.intent.user_id
        ))
        .await?;
    let state = user["externalUserState"].as_str().map(str::to_owned);
    let started = SystemTime::UNIX_EPOCH + Duration::from_millis(entry.started_at as u64);
    let took_effect = match entry.intent.kind {
        EntryKind::Conversion => state.is_some(),
        EntryKind::Resend | EntryKind::ResetRedemption => {
            changed_since(&user["externalUserStateChangeDateTime"], started)
        }
        // Settled by `reverse::settle` above.
        EntryKind::ConvertToInternal => false,
    };
    let outcome = if took_effect { EntryOutcome::Succeeded } else { EntryOutcome::Failed };
    let mail_was_set = entry.intent.set_mail && holds(&user["mail"], &entry.intent.email);
    let error = (outcome == EntryOutcome::Failed).then(|| {
        let message = if mail_was_set {
            format!(
                "Rehome closed after the email was changed to {} and before the invitation was sent; the user has not been converted.",
                entry.intent.email
            )
        } else {
            "Rehome closed before the invitation was sent; the user has not been converted."
                .to_owned()
        };
        AppError::new(ErrorCode::ServiceError, message)
    });
    let (id, finish) =
        (entry.id, Finish { outcome: Some(outcome), status: state, error, ..Default::default() });
    journal.off_thread(move |j| j.finish(id, &finish)).await?;
    Ok(outcome)
}
