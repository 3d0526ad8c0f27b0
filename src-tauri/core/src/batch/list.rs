//! The list of accounts, as the admin gives it: CSV text from a file or pasted. Everything is
//! checked here, before anything is read from Microsoft: the columns, each value's shape,
//! duplicates, and Rehome's own cap.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::{
    cloud::is_guid,
    email::{self, EmailProblem},
};

/// Rehome's own limit on one batch (Microsoft has none for this): a list an admin can still
/// review row by row, and far under Graph's write limits (`batch` module docs).
pub const MAX_ROWS: usize = 500;
/// A list of 500 accounts is a few tens of kilobytes; anything much larger is not one.
pub const MAX_BYTES: usize = 1 << 20;

/// One account on the list, as written there: by object ID, by user principal name, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListRow {
    /// The line in the file (the header is line 1), as a text editor numbers it.
    pub line: u32,
    pub object_id: Option<String>,
    pub user_principal_name: Option<String>,
    /// The person's own address; without it the account's `mail` is reviewed.
    pub email: Option<String>,
}

impl ListRow {
    /// How Graph finds the account: the object ID when given, else the UPN.
    pub fn key(&self) -> &str {
        self.object_id.as_deref().or(self.user_principal_name.as_deref()).unwrap_or_default()
    }
}

/// Why a row was left out; the UI words each (`batch.rowProblems.<problem>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RowProblem {
    /// Neither an object ID nor a user principal name.
    MissingUser,
    NotAUserPrincipalName,
    NotAnObjectId,
    /// The email cannot be an invitation address (`email_problem` says why).
    NotAnEmail,
    /// The same account is on an earlier line (`first_line`).
    DuplicateUser,
    /// The same email is on an earlier line (`first_line`).
    DuplicateEmail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RejectedRow {
    pub line: u32,
    pub problem: RowProblem,
    /// The value it is about, as written.
    pub value: String,
    pub email_problem: Option<EmailProblem>,
    pub first_line: Option<u32>,
}

/// Why the list as a whole cannot be used (`batch.listProblems.<problem>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ListProblem {
    /// No rows at all.
    Empty,
    /// A header without a column for the user (UPN or object ID).
    NoUserColumn,
    /// More rows than `MAX_ROWS`.
    TooManyRows,
    /// Larger than `MAX_BYTES`.
    TooLarge,
    /// An Excel workbook or another file that is not text: save it as CSV first.
    NotCsv,
}

/// The list after checking: the rows that can be read, and why the others cannot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedList {
    /// Rust keeps the list under this id; the dry run is asked for by it.
    pub list_id: String,
    pub rows: Vec<ListRow>,
    pub rejected: Vec<RejectedRow>,
    /// When set, nothing of the list is used.
    pub problem: Option<ListProblem>,
    /// Rows with anything in them (blank lines do not count).
    pub row_count: u32,
    pub max_rows: u32,
    /// The separator found: `,`, `;` (Excel in a Swedish locale) or a tab.
    pub separator: String,
}

/// Which column holds what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    ObjectId,
    Upn,
    Email,
}

/// Header names, compared without case, spaces, `-`, `_` or `.` (English and Swedish, and
/// the names Entra's own user export uses).
fn column(name: &str) -> Option<Column> {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    match name.as_str() {
        "id" | "objectid" | "userid" | "userobjectid" | "objektid" | "användarid" => {
            Some(Column::ObjectId)
        }
        "userprincipalname"
        | "upn"
        | "user"
        | "username"
        | "användare"
        | "användarnamn"
        | "användarenshuvudnamn"
        | "huvudnamn" => Some(Column::Upn),
        "email"
        | "mail"
        | "emailaddress"
        | "externalemail"
        | "externalemailaddress"
        | "invitedemail"
        | "invitedemailaddress"
        | "epost"
        | "epostadress"
        | "externepost"
        | "externepostadress" => Some(Column::Email),
        _ => None,
    }
}

/// Bytes from a file: UTF-8 (with or without a byte-order mark), UTF-16 with one (Excel's
/// "Unicode text"), or else the Windows code page Excel writes its plain "CSV" in.
pub fn decode(bytes: &[u8]) -> Result<String, ListProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(ListProblem::TooLarge);
    }
    // A zip (.xlsx, .ods) or an old Excel workbook.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ListProblem::NotCsv);
    }
    let text = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]).0,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => text.into(),
            Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
        },
    };
    if text.contains('\0') {
        return Err(ListProblem::NotCsv);
    }
    Ok(text.into_owned())
}

/// The separator of the header line: the one of `,`, `;` and tab that splits it most (outside
/// quotes); `,` when none does.
fn separator(header: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (separator, count) in &mut counts {
                if byte == *separator {
                    *count += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, count)| *count).filter(|(_, c)| *c > 0).map_or(b',', |s| s.0)
}

/// A user principal name as Entra's username policy allows it (`A–Z a–z 0–9 ' . - _ ! # ^ ~`
/// before the `@`, at most 64 there and 113 in all; guests' `#EXT#` names fit it).
pub fn is_upn(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "'.-_!#^~".contains(c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    text.len() <= 113 && local_ok && domain_ok
}

/// Reads and checks the file the admin picked; a file that is no list says so in `problem`.
pub fn read(path: &std::path::Path) -> Result<ImportedList, crate::AppError> {
    let unreadable = |e: std::io::Error| {
        crate::AppError::invalid_input(format!("{} could not be read: {e}", path.display()))
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    let decoded = if size > MAX_BYTES as u64 {
        Err(ListProblem::TooLarge)
    } else {
        decode(&std::fs::read(path).map_err(unreadable)?)
    };
    Ok(match decoded {
        Ok(text) => parse(&text),
        Err(problem) => ImportedList { problem: Some(problem), ..parse("") },
    })
}

/// Checks `text` as a list; the list id is left empty for the caller to give.
pub fn parse(text: &str) -> ImportedList {
    let mut list = ImportedList {
        list_id: String::new(),
        rows: vec![],
        rejected: vec![],
        problem: None,
        row_count: 0,
        max_rows: MAX_ROWS as u32,
        separator: ",".into(),
    };
    if text.len() > MAX_BYTES {
        list.problem = Some(ListProblem::TooLarge);
        return list;
    }
    let text = text.trim_start_matches('\u{feff}');
    // Excel's `sep=;` first line names the separator.
    let (declared, body, skipped_lines) = match text.split_once('\n') {
        Some((first, rest)) if first.trim().to_ascii_lowercase().starts_with("sep=") => {
            (first.trim()[4..].bytes().next(), rest, 1)
        }
        _ => (None, text, 0),
    };
    let first_line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let separator = declared.unwrap_or_else(|| separator(first_line));
    list.separator = char::from(separator).to_string();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = reader.records().filter_map(Result::ok).filter(|record| {
        // Lines with nothing in them (Excel writes `;;` for them) are not rows.
        record.iter().any(|cell| !cell.trim().is_empty())
    });
    let Some(header) = records.next() else {
        list.problem = Some(ListProblem::Empty);
        return list;
    };
    // The reader's own line count lags behind CRLF and blank lines: count from its offset,
    // past the line breaks in front of the record.
    let line = |record: &csv::StringRecord| {
        let mut at = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(body.as_bytes().get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        let before = body.get(..at).unwrap_or_default();
        before.matches('\n').count() as u32 + 1 + skipped_lines
    };
    let named: Vec<Option<Column>> = header.iter().map(column).collect();
    let records: Vec<csv::StringRecord> = if named.iter().any(Option::is_some) {
        records.collect()
    } else {
        // No header: a pasted list of accounts, optionally with their emails beside them.
        let first = header.get(0).unwrap_or_default().trim();
        if !(is_guid(first) || first.contains('@')) {
            list.problem = Some(ListProblem::NoUserColumn);
            return list;
        }
        std::iter::once(header.clone()).chain(records).collect()
    };
    let columns: Vec<Option<Column>> = if named.iter().any(Option::is_some) {
        named
    } else {
        vec![Some(Column::Upn), Some(Column::Email)]
    };
    if !columns.iter().any(|c| matches!(c, Some(Column::ObjectId | Column::Upn))) {
        list.problem = Some(ListProblem::NoUserColumn);
        return list;
    }
    list.row_count = records.len() as u32;
    if records.is_empty() {
        list.problem = Some(ListProblem::Empty);
        return list;
    }
    if records.len() > MAX_ROWS {
        list.problem = Some(ListProblem::TooManyRows);
        return list;
    }
    let mut users: HashMap<String, u32> = HashMap::new();
    let mut emails: HashMap<String, u32> = HashMap::new();
    for record in &records {
        let line = line(record);
        let cell = |wanted: Column| {
            columns
                .iter()
                .zip(record.iter())
                .filter(|(c, _)| **c == Some(wanted))
                .map(|(_, value)| value.trim())
                .find(|value| !value.is_empty())
        };
        let reject = |problem, value: &str| RejectedRow {
            line,
            problem,
            value: value.to_owned(),
            email_problem: None,
            first_line: None,
        };
        let mut row = ListRow { line, object_id: None, user_principal_name: None, email: None };
        // Each value is taken for what it is: a GUID is an object ID, an address a UPN.
        let mut bad = None;
        for (column, value) in
            [(Column::ObjectId, cell(Column::ObjectId)), (Column::Upn, cell(Column::Upn))]
        {
            let Some(value) = value else { continue };
            if is_guid(value) {
                row.object_id.get_or_insert(value.to_ascii_lowercase());
            } else if is_upn(value) {
                row.user_principal_name.get_or_insert(value.to_owned());
            } else if column == Column::ObjectId && !value.contains('@') {
                bad = bad.or(Some(reject(RowProblem::NotAnObjectId, value)));
            } else {
                bad = bad.or(Some(reject(RowProblem::NotAUserPrincipalName, value)));
            }
        }
        if let Some(rejected) = bad {
            list.rejected.push(rejected);
            continue;
        }
        if row.object_id.is_none() && row.user_principal_name.is_none() {
            list.rejected.push(reject(RowProblem::MissingUser, ""));
            continue;
        }
        if let Some(address) = cell(Column::Email) {
            if let Some(problem) = email::problem(address, &[]) {
                list.rejected.push(RejectedRow {
                    email_problem: Some(problem),
                    ..reject(RowProblem::NotAnEmail, address)
                });
                continue;
            }
            row.email = Some(address.to_owned());
        }
        let user_key = row.object_id.clone().unwrap_or_else(|| {
            format!("upn:{}", row.user_principal_name.as_deref().unwrap_or_default().to_lowercase())
        });
        if let Some(first) = users.get(&user_key) {
            let rejected = reject(RowProblem::DuplicateUser, row.key());
            list.rejected.push(RejectedRow { first_line: Some(*first), ..rejected });
            continue;
        }
        if let Some(address) = row.email.as_deref() {
            if let Some(first) = emails.get(&address.to_lowercase()) {
                let rejected = reject(RowProblem::DuplicateEmail, address);
                list.rejected.push(RejectedRow { first_line: Some(*first), ..rejected });
                continue;
            }
            emails.insert(address.to_lowercase(), line);
        }
        users.insert(user_key, line);
        list.rows.push(row);
    }
    list
}

/// A list to fill in: Excel opens it in columns whatever its locale (`sep=,`), and reads it
/// back with either separator.
pub fn template() -> String {
    "\u{feff}sep=,\r\nuserPrincipalName,email\r\n".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "5e1c6a8e-0000-4000-8000-000000000006";

    fn problems(list: &ImportedList) -> Vec<(u32, RowProblem, &str)> {
        list.rejected.iter().map(|r| (r.line, r.problem, r.value.as_str())).collect()
    }

    #[test]
    fn a_list_with_commas_and_one_with_semicolons_read_the_same() {
        let comma =
            parse("userPrincipalName,email\r\noscar.ward@contoso.se,oscar@fabrikam.com\r\n");
        let semicolon = parse("\u{feff}UPN;E-post\nOscar.Ward@contoso.se;oscar@fabrikam.com\n");
        assert_eq!((comma.problem, semicolon.problem), (None, None));
        assert_eq!(semicolon.separator, ";");
        assert_eq!(comma.rows.len(), 1);
        assert_eq!(semicolon.rows[0].email.as_deref(), Some("oscar@fabrikam.com"));
        assert_eq!(semicolon.rows[0].line, 2);
        let tabs = parse("id\temail\n5E1C6A8E-0000-4000-8000-000000000006\toscar@fabrikam.com\n");
        assert_eq!(tabs.rows[0].object_id.as_deref(), Some(ID), "object IDs in lower case");
    }

    #[test]
    fn quoted_fields_blank_lines_and_a_sep_line_are_understood() {
        let text = "sep=;\r\n\"Display name\";\"UPN\";\"Email\"\r\n\"Ödman; Åsa\";asa@contoso.se;\"asa@partner.example\"\r\n;;\r\n\r\n\"Ward, \"\"O\"\"\";oscar@contoso.se;\r\n";
        let list = parse(text);
        assert_eq!(list.problem, None);
        assert_eq!(list.rows.len(), 2, "{list:?}");
        assert_eq!(list.rows[0].line, 3, "the sep line counts as a line");
        assert_eq!(list.rows[0].email.as_deref(), Some("asa@partner.example"));
        assert_eq!(list.rows[1].user_principal_name.as_deref(), Some("oscar@contoso.se"));
        assert_eq!(list.rows[1].line, 6, "blank lines count as lines too");
        assert_eq!(list.rows[1].email, None);
        assert_eq!(list.row_count, 2);
    }

    #[test]
    fn every_bad_row_is_named_with_its_line_and_why() {
        let text = "user,email\n\
            oscar@contoso.se,oscar@fabrikam.com\n\
            not a user,x@fabrikam.com\n\
            ,y@fabrikam.com\n\
            asa@contoso.se,åsa@partner.example\n\
            lars@contoso.se,lars+1@partner.example\n\
            OSCAR@contoso.se,other@fabrikam.com\n\
            karin@contoso.se,OSCAR@fabrikam.com\n\
            12345,z@fabrikam.com\n";
        let list = parse(text);
        assert_eq!(list.rows.len(), 1);
        assert_eq!(
            problems(&list),
            [
                (3, RowProblem::NotAUserPrincipalName, "not a user"),
                (4, RowProblem::MissingUser, ""),
                (5, RowProblem::NotAnEmail, "åsa@partner.example"),
                (6, RowProblem::NotAnEmail, "lars+1@partner.example"),
                (7, RowProblem::DuplicateUser, "OSCAR@contoso.se"),
                (8, RowProblem::DuplicateEmail, "OSCAR@fabrikam.com"),
                (9, RowProblem::NotAUserPrincipalName, "12345"),
            ]
        );
        assert_eq!(list.rejected[2].email_problem, Some(EmailProblem::NotAscii));
        assert_eq!(list.rejected[3].email_problem, Some(EmailProblem::PlusSign));
        assert_eq!(list.rejected[4].first_line, Some(2));
        let ids = parse(&format!("objectId\n{ID}\nnot-a-guid\n{}\n", ID.to_uppercase()));
        assert_eq!(
            problems(&ids),
            [(3, RowProblem::NotAnObjectId, "not-a-guid"), (4, RowProblem::DuplicateUser, ID)]
        );
    }

    #[test]
    fn a_list_that_cannot_be_used_says_why() {
        assert_eq!(parse("").problem, Some(ListProblem::Empty));
        assert_eq!(parse("\u{feff}\r\n ;\r\n").problem, Some(ListProblem::Empty));
        assert_eq!(
            parse("name,email\nOscar,o@fabrikam.com\n").problem,
            Some(ListProblem::NoUserColumn)
        );
        let many: String = std::iter::once("upn".to_owned())
            .chain((0..=MAX_ROWS).map(|n| format!("user{n}@contoso.se")))
            .collect::<Vec<_>>()
            .join("\n");
        let list = parse(&many);
        assert_eq!((list.problem, list.row_count), (Some(ListProblem::TooManyRows), 501));
        assert!(list.rows.is_empty());
        let exactly = parse(many.rsplit_once('\n').unwrap().0);
        assert_eq!((exactly.problem, exactly.rows.len()), (None, MAX_ROWS));
        assert_eq!(decode(b"PK\x03\x04\x14\x00"), Err(ListProblem::NotCsv));
        assert_eq!(decode(&vec![b'a'; MAX_BYTES + 1]), Err(ListProblem::TooLarge));
    }

    #[test]
    fn a_pasted_list_needs_no_header() {
        let list = parse(&format!("oscar@contoso.se\t oscar@fabrikam.com\n{ID}\n"));
        assert_eq!(list.problem, None);
        assert_eq!(list.rows.len(), 2);
        assert_eq!((list.rows[0].line, list.rows[1].line), (1, 2));
        assert_eq!(list.rows[0].email.as_deref(), Some("oscar@fabrikam.com"));
        assert_eq!(list.rows[1].object_id.as_deref(), Some(ID));
    }

    #[test]
    fn files_from_excel_decode_in_their_encoding() {
        let cp1252 = b"UPN;Namn\r\nasa@contoso.se;\xc5sa \xd6dman\r\n";
        assert!(decode(cp1252).unwrap().contains("Åsa Ödman"));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "upn\tnamn\r\nasa@contoso.se\tÅsa\r\n".encode_utf16().flat_map(u16::to_le_bytes),
        );
        let text = decode(&utf16).unwrap();
        assert_eq!(parse(&text).rows[0].user_principal_name.as_deref(), Some("asa@contoso.se"));
        assert_eq!(decode("\u{feff}upn\nå@x.se".as_bytes()).unwrap(), "upn\nå@x.se");
        let template = parse(&template());
        assert_eq!(template.problem, Some(ListProblem::Empty), "a header, no accounts yet");
    }

    #[test]
    fn user_principal_names_follow_the_username_policy() {
        for ok in [
            "oscar@contoso.se",
            "o'brien@contoso.se",
            "erik_woodgrove.example#EXT#@contoso.onmicrosoft.com",
        ] {
            assert!(is_upn(ok), "{ok}");
        }
        for bad in [
            "oscar",
            "@contoso.se",
            "os car@contoso.se",
            "åsa@contoso.se",
            "a@contoso",
            "a@-x.se",
            "a@b@c.se",
        ] {
            assert!(!is_upn(bad), "{bad}");
        }
        assert!(!is_upn(&format!("{}@contoso.se", "a".repeat(65))));
    }
}
