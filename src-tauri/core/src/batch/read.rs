//! The dry run's reads: for every account the same requests as one review makes
//! (`eligibility`), packed twenty to a `$batch` round trip. What is the same for every account
//! is read once: the organisation's domains, and each address domain's federation. An account
//! listed without an email is reviewed with its own `mail`, so the reads about that address
//! follow once the account has been read; those accounts are read first, so their follow-ups
//! fill later round trips and the total stays ⌈reads / 20⌉.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::{
    eligibility::{
        email_requests, report_from, usable, user_requests, AdminFacts, Report, DOMAINS,
    },
    email,
    graph::{BatchResult, GraphClient},
    AppError,
};

/// Graph's limit of requests in one `$batch` (DOMAIN.md §6).
pub const BATCH_SIZE: usize = 20;

/// One account to review: how Graph finds it (object ID or UPN) and the address to review
/// (`None`: the account's own `mail`).
#[derive(Debug, Clone)]
pub struct Target {
    pub user: String,
    pub email: Option<String>,
}

/// What the reads cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadCount {
    /// Requests inside the round trips (Graph's throttled items sent again not included).
    pub reads: u32,
    pub round_trips: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Owner {
    Domains,
    Federation(String),
    /// The account at this index, and which of its reads (`user`, `licenses`, `others`, …).
    Account(usize, &'static str),
}

struct Reads {
    queue: VecDeque<(Owner, String)>,
    answers: HashMap<Owner, BatchResult>,
    /// Federation domains already asked for.
    domains: HashSet<String>,
}

impl Reads {
    /// The reads about `address` for account `index`; its domain's federation once per domain.
    fn about_address(&mut self, index: usize, address: &str) {
        let [(_, federation), (_, others), (_, groups), (_, contacts)] = email_requests(address);
        let domain = email::domain_of(address).unwrap_or_default().to_lowercase();
        if self.domains.insert(domain.clone()) {
            self.queue.push_back((Owner::Federation(domain), federation));
        }
        for (name, path) in [("others", others), ("groups", groups), ("contacts", contacts)] {
            self.queue.push_back((Owner::Account(index, name), path));
        }
    }
}

/// Reviews every target: a report, or why it could not be made. `Err` only when a round trip
/// as a whole failed (no connection, the sign-in expired).
pub async fn reports(
    graph: &GraphClient,
    targets: &[Target],
    admin: AdminFacts,
) -> Result<(Vec<Result<Report, AppError>>, ReadCount), AppError> {
    let mut reads =
        Reads { queue: VecDeque::new(), answers: HashMap::new(), domains: HashSet::new() };
    reads.queue.push_back((Owner::Domains, DOMAINS.1.to_owned()));
    // Accounts whose address comes from their own `mail` first: their follow-ups come sooner.
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|i| targets[*i].email.is_some());
    let mut emails: Vec<Option<String>> = targets.iter().map(|t| t.email.clone()).collect();
    for &index in &order {
        for (name, path) in user_requests(&path_segment(&targets[index].user)) {
            reads.queue.push_back((Owner::Account(index, name), path));
        }
        if let Some(address) = usable(targets[index].email.as_deref()) {
            reads.about_address(index, address);
        }
    }
    let mut count = ReadCount::default();
    while !reads.queue.is_empty() {
        let take = reads.queue.len().min(BATCH_SIZE);
        let chunk: Vec<(Owner, String)> = reads.queue.drain(..take).collect();
        let requests: Vec<(String, String)> =
            chunk.iter().enumerate().map(|(i, (_, path))| (i.to_string(), path.clone())).collect();
        count.reads += requests.len() as u32;
        count.round_trips += 1;
        let mut answers = graph.batch_get(&requests).await?;
        for (i, (owner, _)) in chunk.into_iter().enumerate() {
            let answer = answers
                .remove(&i.to_string())
                .unwrap_or_else(|| Err(AppError::internal("no answer")));
            if let (Owner::Account(index, "user"), Ok(user)) = (&owner, &answer) {
                if targets[*index].email.is_none() {
                    // Reviewed with its own `mail`, as one review is before an address is chosen.
                    let mail = user["mail"].as_str().map(str::trim).filter(|m| !m.is_empty());
                    emails[*index] = mail.map(str::to_owned);
                    if let Some(address) = usable(mail) {
                        reads.about_address(*index, address);
                    }
                }
            }
            reads.answers.insert(owner, answer);
        }
    }
    let shared = |owner: &Owner, answers: &HashMap<Owner, BatchResult>| {
        answers.get(owner).cloned().unwrap_or_else(|| Err(AppError::internal("not read")))
    };
    let reports = (0..targets.len())
        .map(|index| {
            let email = emails[index].as_deref();
            let domain = email.and_then(email::domain_of).unwrap_or_default().to_lowercase();
            let mut take = |name: &str| match name {
                "domains" => shared(&Owner::Domains, &reads.answers),
                "federation" => shared(&Owner::Federation(domain.clone()), &reads.answers),
                name => {
                    let owner = ["user", "licenses", "others", "groups", "contacts"]
                        .into_iter()
                        .find(|n| *n == name)
                        .map(|n| Owner::Account(index, n));
                    owner
                        .and_then(|o| reads.answers.remove(&o))
                        .unwrap_or_else(|| Err(AppError::internal(name)))
                }
            };
            report_from(&mut take, email, admin)
        })
        .collect();
    Ok((reports, count))
}

/// An object ID or UPN as one path segment: a guest's `#EXT#` must not end the path.
fn path_segment(user: &str) -> String {
    let mut encoded = String::with_capacity(user.len());
    for byte in user.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'@') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guests_name_stays_one_path_segment() {
        assert_eq!(
            path_segment("erik_woodgrove.example#EXT#@contoso.onmicrosoft.com"),
            "erik_woodgrove.example%23EXT%23@contoso.onmicrosoft.com"
        );
        assert_eq!(path_segment("o'brien@contoso.se"), "o%27brien@contoso.se");
    }
}
