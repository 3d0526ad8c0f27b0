//! What the journal keeps of a batch, so a run cut short can be resumed where it stopped: the
//! batch (who, where, the message) and its rows, each marked done once the batch has finished
//! with it. The conversions themselves are ordinary journal entries carrying the batch's id.

use rusqlite::{params, OptionalExtension};

use crate::{
    invitation::MessageSettings,
    journal::{entry, Journal, JournalEntry, SELECT},
    AppError,
};

/// A batch as written before its first conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRecord {
    pub id: String,
    /// Milliseconds since 1970 (UTC).
    pub created_at: f64,
    pub admin_upn: String,
    pub cloud: String,
    pub tenant_id: String,
    /// The batch's one message; its personal message is empty unless `message_kept`.
    pub message: MessageSettings,
    /// Settings: the admin may keep message bodies out of the journal; then a resume asks for
    /// the message again.
    pub message_kept: bool,
    pub rows: Vec<RowRecord>,
}

/// One account the admin ticked.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRecord {
    pub line: u32,
    pub user_id: String,
    pub user_upn: String,
    pub user_name: String,
    pub email: String,
    /// The batch has finished with it (converted, failed for good, or skipped).
    pub done: bool,
    /// Why it was skipped without a request: the review no longer allowed it.
    pub skipped: Option<AppError>,
}

fn now_ms() -> i64 {
    let elapsed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
}

impl Journal {
    /// Writes the batch and its rows in one transaction, before anything is sent. A batch
    /// already written (the same dry run started twice) is refused.
    pub fn begin_batch(&self, batch: &BatchRecord) -> Result<(), AppError> {
        let message = serde_json::to_string(&batch.message).unwrap_or_default();
        self.with("record the batch", |c| {
            let transaction = c.unchecked_transaction()?;
            transaction.execute(
                "INSERT INTO batches (id, created_at, admin_upn, cloud, tenant_id, message, \
                 message_kept) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    batch.id,
                    now_ms(),
                    batch.admin_upn,
                    batch.cloud,
                    batch.tenant_id,
                    message,
                    batch.message_kept
                ],
            )?;
            for row in &batch.rows {
                transaction.execute(
                    "INSERT INTO batch_rows (batch_id, line, user_id, user_upn, user_name, email) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        batch.id,
                        row.line,
                        row.user_id,
                        row.user_upn,
                        row.user_name,
                        row.email
                    ],
                )?;
            }
            transaction.commit()
        })
    }

    /// The batch has finished with this row (`skipped`: without sending anything, and why).
    pub fn batch_row_done(
        &self,
        batch_id: &str,
        line: u32,
        skipped: Option<&AppError>,
    ) -> Result<(), AppError> {
        let skipped = skipped.and_then(|e| serde_json::to_string(e).ok());
        self.with("record the batch's progress", |c| {
            c.execute(
                "UPDATE batch_rows SET done = 1, skipped = ?3 WHERE batch_id = ?1 AND line = ?2",
                params![batch_id, line, skipped],
            )
            .map(drop)
        })
    }

    /// The batch is over: it is no longer offered to resume (its entries stay in History).
    pub fn close_batch(&self, batch_id: &str) -> Result<(), AppError> {
        self.with("close the batch", |c| {
            c.execute("UPDATE batches SET closed = 1 WHERE id = ?1", [batch_id]).map(drop)
        })
    }

    pub fn batch(&self, batch_id: &str) -> Result<Option<BatchRecord>, AppError> {
        let found = self.with("be read", |c| {
            c.query_row(
                "SELECT id, created_at, admin_upn, cloud, tenant_id, message, message_kept \
                 FROM batches WHERE id = ?1",
                [batch_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, bool>(6)?,
                    ))
                },
            )
            .optional()
        })?;
        let Some((id, created_at, admin_upn, cloud, tenant_id, message, message_kept)) = found
        else {
            return Ok(None);
        };
        let message: MessageSettings = serde_json::from_str(&message).map_err(|e| {
            AppError::new(
                crate::ErrorCode::JournalUnavailable,
                format!("The batch's message in the journal could not be read: {e}"),
            )
        })?;
        let rows = self.with("be read", |c| {
            let mut statement = c.prepare(
                "SELECT line, user_id, user_upn, user_name, email, done, skipped FROM batch_rows \
                 WHERE batch_id = ?1 ORDER BY line",
            )?;
            let rows = statement.query_map([&id], |r| {
                Ok(RowRecord {
                    line: r.get(0)?,
                    user_id: r.get(1)?,
                    user_upn: r.get(2)?,
                    user_name: r.get(3)?,
                    email: r.get(4)?,
                    done: r.get(5)?,
                    skipped: r
                        .get::<_, Option<String>>(6)?
                        .and_then(|text| serde_json::from_str(&text).ok()),
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok(Some(BatchRecord {
            id,
            created_at: created_at as f64,
            admin_upn,
            cloud,
            tenant_id,
            message,
            message_kept,
            rows,
        }))
    }

    /// Batches not closed that still have rows to do, oldest first.
    pub fn open_batches(&self) -> Result<Vec<BatchRecord>, AppError> {
        let mut batches = Vec::new();
        for id in self.open_batch_ids()? {
            batches.extend(self.batch(&id)?);
        }
        Ok(batches)
    }

    fn open_batch_ids(&self) -> Result<Vec<String>, AppError> {
        self.with("be read", |c| {
            let mut statement = c.prepare(
                "SELECT id FROM batches WHERE closed = 0 AND EXISTS (SELECT 1 FROM batch_rows \
                 WHERE batch_id = batches.id AND done = 0) ORDER BY created_at",
            )?;
            let ids = statement.query_map([], |r| r.get::<_, String>(0))?;
            ids.collect::<rusqlite::Result<Vec<_>>>()
        })
    }

    /// Unfinished entries to offer one by one: those of a batch still offered to continue are
    /// left out (continuing the batch settles them).
    pub fn unfinished_outside_open_batches(&self) -> Result<Vec<JournalEntry>, AppError> {
        let open = self.open_batch_ids()?;
        let mut entries = self.unfinished()?;
        entries.retain(|e| e.batch_id.as_ref().is_none_or(|id| !open.contains(id)));
        Ok(entries)
    }

    /// The batch's journal entries, oldest first.
    pub fn batch_entries(&self, batch_id: &str) -> Result<Vec<JournalEntry>, AppError> {
        self.with("be read", |c| {
            let mut statement = c.prepare(&format!("{SELECT} WHERE batch_id = ?1 ORDER BY id"))?;
            let rows = statement.query_map([batch_id], entry)?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        invitation::Landing,
        journal::{EntryKind, Intent},
    };

    fn record() -> BatchRecord {
        let row = |line: u32, name: &str| RowRecord {
            line,
            user_id: format!("5e1c6a8e-0000-4000-8000-00000000000{line}"),
            user_upn: format!("{name}@contoso.se"),
            user_name: name.into(),
            email: format!("{name}@partner.example"),
            done: false,
            skipped: None,
        };
        BatchRecord {
            id: "b-1".into(),
            created_at: 0.0,
            admin_upn: "anna@contoso.se".into(),
            cloud: "sample".into(),
            tenant_id: "t-1".into(),
            message: MessageSettings {
                send_email: false,
                language: "sv-SE".into(),
                personal_message: String::new(),
                cc: None,
                landing: Landing::MyApps,
            },
            message_kept: false,
            rows: vec![row(2, "åsa"), row(3, "oscar")],
        }
    }

    #[test]
    fn a_batch_is_kept_until_every_row_is_done_or_it_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
        journal.begin_batch(&record()).unwrap();
        assert!(journal.begin_batch(&record()).is_err(), "the same batch cannot start twice");
        assert_eq!(journal.open_batches().unwrap().len(), 1);
        let skipped = AppError::invalid_input("Nothing was sent: blocked now.");
        journal.batch_row_done("b-1", 2, Some(&skipped)).unwrap();
        let read = journal.batch("b-1").unwrap().unwrap();
        assert_eq!((read.rows[0].done, read.rows[1].done), (true, false));
        assert_eq!(read.rows[0].skipped.as_ref(), Some(&skipped));
        assert_eq!(read.rows[0].user_name, "åsa");
        assert_eq!(read.message, record().message);
        journal.batch_row_done("b-1", 3, None).unwrap();
        assert!(journal.open_batches().unwrap().is_empty(), "every row done");

        let mut second = record();
        second.id = "b-2".into();
        journal.begin_batch(&second).unwrap();
        assert_eq!(journal.open_batches().unwrap()[0].id, "b-2");
        journal.close_batch("b-2").unwrap();
        assert!(journal.open_batches().unwrap().is_empty(), "closed");
    }

    #[test]
    fn entries_begun_in_a_batch_carry_its_id_and_others_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("journal.sqlite3")).unwrap();
        let intent = Intent {
            kind: EntryKind::Conversion,
            admin_upn: "anna@contoso.se".into(),
            cloud: "sample".into(),
            tenant_id: "t-1".into(),
            user_id: "u-1".into(),
            user_upn: "asa@contoso.se".into(),
            user_name: "Åsa".into(),
            email: "asa@partner.example".into(),
            set_mail: false,
            send_email: true,
            language: "sv-SE".into(),
            personal_message: None,
            cc: None,
            redirect_url: "https://myapps.microsoft.com/".into(),
            requests: vec![],
        };
        let alone = journal.begin(&intent).unwrap();
        let in_batch = journal.in_batch("b-1").begin(&intent).unwrap();
        assert_eq!(journal.entry(alone).unwrap().unwrap().batch_id, None);
        assert_eq!(journal.entry(in_batch).unwrap().unwrap().batch_id.as_deref(), Some("b-1"));
        let entries = journal.batch_entries("b-1").unwrap();
        assert_eq!(entries.iter().map(|e| e.id).collect::<Vec<_>>(), [in_batch]);
        // History shows both; the batch's is an ordinary entry.
        assert_eq!(journal.entries().unwrap().len(), 2);
    }
}
