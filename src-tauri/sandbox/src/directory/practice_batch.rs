//! A list to practise a batch with (`practice-batch.csv` beside this crate's README): every
//! ordinary staff member with an address of their own at a partner – two in three convertible
//! once their email is set, one in three blocked by an Exchange Online mailbox – and a few of
//! the README's cases by name or object ID (ready, already B2B, synced, an address in use).

use super::{Directory, DEFAULT_DOMAIN};

/// The partner domain the staff's own addresses are at (no object in the directory uses it).
pub const PRACTICE_PARTNER_DOMAIN: &str = "contractors.example";

/// Case users on the list: UPN, listed by object ID instead, and the email to give (empty:
/// the account's own `mail`).
const CASES: &[(&str, bool, &str)] = &[
    ("oscar.ward", false, ""),
    ("asa.odman", false, ""),
    ("henrik.dahl", true, ""),
    ("karin.sjoberg", false, ""),
    ("karin.sjoberg.typo", false, ""),
    ("maria.persson", false, ""),
    ("ingrid.falk", false, ""),
    ("carl.magnusson", false, ""),
    ("wilma.axelsson", false, "yara.svensson@tailspin.example"),
];

/// The list as CSV (`userPrincipalName,objectId,email`), Excel-friendly: a byte-order mark and
/// CRLF line ends.
pub fn practice_batch_csv(directory: &Directory) -> String {
    let mut csv = String::from("\u{feff}userPrincipalName,objectId,email\r\n");
    for (alias, by_id, email) in CASES {
        let upn = format!("{alias}@{DEFAULT_DOMAIN}");
        match directory.user(&upn) {
            Some(user) if *by_id => csv.push_str(&format!(",{},{email}\r\n", user.id)),
            // A name that is not in the directory shows as "not found" in the dry run.
            _ => csv.push_str(&format!("{upn},,{email}\r\n")),
        }
    }
    for user in directory.users.iter().filter(|u| u.case.is_none()) {
        let local = user.user_principal_name.split('@').next().unwrap_or_default();
        csv.push_str(&format!(
            "{},,{local}@{PRACTICE_PARTNER_DOMAIN}\r\n",
            user.user_principal_name
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_practice_list_matches_the_directory() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("practice-batch.csv");
        let current = practice_batch_csv(&Directory::sample(2020));
        if std::env::var_os("REHOME_WRITE_README").is_some() {
            std::fs::write(&path, &current).unwrap();
        } else {
            let written = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(written == current, "src-tauri/sandbox/practice-batch.csv is out of date: run REHOME_WRITE_README=1 cargo test -p rehome-sandbox");
        }
        let directory = Directory::sample(2020);
        let staff: Vec<_> = directory.users.iter().filter(|u| u.case.is_none()).collect();
        let blocked = staff.iter().filter(|u| u.has_mailbox()).count();
        assert!(
            staff.len() >= 300 && blocked > 50 && staff.len() - blocked > 150,
            "{blocked} of {}",
            staff.len()
        );
        assert!(
            !directory
                .users
                .iter()
                .any(|u| u.addresses().iter().any(|a| a.ends_with(PRACTICE_PARTNER_DOMAIN))),
            "nobody holds a practice address yet"
        );
    }
}
