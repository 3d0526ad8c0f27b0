//! The conversion itself (DOMAIN.md §1.3, §2): journal the intent, set `mail` if planned, send
//! the invitation, re-read the user to verify, journal the outcome. A write is never sent twice:
//! when its answer is lost, the user is read to learn whether it happened.

use std::{collections::HashSet, sync::Mutex, time::Duration};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{
    graph::{GraphClient, WriteFailure},
    invitation::ConversionPlan,
    journal::{EntryKind, EntryOutcome, Finish, Intent, Journal, JournalEntry},
    profile::{Capability, Profile},
    refusal::Refusal,
    AppError, ErrorCode,
};

/// Who converts, where, and what the journal may keep.
#[derive(Debug, Clone)]
pub struct ConversionContext {
    pub admin_upn: String,
    pub cloud: String,
    pub tenant_id: String,
    /// Settings: personal message bodies are kept in the journal unless the admin turned it off.
    pub keep_message_bodies: bool,
}

impl ConversionContext {
    pub fn of(profile: &Profile, keep_message_bodies: bool) -> ConversionContext {
        ConversionContext {
            admin_upn: profile.admin.user_principal_name.clone(),
            cloud: serde_json::to_value(profile.cloud)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            tenant_id: profile.organisation.tenant_id.clone(),
            keep_message_bodies,
        }
    }
}

/// Whether the signed-in admin's roles allow this kind of invitation; checked before anything is
/// journalled or sent. Unknown roles are left to Microsoft to decide.
pub fn allowed(kind: EntryKind, capabilities: &[Capability]) -> Result<(), AppError> {
    if capabilities.contains(&Capability::RolesUnknown) {
        return Ok(());
    }
    let (needed, roles) = match kind {
        EntryKind::Conversion => (Capability::ConvertUsers, "User Administrator"),
        EntryKind::Resend => (Capability::ResendInvitations, "User Administrator or Guest Inviter"),
        EntryKind::ResetRedemption => {
            (Capability::ResetRedemption, "Helpdesk Administrator or User Administrator")
        }
    };
    if capabilities.contains(&needed) {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::AccessDenied,
            format!("This needs the {roles} role (and consent to User.ReadWrite.All); nothing was sent."),
        ))
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
}

/// Refuses a second conversion of the same user while one runs (in Rust, not only in the UI).
#[derive(Debug, Default)]
pub struct Conversions {
    running: Mutex<HashSet<String>>,
}

struct Running<'a> {
    conversions: &'a Conversions,
    user_id: String,
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
        if !running.insert(user_id.to_lowercase()) {
            return Err(AppError::new(
                ErrorCode::AlreadyRunning,
                "A conversion of this user is already running.",
            ));
        }
        Ok(Running { conversions: self, user_id: user_id.to_lowercase() })
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
        let _running = self.start(&plan.user_id)?;
        let journal_id = journal.begin(&intent_of(plan, context))?;
        progress(Progress::Recorded { journal_id });
        let mut run = Run { graph, plan, progress: &progress, request_ids: vec![] };
        let result = run.steps(journal_id, &context.tenant_id).await;
        journal.finish(
            journal_id,
            &Finish {
                outcome: Some(result.outcome),
                invitation_id: result.invitation_id.clone(),
                status: result.external_user_state.clone(),
                request_ids: result.request_ids.clone(),
                error: result.error.clone(),
            },
        )?;
        Ok(result)
    }
}

/// What the journal records before anything is sent.
pub fn intent_of(plan: &ConversionPlan, context: &ConversionContext) -> Intent {
    let message = &plan.message;
    let requests = plan.requests(&context.tenant_id);
    Intent {
        kind: plan.kind,
        admin_upn: context.admin_upn.clone(),
        cloud: context.cloud.clone(),
        tenant_id: context.tenant_id.clone(),
        user_id: plan.user_id.clone(),
        user_upn: plan.user_principal_name.clone(),
        user_name: plan.display_name.clone(),
        email: plan.email.clone(),
        set_mail: plan.set_mail,
        send_email: message.send_email,
        language: message.language.clone(),
        personal_message: context.keep_message_bodies.then(|| message.personal_message.clone()),
        cc: message.cc.clone(),
        redirect_url: message.redirect_url(&context.tenant_id),
        // The journal keeps the exact requests, less the body the admin chose not to keep.
        requests: if context.keep_message_bodies {
            serde_json::to_string(&requests).unwrap_or_default()
        } else {
            let mut without = plan.clone();
            without.message.personal_message = String::new();
            serde_json::to_string(&without.requests(&context.tenant_id)).unwrap_or_default()
        },
    }
}

struct Run<'a, P: Fn(Progress)> {
    graph: &'a GraphClient,
    plan: &'a ConversionPlan,
    progress: &'a P,
    request_ids: Vec<String>,
}

impl<P: Fn(Progress)> Run<'_, P> {
    async fn steps(&mut self, journal_id: u32, tenant_id: &str) -> ConversionResult {
        let mut result = ConversionResult {
            journal_id,
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

        (self.progress)(Progress::Inviting);
        let invitation = self.plan.invitation(tenant_id);
        match self.write(reqwest::Method::POST, "/invitations", &invitation).await {
            Ok(answer) => {
                result.invitation_sent = true;
                result.invitation_id = answer["id"].as_str().map(str::to_owned);
                result.redeem_url = answer["inviteRedeemUrl"].as_str().map(str::to_owned);
            }
            Err(WriteFailure::Unanswered(error)) => {
                (self.progress)(Progress::Checking);
                match self.read_user().await {
                    Ok(user) if user["externalUserState"].is_string() => {
                        result.invitation_sent = true;
                        result.confirmed_by_reading = true;
                    }
                    Ok(_) => return self.end(result, EntryOutcome::Failed, error),
                    Err(_) => return self.end(result, EntryOutcome::Unknown, error),
                }
            }
            Err(failure) => return self.end(result, EntryOutcome::Failed, failure.error().clone()),
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
        result.refusal = crate::refusal::recognise(&error);
        result.error = Some(error);
        result.request_ids = std::mem::take(&mut self.request_ids);
        result
    }
}

fn holds(mail: &Value, email: &str) -> bool {
    mail.as_str().is_some_and(|m| m.eq_ignore_ascii_case(email))
}

/// An entry the app never finished (closed or killed mid-way): read the user and record what
/// actually happened.
pub async fn reconcile(
    graph: &GraphClient,
    journal: &Journal,
    entry: &JournalEntry,
) -> Result<EntryOutcome, AppError> {
    let user = graph
        .get(&format!("/users/{}?$select=id,mail,externalUserState", entry.intent.user_id))
        .await?;
    let state = user["externalUserState"].as_str().map(str::to_owned);
    let outcome = if state.is_some() { EntryOutcome::Succeeded } else { EntryOutcome::Failed };
    let error = (outcome == EntryOutcome::Failed).then(|| {
        AppError::new(
            ErrorCode::ServiceError,
            "Rehome closed before the invitation was sent; the user has not been converted.",
        )
    });
    journal.finish(
        entry.id,
        &Finish { outcome: Some(outcome), status: state, error, ..Default::default() },
    )?;
    Ok(outcome)
}
