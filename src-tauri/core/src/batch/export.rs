//! The dry run and the result as CSV for Excel, through History's writer (byte-order mark,
//! CRLF, every cell a spreadsheet would run shown as text). Findings and outcomes are Rehome's
//! stable codes (the same the UI words), so a sheet can be filtered on them.

use std::path::Path;

use super::{BatchStatus, DryRun, RowState};
use crate::{
    eligibility::Verdict,
    history::{table, write_file},
    AppError,
};

/// Writes an export (or the template) where the admin chose in the save dialog.
pub fn save(path: &Path, text: &str) -> Result<(), AppError> {
    write_file(path, text)
}

fn code<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

const DRY_RUN_COLUMNS: &[&str] = &[
    "Line",
    "Object ID (listed)",
    "User principal name (listed)",
    "Email (listed)",
    "Result",
    "Display name",
    "User principal name",
    "Object ID",
    "Address reviewed",
    "Sets email",
    "Findings",
    "Error",
];

/// Every row of the list: read (with what its review found) or left out (and why).
pub fn dry_run_csv(dry_run: &DryRun) -> String {
    let mut rows: Vec<Vec<String>> =
        vec![DRY_RUN_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for row in &dry_run.rows {
        let report = row.report.as_ref();
        // What stands in the way or deserves a look, with the values each names.
        let findings: Vec<String> = report
            .map(|r| r.checks.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|c| {
                matches!(c.verdict, Verdict::Blocks | Verdict::Warning | Verdict::CouldNotCheck)
            })
            .map(|c| {
                let values: Vec<String> =
                    c.values.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                let values = if values.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", values.join(", "))
                };
                format!("{} {}{values}", code(&c.verdict), code(&c.finding))
            })
            .collect();
        rows.push(vec![
            row.row.line.to_string(),
            row.row.object_id.clone().unwrap_or_default(),
            row.row.user_principal_name.clone().unwrap_or_default(),
            row.row.email.clone().unwrap_or_default(),
            code(&row.verdict),
            report.map(|r| r.user.display_name.clone()).unwrap_or_default(),
            report.map(|r| r.user.user_principal_name.clone()).unwrap_or_default(),
            report.map(|r| r.user.id.clone()).unwrap_or_default(),
            report.and_then(|r| r.email.clone()).unwrap_or_default(),
            if report.is_some_and(|r| r.sets_mail) { "yes" } else { "no" }.to_owned(),
            findings.join("; "),
            row.error.as_ref().map(|e| e.message.clone()).unwrap_or_default(),
        ]);
    }
    for rejected in &dry_run.rejected {
        let mut why = code(&rejected.problem);
        if let Some(problem) = rejected.email_problem {
            why = format!("{why} ({})", code(&problem));
        }
        if let Some(first) = rejected.first_line {
            why = format!("{why} (line {first})");
        }
        let mut row = vec![String::new(); DRY_RUN_COLUMNS.len()];
        row[0] = rejected.line.to_string();
        row[2].clone_from(&rejected.value);
        row[4] = format!("notRead: {why}");
        rows.push(row);
    }
    rows[1..].sort_by_key(|r| r[0].parse::<u32>().unwrap_or_default());
    table(rows)
}

const RESULT_COLUMNS: &[&str] = &[
    "Line",
    "Display name",
    "User principal name",
    "Object ID",
    "Email",
    "Outcome",
    "Email sent",
    "One-time redemption link",
    "Invitation status",
    "Journal entry",
    "Request IDs",
    "Error",
];

/// The run's outcome per account. The one-time links are in it when no email was sent: this
/// file is how the admin passes them on, so it is written only where the admin chose.
pub fn result_csv(status: &BatchStatus) -> String {
    let mut rows: Vec<Vec<String>> = vec![RESULT_COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for row in &status.rows {
        let emailed = status.send_email && row.invitation_sent && row.state == RowState::Converted;
        rows.push(vec![
            row.line.to_string(),
            row.display_name.clone(),
            row.user_principal_name.clone(),
            row.user_id.clone(),
            row.email.clone(),
            code(&row.state),
            if emailed { "yes" } else { "no" }.to_owned(),
            row.redeem_url.clone().unwrap_or_default(),
            row.external_user_state.clone().unwrap_or_default(),
            row.journal_id.map(|id| id.to_string()).unwrap_or_default(),
            row.request_ids.join(" "),
            row.error.as_ref().map(|e| e.message.clone()).unwrap_or_default(),
        ]);
    }
    table(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{parse, DryRunRow, RowVerdict};

    #[test]
    fn the_dry_run_lists_read_and_rejected_rows_by_line_and_neutralises_formulas() {
        let list =
            parse("upn,email\n=cmd@contoso.se,a@b.example\nbad,x@y.example\noscar@contoso.se,\n");
        let dry_run = DryRun {
            batch_id: "b".into(),
            rows: list
                .rows
                .iter()
                .map(|row| DryRunRow {
                    row: row.clone(),
                    verdict: RowVerdict::NotFound,
                    report: None,
                    error: None,
                    first_line: None,
                })
                .collect(),
            rejected: list.rejected.clone(),
            reads: 0,
            round_trips: 0,
            ready: 0,
            ready_with_warnings: 0,
            not_ready: 1,
        };
        let text = dry_run_csv(&dry_run);
        let lines: Vec<&str> =
            text.trim_start_matches('\u{feff}').trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[1].starts_with("2,,'=cmd@contoso.se,,notRead: notAUserPrincipalName"),
            "{}",
            lines[1]
        );
        assert!(lines[2].starts_with("3,,bad,,notRead: notAUserPrincipalName"), "{}", lines[2]);
        assert!(lines[3].starts_with("4,,oscar@contoso.se,,notFound"), "{}", lines[3]);
        assert!(!text.contains(",=cmd"), "nothing that starts with = reaches a cell as is");
    }
}
