//! History: what became of the conversions this workstation made (DOMAIN.md §4.2) – redemption
//! read in as few round trips as `$batch` allows – and the journal as a CSV file for Excel.

use std::{io::Write, path::Path};

use serde::Serialize;
use ts_rs::TS;

use crate::{cloud::is_guid, graph::GraphClient, journal::JournalEntry, AppError, ErrorCode};

/// Graph's limit of requests in one `$batch`.
const BATCH_SIZE: usize = 20;

/// A user's redemption as read now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Redemption {
    pub user_id: String,
    /// `PendingAcceptance`, `Accepted`, or `None` (not invited, or no longer).
    pub state: Option<String>,
    /// When the state last changed (RFC 3339).
    pub changed_at: Option<String>,
    /// Where the person signs in now, e.g. `ExternalAzureAD` once accepted.
    pub signs_in_with: Option<String>,
    /// Why this one could not be read (deleted user, permission).
    pub error: Option<AppError>,
}

/// Reads the redemption of each user (once per user), twenty to a `$batch`.
pub async fn refresh(
    graph: &GraphClient,
    user_ids: &[String],
) -> Result<Vec<Redemption>, AppError> {
    let mut unique: Vec<&String> = Vec::new();
    for id in user_ids.iter().filter(|id| is_guid(id)) {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(id)) {
            unique.push(id);
        }
    }
    let mut found = Vec::new();
    for chunk in unique.chunks(BATCH_SIZE) {
        let requests: Vec<(String, String)> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let path = format!(
                    "/users/{id}?$select=id,externalUserState,externalUserStateChangeDateTime,identities"
                );
                (i.to_string(), path)
            })
            .collect();
        let mut answers = graph.batch_get(&requests).await?;
        for (i, id) in chunk.iter().enumerate() {
            let answer = answers.remove(&i.to_string()).unwrap_or_else(|| {
                Err(AppError::new(ErrorCode::UnexpectedResponse, "No answer for this user."))
            });
            found.push(match answer {
                Ok(user) => Redemption {
                    user_id: (*id).clone(),
                    state: user["externalUserState"].as_str().map(str::to_owned),
                    changed_at: user["externalUserStateChangeDateTime"].as_str().map(str::to_owned),
                    signs_in_with: user["identities"]
                        .as_array()
                        .and_then(|list| list.iter().find(|i| i["signInType"] == "federated"))
                        .and_then(|i| i["issuer"].as_str())
                        .map(str::to_owned),
                    error: None,
                },
                Err(error) => Redemption {
                    user_id: (*id).clone(),
                    state: None,
                    changed_at: None,
                    signs_in_with: None,
                    error: Some(error),
                },
            });
        }
    }
    Ok(found)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a
/// leading `'`, so a display name such as `=HYPERLINK(…)` is shown, never run (OWASP's advice).
fn neutralised(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// Times as Excel reads them: `2026-11-27 10:15:03` (UTC).
pub(crate) fn time(ms: f64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

const COLUMNS: &[&str] = &[
    "Started (UTC)",
    "Finished (UTC)",
    "Kind",
    "Administrator",
    "User",
    "User principal name",
    "User object ID",
    "Email",
    "Email sent",
    "Outcome",
    "Status",
    "Invitation ID",
    "Request IDs",
    "Error",
    "Cloud",
    "Tenant ID",
    "Batch",
];

/// The journal as CSV (RFC 4180, through the `csv` crate): UTF-8 with a byte-order mark and CRLF
/// lines, so Excel opens it with Swedish characters intact; errors in words, not JSON.
pub fn csv(entries: &[JournalEntry]) -> String {
    let mut rows: Vec<Vec<String>> = vec![COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for entry in entries {
        let intent = &entry.intent;
        let outcome =
            entry.outcome.map(|o| format!("{o:?}")).unwrap_or_else(|| "Unfinished".into());
        rows.push(vec![
            time(entry.started_at),
            entry.finished_at.map(time).unwrap_or_default(),
            format!("{:?}", intent.kind),
            intent.admin_upn.clone(),
            intent.user_name.clone(),
            intent.user_upn.clone(),
            intent.user_id.clone(),
            intent.email.clone(),
            if intent.send_email { "yes" } else { "no" }.to_owned(),
            outcome,
            entry.status.clone().unwrap_or_default(),
            entry.invitation_id.clone().unwrap_or_default(),
            entry.request_ids.join(" "),
            entry.error.as_ref().map(|e| e.message.clone()).unwrap_or_default(),
            intent.cloud.clone(),
            intent.tenant_id.clone(),
            entry.batch_id.clone().unwrap_or_default(),
        ]);
    }
    table(rows)
}

/// Rows (the first one the header) as CSV for Excel: a byte-order mark, CRLF lines, RFC 4180
/// quoting, and every cell a spreadsheet would run shown as text.
pub(crate) fn table(rows: Vec<Vec<String>>) -> String {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![]);
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(|cell| neutralised(cell)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Writes `text` to `path` (the file the admin chose in the save dialog), synced to disk.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), AppError> {
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|e| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("{} could not be written: {e}", path.display()),
        )
    })
}

/// Writes the CSV to `path` (the file the admin chose in the save dialog).
pub fn export(entries: &[JournalEntry], path: &Path) -> Result<(), AppError> {
    write_file(path, &csv(entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{EntryKind, EntryOutcome, Intent};

    fn entry(name: &str, error: Option<&str>) -> JournalEntry {
        JournalEntry {
            id: 1,
            started_at: 1_795_774_503_000.0,
            finished_at: None,
            intent: Intent {
                kind: EntryKind::Conversion,
                admin_upn: "anna@contoso.se".into(),
                cloud: "global".into(),
                tenant_id: "t-1".into(),
                user_id: "u-1".into(),
                user_upn: "asa@contoso.se".into(),
                user_name: name.into(),
                email: "asa@partner.example".into(),
                set_mail: false,
                send_email: true,
                language: "sv-SE".into(),
                personal_message: None,
                cc: None,
                redirect_url: "https://myapps.microsoft.com/".into(),
                requests: vec![],
            },
            outcome: Some(EntryOutcome::Failed),
            invitation_id: None,
            status: None,
            request_ids: vec!["r-1".into(), "r-2".into()],
            error: error.map(|message| AppError::new(ErrorCode::ServiceError, message)),
            batch_id: None,
        }
    }

    #[test]
    fn csv_escapes_commas_quotes_and_line_breaks_and_keeps_swedish_letters() {
        let text = csv(&[entry("Ödman, Åsa \"the\" partner", Some("line one\nline two"))]);
        assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[0].starts_with("Started (UTC),Finished (UTC),Kind,"));
        assert!(lines[1].starts_with("2026-11-27 10:15:03,,Conversion,anna@contoso.se,\"Ödman, Åsa \"\"the\"\" partner\","), "{}", lines[1]);
        assert!(text.contains(",\"line one\nline two\","), "a line break stays inside its quotes");
        assert!(text.contains(",r-1 r-2,"));
        assert_eq!(text.matches("\r\n").count(), 2);
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_shown_as_text() {
        let text = csv(&[entry("=HYPERLINK(\"http://evil.example\",\"click\")", Some("-1+2"))]);
        let row = text.split("\r\n").nth(1).unwrap();
        assert!(
            row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
            "{row}"
        );
        assert!(row.contains(",'-1+2,"), "{row}");
        for dangerous in ["+1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(dangerous), format!("'{dangerous}"));
        }
        assert_eq!(neutralised("Åsa Ödman"), "Åsa Ödman");
        assert_eq!(neutralised("anna@contoso.se"), "anna@contoso.se", "only a leading @ counts");
    }

    #[test]
    fn times_are_utc_calendar_dates() {
        assert_eq!(time(0.0), "1970-01-01 00:00:00");
        assert_eq!(time(951_782_400_000.0), "2000-02-29 00:00:00");
        assert_eq!(time(1_795_774_503_000.0), "2026-11-27 10:15:03");
    }

    #[test]
    fn the_csv_file_is_written_and_a_bad_place_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rehome.csv");
        export(&[entry("Åsa", None)], &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert!(String::from_utf8(bytes).unwrap().contains("Åsa"));
        let error = export(&[], &dir.path().join("missing/folder/x.csv")).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
    }
}
