//! Rehome recognises only refusal texts with a source: none of the sample directory's invented
//! wordings (its README ledger, `sample wording:`) may be keyed on, or tests against the sample
//! would pass on words a real tenant never says.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rehome_core::{journal::EntryKind, refusal, AppError, ErrorCode};

/// `(behaviour, wording)` of every ledger row whose text the sample directory invented.
fn sample_wordings() -> Vec<(String, String)> {
    let readme = include_str!("../../sandbox/README.md");
    let ledger = readme.split("## Ledger").nth(1).expect("the sandbox README has a ledger");
    ledger
        .lines()
        .filter(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let wording = cells.last()?.trim().strip_prefix("sample wording: `")?;
            Some((cells[0].trim().to_owned(), wording.trim_end_matches('`').to_owned()))
        })
        .collect()
}

#[test]
fn no_invented_wording_of_the_sample_directory_is_recognised() {
    let invented = sample_wordings();
    assert!(invented.len() > 10, "the ledger lists the sample's own wordings: {}", invented.len());
    for (behaviour, wording) in &invented {
        let error = AppError::new(ErrorCode::ServiceError, wording);
        for kind in [
            EntryKind::Conversion,
            EntryKind::Resend,
            EntryKind::ResetRedemption,
            EntryKind::ConvertToInternal,
        ] {
            assert_eq!(refusal::recognise(&error, kind), None, "{behaviour}: {wording}");
        }
    }
}

#[test]
fn every_recognised_text_names_where_it_was_seen() {
    for known in refusal::KNOWN {
        assert!(known.source.len() > 8, "{} has no source", known.fragment);
    }
}
