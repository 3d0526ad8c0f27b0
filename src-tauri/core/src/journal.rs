//! The local journal: every conversion this workstation starts is written down *before* anything
//! is sent, and its outcome after, so nothing half-done goes unseen – not even when the app is
//! killed mid-way. SQLite in WAL mode, in the platform data directory.
//!
//! What it holds is typed both ways: the planned requests and the error are stored as JSON of
//! their Rust types, kinds and outcomes by name, and a value this version does not know is an
//! error, never a silent default. The schema has a version (`PRAGMA user_version`) and numbered
//! migrations. (`rusqlite_migration` does the same, but its releases pin older `rusqlite`s than
//! the one here, and two SQLite libraries cannot be linked into one program.)

use std::{
    path::Path,
    sync::{Arc, Mutex},
    time::{SystemTime, UNIX_EPOCH},
};

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::{invitation::PlannedRequest, AppError, ErrorCode};

/// What is about to be done, written before the first request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    pub kind: EntryKind,
    pub admin_upn: String,
    pub cloud: String,
    pub tenant_id: String,
    pub user_id: String,
    pub user_upn: String,
    pub user_name: String,
    pub email: String,
    pub set_mail: bool,
    pub send_email: bool,
    pub language: String,
    /// `None` when the admin chose not to keep message bodies in the journal.
    pub personal_message: Option<String>,
    pub cc: Option<String>,
    pub redirect_url: String,
    /// The exact requests, as sent (less a message body the admin chose not to keep).
    pub requests: Vec<PlannedRequest>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    Conversion,
    Resend,
    ResetRedemption,
    /// The way back: an external account made internal (`reverse`, DOMAIN.md §3.2). Its
    /// `email` is the mail the account keeps or gets, `set_mail` whether a new one was sent; the
    /// password is never in the entry.
    ConvertToInternal,
}

/// How it ended; `None` in an entry that never finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EntryOutcome {
    Succeeded,
    Failed,
    /// The connection dropped after sending and re-reading the user could not tell.
    Unknown,
}

/// What happened, written when it is known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Finish {
    pub outcome: Option<EntryOutcome>,
    pub invitation_id: Option<String>,
    pub status: Option<String>,
    pub request_ids: Vec<String>,
    pub error: Option<AppError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub id: u32,
    /// Milliseconds since 1970 (UTC); the UI shows local time.
    pub started_at: f64,
    pub finished_at: Option<f64>,
    #[serde(flatten)]
    pub intent: Intent,
    pub outcome: Option<EntryOutcome>,
    pub invitation_id: Option<String>,
    pub status: Option<String>,
    pub request_ids: Vec<String>,
    pub error: Option<AppError>,
    /// The batch this entry belongs to (`batch`), if it was made in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub batch_id: Option<String>,
}

/// One connection, shared: clones are the same journal.
#[derive(Clone)]
pub struct Journal {
    connection: Arc<Mutex<Connection>>,
    /// Entries begun through this handle belong to this batch (`in_batch`).
    batch_id: Option<String>,
}

/// Each migration takes the schema from version N (its index) to N + 1; append, never edit.
/// Version 1 is the journal as Rehome first wrote it, so a journal from before versions existed
/// (user_version 0, the table already there) is taken up unchanged.
const MIGRATIONS: &[&str] = &[
    "
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    admin_upn TEXT NOT NULL,
    cloud TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_upn TEXT NOT NULL,
    user_name TEXT NOT NULL,
    email TEXT NOT NULL,
    set_mail INTEGER NOT NULL,
    send_email INTEGER NOT NULL,
    language TEXT NOT NULL,
    personal_message TEXT,
    cc TEXT,
    redirect_url TEXT NOT NULL,
    requests TEXT NOT NULL,
    outcome TEXT,
    invitation_id TEXT,
    status TEXT,
    request_ids TEXT NOT NULL DEFAULT '[]',
    error TEXT
);",
    "
ALTER TABLE entries ADD COLUMN batch_id TEXT;
CREATE INDEX entries_by_batch ON entries (batch_id);
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    admin_upn TEXT NOT NULL,
    cloud TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    message TEXT NOT NULL,
    message_kept INTEGER NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE batch_rows (
    batch_id TEXT NOT NULL,
    line INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    user_upn TEXT NOT NULL,
    user_name TEXT NOT NULL,
    email TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    skipped TEXT,
    PRIMARY KEY (batch_id, line)
);",
];

/// Brings the journal's schema up to date in one transaction; refuses a journal written by a
/// newer Rehome rather than guess at it.
fn migrate(connection: &mut Connection) -> Result<(), AppError> {
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| failed("be read", e))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(AppError::new(
            ErrorCode::JournalUnavailable,
            format!(
                "The journal was written by a newer Rehome (schema {version}; this one knows {}). Update Rehome.",
                MIGRATIONS.len()
            ),
        ));
    }
    let transaction = connection.transaction().map_err(|e| failed("be migrated", e))?;
    for (from, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        transaction
            .execute_batch(migration)
            .and_then(|()| transaction.pragma_update(None, "user_version", from as i64 + 1))
            .map_err(|e| failed("be migrated", e))?;
    }
    transaction.commit().map_err(|e| failed("be migrated", e))
}

fn failed(what: &str, error: rusqlite::Error) -> AppError {
    AppError::new(ErrorCode::JournalUnavailable, format!("The journal could not {what}: {error}"))
}

fn now_ms() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Conversion => "conversion",
        EntryKind::Resend => "resend",
        EntryKind::ResetRedemption => "resetRedemption",
        EntryKind::ConvertToInternal => "convertToInternal",
    }
}

fn outcome_name(outcome: EntryOutcome) -> &'static str {
    match outcome {
        EntryOutcome::Succeeded => "succeeded",
        EntryOutcome::Failed => "failed",
        EntryOutcome::Unknown => "unknown",
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path`, in WAL mode so a kill mid-write loses nothing
    /// that was committed.
    pub fn open(path: &Path) -> Result<Journal, AppError> {
        if let Some(dir) = path.parent() {
            crate::private_files::create_dir(dir).map_err(|e| {
                AppError::new(
                    ErrorCode::JournalUnavailable,
                    format!("The journal's folder {} could not be created: {e}", dir.display()),
                )
            })?;
        }
        // Created private before SQLite opens it; its -wal and -shm files take the same mode.
        crate::private_files::ensure_file(path).map_err(|e| {
            AppError::new(
                ErrorCode::JournalUnavailable,
                format!("The journal {} could not be created: {e}", path.display()),
            )
        })?;
        let mut connection = Connection::open(path).map_err(|e| failed("be opened", e))?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| connection.pragma_update(None, "synchronous", "FULL"))
            .map_err(|e| failed("be prepared", e))?;
        migrate(&mut connection)?;
        Ok(Journal { connection: Arc::new(Mutex::new(connection)), batch_id: None })
    }

    /// The same journal, with every entry begun through it marked as part of `batch_id` – in
    /// the same write as its intent, so no entry of a batch is ever without it.
    pub fn in_batch(&self, batch_id: &str) -> Journal {
        Journal { connection: self.connection.clone(), batch_id: Some(batch_id.to_owned()) }
    }

    /// Runs `work` with the journal off the async runtime's threads (`blocking::run`).
    pub async fn off_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Journal) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let journal = self.clone();
        crate::blocking::run("journal", move || work(&journal)).await
    }

    pub(crate) fn with<T>(
        &self,
        what: &str,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AppError> {
        let connection = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        work(&connection).map_err(|e| failed(what, e))
    }

    /// Writes the intent; returns the entry's id. Nothing may be sent if this fails.
    pub fn begin(&self, intent: &Intent) -> Result<u32, AppError> {
        self.with("record the intent", |c| {
            c.execute(
                "INSERT INTO entries (kind, started_at, admin_upn, cloud, tenant_id, user_id, \
                 user_upn, user_name, email, set_mail, send_email, language, personal_message, cc, \
                 redirect_url, requests, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
                 ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    kind_name(intent.kind),
                    now_ms(),
                    intent.admin_upn,
                    intent.cloud,
                    intent.tenant_id,
                    intent.user_id,
                    intent.user_upn,
                    intent.user_name,
                    intent.email,
                    intent.set_mail,
                    intent.send_email,
                    intent.language,
                    intent.personal_message,
                    intent.cc,
                    intent.redirect_url,
                    serde_json::to_string(&intent.requests).unwrap_or_default(),
                    self.batch_id,
                ],
            )?;
            Ok(u32::try_from(c.last_insert_rowid()).unwrap_or(u32::MAX))
        })
    }

    /// Writes what happened. `outcome: None` keeps the entry unfinished (progress only).
    pub fn finish(&self, id: u32, finish: &Finish) -> Result<(), AppError> {
        let request_ids = serde_json::to_string(&finish.request_ids).unwrap_or_default();
        let error = finish.error.as_ref().and_then(|e| serde_json::to_string(e).ok());
        self.with("record the outcome", |c| {
            c.execute(
                "UPDATE entries SET outcome = ?2, finished_at = ?3, invitation_id = ?4, status = ?5, \
                 request_ids = ?6, error = ?7 WHERE id = ?1",
                params![
                    id,
                    finish.outcome.map(outcome_name),
                    finish.outcome.map(|_| now_ms()),
                    finish.invitation_id,
                    finish.status,
                    request_ids,
                    error,
                ],
            )
            .map(drop)
        })
    }

    /// Removes one entry (the admin confirmed it in History).
    pub fn delete(&self, id: u32) -> Result<bool, AppError> {
        self.with("delete the entry", |c| c.execute("DELETE FROM entries WHERE id = ?1", [id]))
            .map(|deleted| deleted > 0)
    }

    pub fn entry(&self, id: u32) -> Result<Option<JournalEntry>, AppError> {
        self.with("be read", |c| {
            c.query_row(&format!("{SELECT} WHERE id = ?1"), [id], entry).optional()
        })
    }

    /// Newest first.
    pub fn entries(&self) -> Result<Vec<JournalEntry>, AppError> {
        self.with("be read", |c| {
            let mut statement = c.prepare(&format!("{SELECT} ORDER BY id DESC"))?;
            let rows = statement.query_map([], entry)?;
            rows.collect()
        })
    }

    /// Entries started and never finished: the app closed or crashed mid-way.
    pub fn unfinished(&self) -> Result<Vec<JournalEntry>, AppError> {
        self.with("be read", |c| {
            let mut statement =
                c.prepare(&format!("{SELECT} WHERE outcome IS NULL ORDER BY id"))?;
            let rows = statement.query_map([], entry)?;
            rows.collect()
        })
    }
}

pub(crate) const SELECT: &str =
    "SELECT id, kind, started_at, finished_at, admin_upn, cloud, tenant_id, \
user_id, user_upn, user_name, email, set_mail, send_email, language, personal_message, cc, \
redirect_url, requests, outcome, invitation_id, status, request_ids, error, batch_id FROM entries";

/// A value on disk this version cannot read: an error, never a default.
fn unreadable(column: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
}

fn json<T: serde::de::DeserializeOwned>(column: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| unreadable(column, e.to_string()))
}

pub(crate) fn entry(row: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    let kind = row.get::<_, String>(1)?;
    let kind = [
        EntryKind::Conversion,
        EntryKind::Resend,
        EntryKind::ResetRedemption,
        EntryKind::ConvertToInternal,
    ]
    .into_iter()
    .find(|k| kind_name(*k) == kind)
    .ok_or_else(|| unreadable(1, format!("unknown kind '{kind}'")))?;
    let outcome = match row.get::<_, Option<String>>(18)? {
        None => None,
        Some(name) => Some(
            [EntryOutcome::Succeeded, EntryOutcome::Failed, EntryOutcome::Unknown]
                .into_iter()
                .find(|o| outcome_name(*o) == name)
                .ok_or_else(|| unreadable(18, format!("unknown outcome '{name}'")))?,
        ),
    };
    let ms = |i: usize| row.get::<_, Option<i64>>(i).map(|v| v.map(|ms| ms as f64));
    Ok(JournalEntry {
        id: row.get(0)?,
        started_at: ms(2)?.unwrap_or_default(),
        finished_at: ms(3)?,
        intent: Intent {
            kind,
            admin_upn: row.get(4)?,
            cloud: row.get(5)?,
            tenant_id: row.get(6)?,
            user_id: row.get(7)?,
            user_upn: row.get(8)?,
            user_name: row.get(9)?,
            email: row.get(10)?,
            set_mail: row.get(11)?,
            send_email: row.get(12)?,
            language: row.get(13)?,
            personal_message: row.get(14)?,
            cc: row.get(15)?,
            redirect_url: row.get(16)?,
            requests: json(17, &row.get::<_, String>(17)?)?,
        },
        outcome,
        invitation_id: row.get(19)?,
        status: row.get(20)?,
        request_ids: json(21, &row.get::<_, String>(21)?)?,
        error: row.get::<_, Option<String>>(22)?.map(|e| json(22, &e)).transpose()?,
        batch_id: row.get(23)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn intent() -> Intent {
        Intent {
            kind: EntryKind::Conversion,
            admin_upn: "anna.lindqvist@contoso-sample.se".into(),
            cloud: "sample".into(),
            tenant_id: "t-1".into(),
            user_id: "5e1c6a8e-0000-4000-8000-000000000007".into(),
            user_upn: "astrid.berg@contoso-sample.se".into(),
            user_name: "Åsa Ödman, \"the\" partner".into(),
            email: "astrid.berg@northwind.example".into(),
            set_mail: true,
            send_email: false,
            language: "sv-SE".into(),
            personal_message: Some("Hej!\nVälkommen.".into()),
            cc: None,
            redirect_url: "https://myapps.microsoft.com/?tenantId=t-1".into(),
            requests: vec![PlannedRequest {
                method: "POST".into(),
                path: "/v1.0/invitations".into(),
                body: "{}".into(),
            }],
        }
    }

    #[test]
    fn an_entry_is_unfinished_until_its_outcome_is_written_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/journal.sqlite3");
        let journal = Journal::open(&path).unwrap();
        let id = journal.begin(&intent()).unwrap();
        assert_eq!(journal.unfinished().unwrap().len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(path.parent().unwrap()), 0o700, "the folder is the owner's");
            for file in ["journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"] {
                assert_eq!(mode(&path.with_file_name(file)), 0o600, "{file}");
            }
        }
        journal
            .finish(
                id,
                &Finish {
                    outcome: Some(EntryOutcome::Succeeded),
                    invitation_id: Some("inv-1".into()),
                    status: Some("PendingAcceptance".into()),
                    request_ids: vec!["r-1".into(), "r-2".into()],
                    error: None,
                },
            )
            .unwrap();
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        assert!(journal.unfinished().unwrap().is_empty());
        let entry = journal.entry(id).unwrap().unwrap();
        assert_eq!(entry.intent, intent());
        assert_eq!(entry.outcome, Some(EntryOutcome::Succeeded));
        assert_eq!(entry.request_ids, ["r-1", "r-2"]);
        assert!(entry.finished_at.unwrap() >= entry.started_at);
        let mode: String =
            journal.with("read", |c| c.query_row("PRAGMA journal_mode", [], |r| r.get(0))).unwrap();
        assert_eq!(mode, "wal");
        assert!(journal.delete(id).unwrap());
        assert!(!journal.delete(id).unwrap(), "already gone");
        assert!(journal.entries().unwrap().is_empty());
    }

    #[test]
    fn a_journal_that_cannot_be_created_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "not a folder").unwrap();
        let error = Journal::open(&file.join("journal.sqlite3")).err().unwrap();
        assert_eq!(error.code, ErrorCode::JournalUnavailable);
    }

    /// A journal exactly as the Rehome before schema versions wrote it: the same table, no
    /// `user_version`, a row written by that code.
    fn journal_from_before_versions(path: &Path) {
        let connection = Connection::open(path).unwrap();
        connection.execute_batch(MIGRATIONS[0]).unwrap();
        connection
            .execute(
                "INSERT INTO entries (kind, started_at, admin_upn, cloud, tenant_id, user_id, \
                 user_upn, user_name, email, set_mail, send_email, language, redirect_url, \
                 requests, outcome, request_ids, error) VALUES ('conversion', 1795774503000, \
                 'anna@contoso.se', 'sample', 't-1', 'u-1', 'astrid@contoso.se', 'Astrid Berg', \
                 'astrid@northwind.example', 1, 1, 'sv-SE', 'https://myapps.microsoft.com/', \
                 '[{\"method\":\"POST\",\"path\":\"/v1.0/invitations\",\"body\":\"{}\"}]', \
                 'failed', '[\"r-1\"]', \
                 '{\"code\":\"serviceError\",\"message\":\"Invalid request input.\"}')",
                [],
            )
            .unwrap();
    }

    #[test]
    fn a_journal_from_before_schema_versions_opens_migrated_with_its_entries_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        journal_from_before_versions(&path);
        let journal = Journal::open(&path).unwrap();
        let version: i64 = journal
            .with("read", |c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let entry = &journal.entries().unwrap()[0];
        assert_eq!(entry.intent.requests[0].path, "/v1.0/invitations");
        let error = entry.error.as_ref().unwrap();
        assert_eq!(
            (error.code, error.message.as_str()),
            (ErrorCode::ServiceError, "Invalid request input.")
        );
        // Opening again changes nothing.
        drop(journal);
        assert_eq!(Journal::open(&path).unwrap().entries().unwrap().len(), 1);
    }

    #[test]
    fn values_this_version_does_not_know_are_errors_not_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        let journal = Journal::open(&path).unwrap();
        let id = journal.begin(&intent()).unwrap();
        journal.with("tamper", |c| c.execute("UPDATE entries SET kind = 'teleport'", [])).unwrap();
        assert_eq!(journal.entry(id).unwrap_err().code, ErrorCode::JournalUnavailable);
        journal
            .with("tamper", |c| {
                c.execute("UPDATE entries SET kind = 'resend', outcome = 'maybe'", [])
            })
            .unwrap();
        assert_eq!(journal.entries().unwrap_err().code, ErrorCode::JournalUnavailable);

        // A journal from a newer Rehome is left alone.
        drop(journal);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let newer = Journal::open(&path).err().unwrap();
        assert_eq!(newer.code, ErrorCode::JournalUnavailable);
        assert!(newer.message.contains("newer Rehome"), "{}", newer.message);
    }
}
