//! The external email address the person will sign in with: what the invitation service accepts
//! (DOMAIN.md §2.2) and which addresses on the account are candidates (§1.4).

use serde::Serialize;
use ts_rs::TS;

/// Why an address cannot be used; the UI words each in the admin's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EmailProblem {
    /// Empty, no `@`, no dot in the domain, or longer than an address can be.
    NotAnAddress,
    /// A `+` (sub-addressing): the invitation service rejects it.
    PlusSign,
    /// Another character the service rejects, or `.`/`-` at the start or end of the local part.
    RejectedCharacters,
    /// Letters outside ASCII (å, é, an internationalised domain): `mail` cannot hold them
    /// (DOMAIN.md §11.3), so the address cannot be the invitation's.
    NotAscii,
    /// In one of the organisation's verified domains: it must be the person's own address.
    VerifiedDomain,
}

/// Characters the invitation service rejects (`+` is reported on its own, being the usual one).
const REJECTED: &[char] = &[
    '~', '!', '#', '$', '%', '^', '&', '*', '(', ')', '=', '[', ']', '{', '}', '\\', '/', '|', ';',
    ':', '"', '<', '>', '?', ',',
];

/// The longest address SMTP allows.
const MAX_LENGTH: usize = 254;

pub fn domain_of(address: &str) -> Option<&str> {
    address.rsplit_once('@').map(|(_, domain)| domain)
}

/// `None` when `address` can be the invitation address in an organisation with these domains.
pub fn problem(address: &str, verified_domains: &[String]) -> Option<EmailProblem> {
    let address = address.trim();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Some(EmailProblem::NotAnAddress);
    };
    let domain_is_plausible = domain.contains('.')
        && !domain.starts_with(['.', '-'])
        && !domain.ends_with(['.', '-'])
        && !domain.contains("..");
    if local.is_empty()
        || !domain_is_plausible
        || address.len() > MAX_LENGTH
        || address.chars().any(|c| c.is_whitespace() || c.is_control())
        || local.contains('@')
    {
        return Some(EmailProblem::NotAnAddress);
    }
    if !address.is_ascii() {
        return Some(EmailProblem::NotAscii);
    }
    if address.contains('+') {
        return Some(EmailProblem::PlusSign);
    }
    let edge = |c: Option<char>| matches!(c, Some('.' | '-'));
    if address.contains(REJECTED) || edge(local.chars().next()) || edge(local.chars().last()) {
        return Some(EmailProblem::RejectedCharacters);
    }
    if verified_domains.iter().any(|d| d.eq_ignore_ascii_case(domain)) {
        return Some(EmailProblem::VerifiedDomain);
    }
    None
}

/// Where a candidate address was found on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EmailSource {
    /// The account's email (`mail`): today's rule.
    Mail,
    /// Other emails (`otherMails`): the 2020 rule for cloud-only users.
    OtherMails,
    /// An external address the account also answers to (`proxyAddresses`).
    ProxyAddresses,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmailCandidate {
    pub address: String,
    pub source: EmailSource,
    pub problem: Option<EmailProblem>,
}

/// Each address on the account once, `mail` first, then `otherMails`, then external
/// `proxyAddresses` (internal aliases are not the person's own address, so they are left out).
pub fn candidates(
    mail: Option<&str>,
    other_mails: &[String],
    proxy_addresses: &[String],
    verified_domains: &[String],
) -> Vec<EmailCandidate> {
    let proxies = proxy_addresses.iter().filter_map(|p| {
        let (kind, address) = p.split_once(':')?;
        kind.eq_ignore_ascii_case("smtp").then_some(address)
    });
    let found = mail
        .map(|m| (m, EmailSource::Mail))
        .into_iter()
        .chain(other_mails.iter().map(|m| (m.as_str(), EmailSource::OtherMails)))
        .chain(proxies.map(|p| (p, EmailSource::ProxyAddresses)));
    let mut candidates: Vec<EmailCandidate> = Vec::new();
    for (address, source) in found {
        let address = address.trim();
        let problem = problem(address, verified_domains);
        let internal_alias =
            source == EmailSource::ProxyAddresses && problem == Some(EmailProblem::VerifiedDomain);
        if address.is_empty()
            || internal_alias
            || candidates.iter().any(|c| c.address.eq_ignore_ascii_case(address))
        {
            continue;
        }
        candidates.push(EmailCandidate { address: address.to_owned(), source, problem });
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verified() -> Vec<String> {
        vec!["contoso.se".into(), "Contoso.onmicrosoft.com".into()]
    }

    #[test]
    fn addresses_the_service_accepts() {
        for ok in [
            "oscar.ward@fabrikam.com",
            "_x_@a.example",
            "a-b.c@sub.domain.example",
            "  padded@fabrikam.com ",
        ] {
            assert_eq!(problem(ok, &verified()), None, "{ok}");
        }
    }

    #[test]
    fn addresses_it_rejects_each_with_its_reason() {
        use EmailProblem::*;
        let cases = [
            ("", NotAnAddress),
            ("oscar", NotAnAddress),
            ("@fabrikam.com", NotAnAddress),
            ("oscar@fabrikam", NotAnAddress),
            ("oscar@.fabrikam.com", NotAnAddress),
            ("os car@fabrikam.com", NotAnAddress),
            ("a\u{0}b@fabrikam.com", NotAnAddress),
            ("oscar\u{1b}[31m@fabrikam.com", NotAnAddress),
            ("a@b@fabrikam.com", NotAnAddress),
            ("albin+contoso@forsberg.example", PlusSign),
            ("o'brien!@fabrikam.com", RejectedCharacters),
            ("oscar#1@fabrikam.com", RejectedCharacters),
            (".oscar@fabrikam.com", RejectedCharacters),
            ("oscar-@fabrikam.com", RejectedCharacters),
            ("åsa.ödman@lindgren-partner.example", NotAscii),
            ("jose@núñez.example", NotAscii),
            ("søren+x@ærø.example", NotAscii),
            ("oscar@CONTOSO.SE", VerifiedDomain),
            ("oscar@contoso.onmicrosoft.com", VerifiedDomain),
        ];
        for (address, expected) in cases {
            assert_eq!(problem(address, &verified()), Some(expected), "{address}");
        }
        let long = format!("{}@fabrikam.com", "a".repeat(250));
        assert_eq!(problem(&long, &verified()), Some(NotAnAddress));
    }

    #[test]
    fn candidates_come_once_each_in_order_without_internal_aliases() {
        let found = candidates(
            Some("karin@contoso.se"),
            &["karin@partner.example".into(), "KARIN@partner.example".into(), "nope".into()],
            &[
                "SMTP:karin@contoso.se".into(),
                "smtp:k@contoso.se".into(),
                "smtp:karin@old-partner.example".into(),
                "x500:/o=Exchange".into(),
            ],
            &verified(),
        );
        let summary: Vec<_> =
            found.iter().map(|c| (c.address.as_str(), c.source, c.problem)).collect();
        assert_eq!(
            summary,
            [
                ("karin@contoso.se", EmailSource::Mail, Some(EmailProblem::VerifiedDomain)),
                ("karin@partner.example", EmailSource::OtherMails, None),
                ("nope", EmailSource::OtherMails, Some(EmailProblem::NotAnAddress)),
                ("karin@old-partner.example", EmailSource::ProxyAddresses, None),
            ]
        );
    }
}
