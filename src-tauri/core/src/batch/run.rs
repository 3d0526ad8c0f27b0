//! The run. Each account goes the one-account way: `Reviews::plan` (its review read again when
//! older than five minutes) and `Conversions::convert` (journal first, `mail`, invitation,
//! propagation waits, verification), its entry marked with the batch's id. Around that:
//!
//! - `IN_FLIGHT` accounts at a time; an account waiting for Microsoft to see its new email gives
//!   its place to the next one, and goes on (paced like every invitation) when its wait is over;
//! - Pause (no new account starts), Resume, Stop (no new account starts; accounts waiting for
//!   propagation stop waiting – nothing more is sent for them; a request already sent finishes);
//! - a refusal that will meet every account alike (abuse protection, no permission to invite,
//!   the sign-in gone) or a failure that refused nothing (throttling that outlasted the retries,
//!   an outage) pauses the batch with the reason and puts the account back in the queue;
//! - each account the batch has finished with is marked done in the journal, so after Rehome
//!   was closed `resume_unfinished` settles the entries left unfinished (`convert::reconcile`),
//!   reads the remaining accounts again and goes on – a write is never repeated, since an
//!   account whose invitation took effect reads as already B2B.

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use ts_rs::TS;

use super::{
    read::{reports, Target},
    store::{BatchRecord, RowRecord},
    unknown_batch, Batches, RowVerdict, IN_FLIGHT,
};
use crate::{
    convert::{reconcile, ConversionContext, ConversionResult, Conversions, Progress},
    eligibility::{self, AdminFacts, Report},
    graph::{GraphClient, INVITATION_PACE, INVITATION_WINDOW},
    invitation::{ConversionPlan, MessageSettings},
    journal::{EntryKind, EntryOutcome, Journal, JournalEntry},
    refusal::Refusal,
    reviews::{Intention, Reviews, REVIEW_MAX_AGE},
    AppError, ErrorCode,
};

/// A dry run older than this is read again before the run, twenty reads to a round trip,
/// rather than one account at a time as each plan would once its review is five minutes old.
const REFRESH_AFTER: Duration = Duration::from_secs(4 * 60);

/// What the admin confirmed: these rows of this dry run, with this message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchIntention {
    pub batch_id: String,
    /// The lines of the rows the admin ticked.
    pub lines: Vec<u32>,
    pub message: MessageSettings,
    /// The number the admin typed to confirm; it must be the number of rows ticked.
    pub confirmed_count: u32,
}

/// Everything a run uses, as the app holds it.
pub struct RunEnv<'a> {
    pub graph: &'a GraphClient,
    pub journal: &'a Journal,
    pub reviews: &'a Reviews,
    pub conversions: &'a Conversions,
    pub context: &'a ConversionContext,
    pub admin: AdminFacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RowState {
    /// Not started yet (or back in the queue: `error` says why).
    Queued,
    Running,
    /// Waiting for Microsoft's invitation service to see the new email.
    WaitingForMail,
    Converted,
    Failed,
    /// The answer was lost and reading the account could not tell (see History).
    Unknown,
    /// Nothing was sent: the account's review no longer lets it through (`skipped_because`).
    Skipped,
}

impl RowState {
    fn finished(self) -> bool {
        matches!(
            self,
            RowState::Converted | RowState::Failed | RowState::Unknown | RowState::Skipped
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    Running,
    /// No account starts until Resume; `reason` says why when Rehome paused it.
    Paused,
    /// Stop was asked for: accounts under way finish.
    Stopping,
    /// Over, with accounts left in the queue (they can be resumed).
    Stopped,
    Finished,
}

/// One account of the run, as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchRow {
    pub line: u32,
    pub user_id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub email: String,
    pub state: RowState,
    /// Its (latest) journal entry, as in History.
    pub journal_id: Option<u32>,
    pub invitation_sent: bool,
    /// The redemption link when no email was sent: shown once, never journalled.
    pub redeem_url: Option<String>,
    pub external_user_state: Option<String>,
    pub request_ids: Vec<String>,
    pub error: Option<AppError>,
    pub refusal: Option<Refusal>,
    /// For a skipped account: what its review says now.
    pub skipped_because: Option<RowVerdict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchStatus {
    pub batch_id: String,
    pub state: RunState,
    /// Why Rehome paused the batch (the UI explains it like any error).
    pub reason: Option<AppError>,
    /// Microsoft emails the invitations (else each row's link is shown).
    pub send_email: bool,
    pub total: u32,
    pub queued: u32,
    pub running: u32,
    pub waiting: u32,
    pub converted: u32,
    pub failed: u32,
    pub unknown: u32,
    pub skipped: u32,
    /// A rough estimate while running: the pace so far, and never faster than the invitation
    /// limit allows.
    pub seconds_left: Option<f64>,
    pub rows: Vec<BatchRow>,
}

/// A batch in the journal with accounts still to do (Rehome was closed, or it was stopped).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnfinishedBatch {
    pub batch_id: String,
    /// Milliseconds since 1970 (UTC).
    pub created_at: f64,
    pub admin_upn: String,
    pub tenant_id: String,
    pub total: u32,
    pub done: u32,
    /// The personal message was not kept in the journal (Settings): write it again to resume.
    pub message_needed: bool,
}

pub(super) struct Live {
    batch_id: String,
    send_email: bool,
    state: Mutex<LiveState>,
    /// Wakes accounts waiting to start when the batch resumes or stops.
    wake: Notify,
    slots: Arc<Semaphore>,
}

struct LiveState {
    run: RunState,
    reason: Option<AppError>,
    rows: Vec<BatchRow>,
    started: Instant,
    paused_for: Duration,
    paused_at: Option<Instant>,
    finished_here: u32,
}

impl Live {
    fn new(batch_id: &str, send_email: bool, rows: Vec<BatchRow>) -> Arc<Live> {
        Arc::new(Live {
            batch_id: batch_id.to_owned(),
            send_email,
            state: Mutex::new(LiveState {
                run: RunState::Running,
                reason: None,
                rows,
                started: Instant::now(),
                paused_for: Duration::ZERO,
                paused_at: None,
                finished_here: 0,
            }),
            wake: Notify::new(),
            slots: Arc::new(Semaphore::new(IN_FLIGHT)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, LiveState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, index: usize, change: impl FnOnce(&mut BatchRow)) {
        if let Some(row) = self.lock().rows.get_mut(index) {
            change(row);
        }
    }

    fn active(&self) -> bool {
        matches!(self.lock().run, RunState::Running | RunState::Paused | RunState::Stopping)
    }

    /// Waits for a place to start an account; `None` once the batch stops.
    async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        loop {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let run = self.lock().run;
            match run {
                RunState::Running => {}
                RunState::Paused => {
                    woken.await;
                    continue;
                }
                _ => return None,
            }
            let permit = self.slots.clone().acquire_owned().await.ok()?;
            // Paused or stopped while waiting for the place: look again.
            let run = self.lock().run;
            match run {
                RunState::Running => return Some(permit),
                RunState::Paused => continue,
                _ => return None,
            }
        }
    }

    fn pause(&self, reason: Option<AppError>) -> bool {
        let mut state = self.lock();
        if state.run != RunState::Running {
            return false;
        }
        state.run = RunState::Paused;
        state.reason = reason;
        state.paused_at = Some(Instant::now());
        true
    }

    fn resume(&self) -> bool {
        let mut state = self.lock();
        if state.run != RunState::Paused {
            return false;
        }
        state.run = RunState::Running;
        state.reason = None;
        if let Some(at) = state.paused_at.take() {
            state.paused_for += at.elapsed();
        }
        drop(state);
        self.wake.notify_waiters();
        true
    }

    /// Stops starting accounts; returns the users waiting for propagation, to stop their wait.
    fn stop(&self) -> Vec<String> {
        let mut state = self.lock();
        if matches!(state.run, RunState::Running | RunState::Paused) {
            state.run = RunState::Stopping;
        }
        let waiting = state
            .rows
            .iter()
            .filter(|r| r.state == RowState::WaitingForMail)
            .map(|r| r.user_id.clone())
            .collect();
        drop(state);
        self.wake.notify_waiters();
        waiting
    }

    fn status(&self) -> BatchStatus {
        let state = self.lock();
        let count =
            |wanted: RowState| state.rows.iter().filter(|r| r.state == wanted).count() as u32;
        let (queued, running, waiting) =
            (count(RowState::Queued), count(RowState::Running), count(RowState::WaitingForMail));
        let left = queued + running + waiting;
        let seconds_left = (state.run == RunState::Running && state.finished_here > 0 && left > 0)
            .then(|| {
                let active = state.started.elapsed().saturating_sub(state.paused_for);
                let so_far =
                    active.as_secs_f64() / f64::from(state.finished_here) * f64::from(left);
                let at_the_limit =
                    f64::from(left) * INVITATION_WINDOW.as_secs_f64() / INVITATION_PACE as f64;
                so_far.max(at_the_limit)
            });
        BatchStatus {
            batch_id: self.batch_id.clone(),
            state: state.run,
            reason: state.reason.clone(),
            send_email: self.send_email,
            total: state.rows.len() as u32,
            queued,
            running,
            waiting,
            converted: count(RowState::Converted),
            failed: count(RowState::Failed),
            unknown: count(RowState::Unknown),
            skipped: count(RowState::Skipped),
            seconds_left,
            rows: state.rows.clone(),
        }
    }
}

fn row_of(report: &Report, line: u32) -> BatchRow {
    BatchRow {
        line,
        user_id: report.user.id.clone(),
        user_principal_name: report.user.user_principal_name.clone(),
        display_name: report.user.display_name.clone(),
        email: report.email.clone().unwrap_or_default(),
        state: RowState::Queued,
        journal_id: None,
        invitation_sent: false,
        redeem_url: None,
        external_user_state: None,
        request_ids: vec![],
        error: None,
        refusal: None,
        skipped_because: None,
    }
}

fn skipped_because(verdict: RowVerdict, upn: &str) -> AppError {
    AppError::invalid_input(format!(
        "Nothing was sent: the review of {upn} no longer lets it through ({verdict:?})."
    ))
}

/// What happens to an account after one attempt.
enum Next {
    Done,
    /// Back in the queue: try again once the batch goes on.
    Again,
}

impl Batches {
    /// Runs the rows the admin ticked. `Err` only when nothing was sent (the intention does not
    /// hold, the accounts could not be read again, the journal could not be written); otherwise
    /// the batch's status once it finished or stopped.
    pub async fn run(
        &self,
        env: &RunEnv<'_>,
        intention: &BatchIntention,
    ) -> Result<BatchStatus, AppError> {
        let message = &intention.message;
        let problems: Vec<String> = message.problems().into_iter().map(|p| p.describe()).collect();
        if !problems.is_empty() {
            return Err(AppError::invalid_input(format!(
                "Nothing was sent: {}.",
                problems.join("; ")
            )));
        }
        let (dry_run, read_at, tenant_id) = {
            let inner = self.inner();
            let prepared = inner.prepared.get(&intention.batch_id).ok_or_else(unknown_batch)?;
            (prepared.dry_run.clone(), prepared.read_at, prepared.tenant_id.clone())
        };
        if !tenant_id.eq_ignore_ascii_case(&env.context.tenant.id) {
            return Err(unknown_batch());
        }
        let mut lines = intention.lines.clone();
        lines.sort_unstable();
        lines.dedup();
        if lines.is_empty() || lines.len() != intention.confirmed_count as usize {
            return Err(AppError::invalid_input(format!(
                "Nothing was sent: {} accounts were ticked and {} confirmed.",
                lines.len(),
                intention.confirmed_count
            )));
        }
        let mut chosen: Vec<(u32, Report)> = Vec::with_capacity(lines.len());
        for line in lines {
            let row = dry_run.rows.iter().find(|r| r.row.line == line);
            match row.and_then(|r| r.report.clone().filter(|_| r.verdict.allows())) {
                Some(report) => chosen.push((line, report)),
                None => {
                    return Err(AppError::invalid_input(format!(
                        "Nothing was sent: the dry run does not let line {line} through."
                    )))
                }
            }
        }
        let mut fresh: Vec<Option<Result<Report, AppError>>> = vec![None; chosen.len()];
        if read_at.elapsed() > REFRESH_AFTER {
            let targets: Vec<Target> = chosen
                .iter()
                .map(|(_, r)| Target { user: r.user.id.clone(), email: r.email.clone() })
                .collect();
            let (found, _) = reports(env.graph, &targets, env.admin).await?;
            fresh = found.into_iter().map(Some).collect();
        }
        let rows: Vec<BatchRow> =
            chosen.iter().map(|(line, report)| row_of(report, *line)).collect();
        let record = BatchRecord {
            id: intention.batch_id.clone(),
            // The journal writes its own time.
            created_at: 0.0,
            admin_upn: env.context.admin_upn.clone(),
            cloud: cloud_name(env.context),
            tenant_id: env.context.tenant.id.clone(),
            message: kept_message(message, env.context.keep_message_bodies),
            message_kept: env.context.keep_message_bodies,
            rows: rows.iter().map(row_record).collect(),
        };
        // Journalled before anything is sent; a dry run already started is refused here.
        env.journal.off_thread(move |j| j.begin_batch(&record)).await?;
        let live = self.register(&intention.batch_id, message.send_email, rows)?;
        let mut todo = Vec::new();
        for (index, ((_, report), fresh)) in chosen.into_iter().zip(fresh).enumerate() {
            match fresh {
                None => todo.push((index, report.review_id)),
                Some(Ok(report)) if RowVerdict::of(report.outcome).allows() => {
                    match env.reviews.keep(report) {
                        Ok(kept) => todo.push((index, kept.review_id)),
                        Err(error) => left_queued(&live, index, error),
                    }
                }
                Some(Ok(report)) => {
                    let verdict = RowVerdict::of(report.outcome);
                    let error = skipped_because(verdict, &report.user.user_principal_name);
                    skip(env, &live, index, verdict, error).await;
                }
                Some(Err(error)) => not_read(env, &live, index, error).await,
            }
        }
        Ok(drive(env, &live, message, todo).await)
    }

    /// Goes on with a batch the journal has rows to do for (Rehome was closed mid-run, or the
    /// batch was stopped): unfinished entries are settled first, the remaining accounts read
    /// again, and those still ready converted. `message` is needed when the journal did not
    /// keep the personal message.
    pub async fn resume_unfinished(
        &self,
        env: &RunEnv<'_>,
        batch_id: &str,
        message: Option<MessageSettings>,
    ) -> Result<BatchStatus, AppError> {
        let id = batch_id.to_owned();
        let record =
            env.journal.off_thread(move |j| j.batch(&id)).await?.ok_or_else(unknown_batch)?;
        if !record.tenant_id.eq_ignore_ascii_case(&env.context.tenant.id) {
            return Err(AppError::invalid_input(format!(
                "This batch was made in another organisation ({}); sign in there to resume it.",
                record.tenant_id
            )));
        }
        let message =
            match message {
                _ if record.message_kept => record.message.clone(),
                Some(message) => message,
                None => return Err(AppError::invalid_input(
                    "The personal message was not kept in the journal: write it again to resume.",
                )),
            };
        if !message.problems().is_empty() {
            return Err(AppError::invalid_input("Nothing was sent: the message cannot be sent."));
        }
        if self.inner().live.get(batch_id).is_some_and(|l| l.active()) {
            return Err(already_running());
        }
        // What Rehome left unfinished is settled by reading the account, never by sending.
        let id = batch_id.to_owned();
        let entries = env.journal.off_thread(move |j| j.batch_entries(&id)).await?;
        for entry in entries.iter().filter(|e| e.outcome.is_none()) {
            reconcile(env.graph, env.journal, entry.id, &env.context.tenant.id).await?;
        }
        let id = batch_id.to_owned();
        let entries = env.journal.off_thread(move |j| j.batch_entries(&id)).await?;
        let mut rows = Vec::with_capacity(record.rows.len());
        let mut queued = Vec::new();
        for row in &record.rows {
            let latest = entries
                .iter()
                .filter(|e| e.intent.kind == EntryKind::Conversion)
                .rfind(|e| e.intent.user_id.eq_ignore_ascii_case(&row.user_id));
            let mut shown = row_from_journal(row, latest);
            let settled = shown.state.finished() && (row.done || shown.state != RowState::Failed);
            if settled {
                if !row.done {
                    mark_done(env, batch_id, row.line, None).await;
                }
            } else {
                shown.state = RowState::Queued;
                queued.push(rows.len());
            }
            rows.push(shown);
        }
        let targets: Vec<Target> = queued
            .iter()
            .map(|i| Target { user: rows[*i].user_id.clone(), email: Some(rows[*i].email.clone()) })
            .collect();
        let (found, _) = reports(env.graph, &targets, env.admin).await?;
        let live = self.register(batch_id, message.send_email, rows)?;
        let mut todo = Vec::new();
        for (index, found) in queued.into_iter().zip(found) {
            match found {
                Ok(report) if RowVerdict::of(report.outcome).allows() => {
                    match env.reviews.keep(report) {
                        Ok(kept) => todo.push((index, kept.review_id)),
                        Err(error) => left_queued(&live, index, error),
                    }
                }
                Ok(report) => {
                    let verdict = RowVerdict::of(report.outcome);
                    let error = skipped_because(verdict, &report.user.user_principal_name);
                    skip(env, &live, index, verdict, error).await;
                }
                Err(error) => not_read(env, &live, index, error).await,
            }
        }
        Ok(drive(env, &live, &message, todo).await)
    }

    fn register(
        &self,
        batch_id: &str,
        send_email: bool,
        rows: Vec<BatchRow>,
    ) -> Result<Arc<Live>, AppError> {
        let mut inner = self.inner();
        if inner.live.get(batch_id).is_some_and(|l| l.active()) {
            return Err(already_running());
        }
        let live = Live::new(batch_id, send_email, rows);
        inner.live.insert(batch_id.to_owned(), live.clone());
        Ok(live)
    }

    fn live(&self, batch_id: &str) -> Result<Arc<Live>, AppError> {
        self.inner().live.get(batch_id).cloned().ok_or_else(unknown_batch)
    }

    /// The batch as it stands (polled by the UI while it runs).
    pub fn status(&self, batch_id: &str) -> Result<BatchStatus, AppError> {
        Ok(self.live(batch_id)?.status())
    }

    /// No account starts until `resume`; accounts under way go on.
    pub fn pause(&self, batch_id: &str) -> Result<BatchStatus, AppError> {
        let live = self.live(batch_id)?;
        live.pause(None);
        Ok(live.status())
    }

    pub fn resume(&self, batch_id: &str) -> Result<BatchStatus, AppError> {
        let live = self.live(batch_id)?;
        live.resume();
        Ok(live.status())
    }

    /// No account starts any more; accounts waiting for propagation stop waiting (nothing more
    /// is sent for them), a request already sent finishes. What is left can be resumed.
    pub fn stop(&self, batch_id: &str, conversions: &Conversions) -> Result<BatchStatus, AppError> {
        let live = self.live(batch_id)?;
        for user_id in live.stop() {
            conversions.stop_waiting(&user_id);
        }
        Ok(live.status())
    }

    /// Batches in the journal with accounts still to do, not running now.
    pub async fn unfinished(&self, journal: &Journal) -> Result<Vec<UnfinishedBatch>, AppError> {
        let records = journal.off_thread(Journal::open_batches).await?;
        let inner = self.inner();
        Ok(records
            .into_iter()
            .filter(|r| !inner.live.get(&r.id).is_some_and(|l| l.active()))
            .map(|r| UnfinishedBatch {
                total: r.rows.len() as u32,
                done: r.rows.iter().filter(|row| row.done).count() as u32,
                batch_id: r.id,
                created_at: r.created_at,
                admin_upn: r.admin_upn,
                tenant_id: r.tenant_id,
                message_needed: !r.message_kept,
            })
            .collect())
    }

    /// The admin does not want the rest: the batch is no longer offered to resume.
    pub async fn discard(&self, journal: &Journal, batch_id: &str) -> Result<(), AppError> {
        if self.inner().live.get(batch_id).is_some_and(|l| l.active()) {
            return Err(already_running());
        }
        let id = batch_id.to_owned();
        journal.off_thread(move |j| j.close_batch(&id)).await
    }
}

fn already_running() -> AppError {
    AppError::new(ErrorCode::AlreadyRunning, "This batch is already running.")
}

fn cloud_name(context: &ConversionContext) -> String {
    serde_json::to_value(context.tenant.cloud)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The message as the journal may keep it (Settings: without its body when asked).
fn kept_message(message: &MessageSettings, keep_body: bool) -> MessageSettings {
    let mut kept = message.clone();
    if !keep_body {
        kept.personal_message = String::new();
    }
    kept
}

fn row_record(row: &BatchRow) -> RowRecord {
    RowRecord {
        line: row.line,
        user_id: row.user_id.clone(),
        user_upn: row.user_principal_name.clone(),
        user_name: row.display_name.clone(),
        email: row.email.clone(),
        done: false,
        skipped: None,
    }
}

/// A row as the journal tells it: its record and its latest entry.
fn row_from_journal(row: &RowRecord, latest: Option<&JournalEntry>) -> BatchRow {
    let mut shown = BatchRow {
        line: row.line,
        user_id: row.user_id.clone(),
        user_principal_name: row.user_upn.clone(),
        display_name: row.user_name.clone(),
        email: row.email.clone(),
        state: RowState::Queued,
        journal_id: latest.map(|e| e.id),
        invitation_sent: false,
        redeem_url: None,
        external_user_state: latest.and_then(|e| e.status.clone()),
        request_ids: latest.map(|e| e.request_ids.clone()).unwrap_or_default(),
        error: latest.and_then(|e| e.error.clone()),
        refusal: None,
        skipped_because: None,
    };
    if let Some(skipped) = &row.skipped {
        shown.state = RowState::Skipped;
        shown.error = Some(skipped.clone());
        return shown;
    }
    shown.state = match latest.and_then(|e| e.outcome) {
        Some(EntryOutcome::Succeeded) => RowState::Converted,
        Some(EntryOutcome::Unknown) => RowState::Unknown,
        Some(EntryOutcome::Failed) => RowState::Failed,
        None if row.done => RowState::Skipped,
        None => RowState::Queued,
    };
    shown.invitation_sent = shown.state == RowState::Converted;
    shown.refusal =
        shown.error.as_ref().and_then(|e| crate::refusal::recognise(e, EntryKind::Conversion));
    shown
}

async fn mark_done(env: &RunEnv<'_>, batch_id: &str, line: u32, skipped: Option<AppError>) {
    let id = batch_id.to_owned();
    let written =
        env.journal.off_thread(move |j| j.batch_row_done(&id, line, skipped.as_ref())).await;
    if let Err(problem) = written {
        // The entry itself holds the outcome; a resume reads it from there.
        tracing::warn!(%problem.message, "could not mark a batch row done");
    }
}

async fn skip(env: &RunEnv<'_>, live: &Live, index: usize, verdict: RowVerdict, error: AppError) {
    let line = live.lock().rows.get(index).map(|r| r.line).unwrap_or_default();
    mark_done(env, &live.batch_id, line, Some(error.clone())).await;
    live.update(index, |row| {
        row.state = RowState::Skipped;
        row.skipped_because = Some(verdict);
        row.error = Some(error);
    });
}

/// An account that could not be read again: gone from the directory, it is skipped; for any
/// other reason it stays in the queue for a later resume (nothing was sent).
async fn not_read(env: &RunEnv<'_>, live: &Live, index: usize, error: AppError) {
    if error.code == ErrorCode::NotFound {
        skip(env, live, index, RowVerdict::NotFound, error).await;
    } else {
        left_queued(live, index, error);
    }
}

fn left_queued(live: &Live, index: usize, error: AppError) {
    live.update(index, |row| {
        row.state = RowState::Queued;
        row.error = Some(error);
    });
}

/// Runs `todo` (row index, review id) to the end, or until stopped.
async fn drive(
    env: &RunEnv<'_>,
    live: &Live,
    message: &MessageSettings,
    todo: Vec<(usize, String)>,
) -> BatchStatus {
    let accounts =
        todo.into_iter().map(|(index, review_id)| account(env, live, message, index, review_id));
    futures_util::future::join_all(accounts).await;
    let left = {
        let mut state = live.lock();
        let left = state.rows.iter().any(|r| !r.state.finished());
        state.run = if left { RunState::Stopped } else { RunState::Finished };
        left
    };
    if !left {
        let id = live.batch_id.clone();
        if let Err(problem) = env.journal.off_thread(move |j| j.close_batch(&id)).await {
            tracing::warn!(%problem.message, "could not close a finished batch");
        }
    }
    live.status()
}

/// One account, as often as the batch goes on after it was put back in the queue.
async fn account(
    env: &RunEnv<'_>,
    live: &Live,
    message: &MessageSettings,
    index: usize,
    mut review_id: String,
) {
    while let Some(place) = live.admit().await {
        match Box::pin(attempt(env, live, message, index, &mut review_id, place)).await {
            Next::Done => return,
            Next::Again => continue,
        }
    }
}

/// The plan, as for one account; a review Rust no longer holds (the same account opened alone
/// meanwhile replaces it) is read again.
async fn plan(
    env: &RunEnv<'_>,
    live: &Live,
    index: usize,
    message: &MessageSettings,
    review_id: &mut String,
) -> Result<ConversionPlan, AppError> {
    let intention = |id: &str| Intention {
        review_id: id.to_owned(),
        kind: EntryKind::Conversion,
        message: message.clone(),
    };
    match env.reviews.plan(env.graph, &intention(review_id), env.admin, REVIEW_MAX_AGE).await {
        Err(error) if error.code == ErrorCode::ReviewExpired => {
            let (user_id, email) = {
                let state = live.lock();
                let row = &state.rows[index];
                (row.user_id.clone(), row.email.clone())
            };
            let report = eligibility::review(env.graph, &user_id, Some(&email), env.admin).await?;
            *review_id = env.reviews.keep(report)?.review_id;
            env.reviews.plan(env.graph, &intention(review_id), env.admin, REVIEW_MAX_AGE).await
        }
        planned => planned,
    }
}

async fn attempt(
    env: &RunEnv<'_>,
    live: &Live,
    message: &MessageSettings,
    index: usize,
    review_id: &mut String,
    place: OwnedSemaphorePermit,
) -> Next {
    let place = Mutex::new(Some(place));
    live.update(index, |row| {
        row.state = RowState::Running;
        row.error = None;
    });
    let plan = match plan(env, live, index, message, review_id).await {
        Ok(plan) => plan,
        // Read again, the review no longer allows it: nothing is sent.
        Err(error) if error.code == ErrorCode::InvalidInput => {
            skip(env, live, index, RowVerdict::Blocked, error).await;
            live.lock().finished_here += 1;
            return Next::Done;
        }
        Err(error) => return back_in_queue(live, index, error),
    };
    env.reviews.written(review_id);
    let journal = env.journal.in_batch(&live.batch_id);
    let progress = |step: Progress| match step {
        Progress::Recorded { journal_id } => {
            live.update(index, |r| r.journal_id = Some(journal_id))
        }
        Progress::WaitingForMail { .. } => {
            // Waiting for Microsoft takes no place: the next account starts meanwhile.
            drop(place.lock().unwrap_or_else(|p| p.into_inner()).take());
            live.update(index, |r| r.state = RowState::WaitingForMail);
        }
        Progress::Inviting => live.update(index, |r| {
            if r.state == RowState::WaitingForMail {
                r.state = RowState::Running;
            }
        }),
        _ => {}
    };
    let converted =
        env.conversions.convert(env.graph, &journal, &plan, env.context, progress).await;
    drop(place);
    let result = match converted {
        Ok(result) => result,
        // The same account is being converted alone right now: that conversion decides.
        Err(error) if error.code == ErrorCode::AlreadyRunning => {
            skip(env, live, index, RowVerdict::Blocked, error).await;
            return Next::Done;
        }
        // Nothing was sent (the journal could not be written).
        Err(error) => return back_in_queue(live, index, error),
    };
    let error = result.error.clone();
    let everyone_alike = matches!(
        result.refusal,
        Some(
            Refusal::SuspiciousActivity
                | Refusal::NotAllowedToInvite
                | Refusal::InvitationsDisabled
        )
    ) || error.as_ref().is_some_and(|e| e.code == ErrorCode::SessionExpired);
    if result.outcome == EntryOutcome::Failed && (result.can_try_again || everyone_alike) {
        show(live, index, &result, RowState::Queued);
        let error = error.unwrap_or_else(|| AppError::internal("failed without an error"));
        if error.code == ErrorCode::StoppedWaiting {
            // Stopped by the admin: it waits in the queue for a resume.
            return Next::Again;
        }
        live.pause(Some(error));
        return Next::Again;
    }
    let state = match result.outcome {
        EntryOutcome::Succeeded => RowState::Converted,
        EntryOutcome::Unknown => RowState::Unknown,
        EntryOutcome::Failed => RowState::Failed,
    };
    let line = live.lock().rows[index].line;
    mark_done(env, &live.batch_id, line, None).await;
    show(live, index, &result, state);
    live.lock().finished_here += 1;
    Next::Done
}

fn show(live: &Live, index: usize, result: &ConversionResult, state: RowState) {
    // The link is the admin's to hand over only when Microsoft sends no email.
    let redeem_url = if live.send_email { None } else { result.redeem_url.clone() };
    live.update(index, |row| {
        row.state = state;
        row.journal_id = Some(result.journal_id);
        row.invitation_sent = result.invitation_sent;
        row.redeem_url = redeem_url;
        row.external_user_state.clone_from(&result.external_user_state);
        row.request_ids.clone_from(&result.request_ids);
        row.error.clone_from(&result.error);
        row.refusal = result.refusal;
    });
}

/// Nothing was refused for this account, but the batch cannot go on as it is: the account
/// goes back in the queue and the batch pauses with the reason.
fn back_in_queue(live: &Live, index: usize, error: AppError) -> Next {
    live.update(index, |row| {
        row.state = RowState::Queued;
        row.error = Some(error.clone());
    });
    live.pause(Some(error));
    Next::Again
}
