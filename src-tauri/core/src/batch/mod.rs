//! A careful small batch (issue 17): up to `MAX_ROWS` accounts from a list, each with the same
//! review, plan and conversion as one account converted alone – nothing here has rules of its
//! own.
//!
//! - `list`: the CSV the admin gives, checked before anything is read.
//! - `read`: the dry run's reads, the per-account requests of `eligibility` packed twenty to a
//!   `$batch` round trip; each report is kept in `reviews::Reviews` like any other.
//! - `run`: the conversions – `Reviews::plan` then `Conversions::convert` for each account,
//!   journalled first with the batch's id (`Journal::in_batch`), a few accounts at a time
//!   (`IN_FLIGHT`; one waiting for Microsoft to see its new email gives its place to the next),
//!   invitations paced under Microsoft's limit by the Graph client (`graph::InvitationPace`),
//!   Pause, Resume and Stop, and a resume from the journal after Rehome was closed.
//! - `store`: what the journal keeps of a batch; `export`: the dry run and the result as CSV.
//!
//! Writes other than invitations are not paced: a batch of `MAX_ROWS` sets at most 500 emails,
//! far under Graph's identity write limit of 3,000 writes per 2.5 minutes per app and tenant
//! (DOMAIN.md §7.1), while `/invitations` has a limit of its own (150 per 5 s per tenant).

mod export;
mod list;
mod read;
mod run;
mod store;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Instant,
};

use serde::Serialize;
use ts_rs::TS;

pub use export::{dry_run_csv, result_csv, save};
pub use list::{
    decode, is_upn, parse, read, template, ImportedList, ListProblem, ListRow, RejectedRow,
    RowProblem, MAX_BYTES, MAX_ROWS,
};
pub use read::{reports, ReadCount, Target, BATCH_SIZE};
pub use run::*;
pub use store::{BatchRecord, RowRecord};

use crate::{
    auth::random_token,
    eligibility::{AdminFacts, Outcome, Report},
    graph::GraphClient,
    reviews::Reviews,
    AppError, ErrorCode,
};

/// Accounts converted at the same time. Writes are paced by Microsoft's limit anyway; this
/// keeps the batch gentle and its progress easy to follow.
pub const IN_FLIGHT: usize = 4;

/// What the dry run found for a row (`batch.verdicts.<verdict>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RowVerdict {
    Ready,
    ReadyWithWarnings,
    Blocked,
    /// Already B2B (converted or invited): nothing to convert.
    AlreadyB2b,
    /// No account by this object ID or UPN.
    NotFound,
    /// Reading it failed (`error` says why).
    CouldNotRead,
    /// The same account as an earlier row (one by UPN, one by object ID).
    Duplicate,
    /// Both an object ID and a UPN were given, and they are two different accounts.
    UpnDoesNotMatch,
}

impl RowVerdict {
    fn of(outcome: Outcome) -> RowVerdict {
        match outcome {
            Outcome::Ready => RowVerdict::Ready,
            Outcome::ReadyWithWarnings => RowVerdict::ReadyWithWarnings,
            Outcome::Blocked => RowVerdict::Blocked,
            Outcome::AlreadyB2b => RowVerdict::AlreadyB2b,
        }
    }

    /// The report lets a conversion through.
    pub fn allows(self) -> bool {
        matches!(self, RowVerdict::Ready | RowVerdict::ReadyWithWarnings)
    }
}

/// One row of the dry run: as listed, and what its review found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DryRunRow {
    pub row: ListRow,
    pub verdict: RowVerdict,
    /// The eligibility report, kept in Rust under its `reviewId` like any review.
    pub report: Option<Report>,
    pub error: Option<AppError>,
    /// For a duplicate: the line of the first row naming the account.
    pub first_line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DryRun {
    /// The run is asked for by this id; its journal entries carry it.
    pub batch_id: String,
    pub rows: Vec<DryRunRow>,
    /// The list's rows that were never read, and why.
    pub rejected: Vec<RejectedRow>,
    /// Requests in the round trips, and the round trips (⌈reads / 20⌉).
    pub reads: u32,
    pub round_trips: u32,
    pub ready: u32,
    pub ready_with_warnings: u32,
    /// Everything else: blocked, already B2B, not found, not readable, duplicates.
    pub not_ready: u32,
}

struct Prepared {
    tenant_id: String,
    dry_run: DryRun,
    read_at: Instant,
}

/// The batches of this run of Rehome: lists, dry runs and runs, by id.
#[derive(Default)]
pub struct Batches {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    lists: HashMap<String, ImportedList>,
    prepared: HashMap<String, Prepared>,
    live: HashMap<String, Arc<run::Live>>,
}

/// Only the newest few lists and dry runs are kept: an admin works on one batch at a time.
const KEPT: usize = 4;

impl Batches {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a checked list and gives it its id.
    pub fn keep_list(&self, mut list: ImportedList) -> Result<ImportedList, AppError> {
        list.list_id = random_token()?;
        let mut inner = self.inner();
        if inner.lists.len() >= KEPT {
            inner.lists.clear();
        }
        inner.lists.insert(list.list_id.clone(), list.clone());
        Ok(list)
    }

    /// The dry run of a kept list: every row reviewed, twenty reads to a round trip, nothing
    /// written. Each report is kept in `reviews` for the run to plan from.
    pub async fn dry_run(
        &self,
        graph: &GraphClient,
        reviews: &Reviews,
        list_id: &str,
        tenant_id: &str,
        admin: AdminFacts,
    ) -> Result<DryRun, AppError> {
        let list = self.inner().lists.get(list_id).cloned().ok_or_else(|| {
            AppError::new(
                ErrorCode::ReviewExpired,
                "This list is no longer known; import it again.",
            )
        })?;
        if list.problem.is_some() || list.rows.is_empty() {
            return Err(AppError::invalid_input("The list has no rows that can be read."));
        }
        let targets: Vec<Target> = list
            .rows
            .iter()
            .map(|row| Target { user: row.key().to_owned(), email: row.email.clone() })
            .collect();
        let (found, count) = reports(graph, &targets, admin).await?;
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut rows = Vec::with_capacity(found.len());
        for (row, found) in list.rows.into_iter().zip(found) {
            let mut dry = DryRunRow {
                row,
                verdict: RowVerdict::CouldNotRead,
                report: None,
                error: None,
                first_line: None,
            };
            match found {
                Ok(report) => {
                    let user = &report.user;
                    let listed_upn = dry.row.user_principal_name.as_deref();
                    if let Some(first) = seen.get(&user.id.to_lowercase()) {
                        dry.verdict = RowVerdict::Duplicate;
                        dry.first_line = Some(*first);
                    } else if listed_upn
                        .is_some_and(|u| !u.eq_ignore_ascii_case(&user.user_principal_name))
                    {
                        dry.verdict = RowVerdict::UpnDoesNotMatch;
                    } else {
                        seen.insert(user.id.to_lowercase(), dry.row.line);
                        dry.verdict = RowVerdict::of(report.outcome);
                    }
                    // Kept to plan from – one review per account, so never a duplicate's.
                    dry.report = Some(match dry.verdict {
                        RowVerdict::Duplicate | RowVerdict::UpnDoesNotMatch => report,
                        _ => reviews.keep(report)?,
                    });
                }
                Err(error) => {
                    if error.code == ErrorCode::NotFound {
                        dry.verdict = RowVerdict::NotFound;
                    }
                    dry.error = Some(error);
                }
            }
            rows.push(dry);
        }
        let count_of =
            |wanted: RowVerdict| rows.iter().filter(|r| r.verdict == wanted).count() as u32;
        let (ready, ready_with_warnings) =
            (count_of(RowVerdict::Ready), count_of(RowVerdict::ReadyWithWarnings));
        let dry_run = DryRun {
            batch_id: random_token()?,
            not_ready: rows.len() as u32 - ready - ready_with_warnings,
            rows,
            rejected: list.rejected,
            reads: count.reads,
            round_trips: count.round_trips,
            ready,
            ready_with_warnings,
        };
        let mut inner = self.inner();
        if inner.prepared.len() >= KEPT {
            inner.prepared.clear();
        }
        let prepared = Prepared {
            tenant_id: tenant_id.to_owned(),
            dry_run: dry_run.clone(),
            read_at: Instant::now(),
        };
        inner.prepared.insert(dry_run.batch_id.clone(), prepared);
        Ok(dry_run)
    }

    /// A dry run made in this run of Rehome, for its export.
    pub fn dry_run_of(&self, batch_id: &str) -> Result<DryRun, AppError> {
        self.inner().prepared.get(batch_id).map(|p| p.dry_run.clone()).ok_or_else(unknown_batch)
    }

    /// Forgets lists and dry runs (a new sign-in may be another organisation); runs under way
    /// finish on the sign-in they started with.
    pub fn forget_prepared(&self) {
        let mut inner = self.inner();
        inner.lists.clear();
        inner.prepared.clear();
    }
}

fn unknown_batch() -> AppError {
    AppError::new(
        ErrorCode::ReviewExpired,
        "This batch is no longer known (Rehome restarted or you signed in again); import the list again.",
    )
}
