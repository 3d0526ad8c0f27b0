//! Ordinary staff, so that search and paging meet a directory of realistic size.

use super::{cases::Person, licences::office_e3, User, FILLER_USERS};
use crate::ids::Ids;
const FIRST_NAMES: &[&str] = &[
    "Alice", "Axel", "Ebba", "Elias", "Hugo", "Ida", "Isak", "Julia", "Liam", "Linnea", "Lucas",
    "Maja", "Noah", "Nora", "Oliver", "Saga", "Selma", "Vera", "William", "Wilma", "Ali", "Amira",
    "Chen", "Fatima", "Hanna", "Jonas", "Kerstin", "Magnus", "Mohammed", "Pia", "Reza", "Sven",
];
const SURNAMES: &[&str] = &[
    "Andersson",
    "Berg",
    "Dahlberg",
    "Ekström",
    "Forsberg",
    "Gran",
    "Hedberg",
    "Isaksson",
    "Jansson",
    "Källström",
    "Lund",
    "Mattsson",
    "Nyström",
    "Ottosson",
    "Pålsson",
    "Quist",
    "Rask",
    "Sandström",
    "Törnqvist",
    "Ulriksson",
    "Vik",
    "Wallin",
    "Åberg",
    "Öhman",
];

/// Ordinary staff, so paging and search work on a directory of realistic size.
pub(super) fn filler_users(ids: &mut Ids) -> Vec<User> {
    (0..FILLER_USERS)
        .map(|n| {
            let given = FIRST_NAMES[ids.below(FIRST_NAMES.len())];
            let surname = SURNAMES[ids.below(SURNAMES.len())];
            let alias = format!("{}.{}{n}", ascii_alias(given), ascii_alias(surname));
            let mut person = Person::new(ids, "filler", given, surname, &alias).internal_mail();
            if ids.below(3) == 0 {
                person = person.license(office_e3(true));
            }
            let mut user = person.done();
            user.case = None;
            user
        })
        .collect()
}

pub(super) fn ascii_alias(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            other => other,
        })
        .collect()
}
