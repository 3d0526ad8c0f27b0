//! The one-time password a cloud account gets on its way back to internal: made here from the
//! OS random number generator, strong, and inside Entra's password policy (8–256 characters from
//! its allowed set, three of the four kinds – concept-sspr-policy). It is shown once, in the
//! result, and never written to the journal, a log or an error.

use serde::Serialize;
use ts_rs::TS;

use crate::{AppError, ErrorCode};

/// 16 characters of ~5.9 bits each: about 94 bits, far beyond guessing.
pub const PASSWORD_LENGTH: usize = 16;

// Letters and digits that cannot be mistaken for one another when read aloud or copied by hand
// (no l/1/I, O/0), and symbols that need no quoting in JSON, PowerShell or a shell.
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#%*+-=?@_";
/// Entra's allowed symbols (concept-sspr-policy), for checking a password against the policy.
const ENTRA_SYMBOLS: &str = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

/// A password shown once. Its `Debug` hides it, so it cannot reach a log by accident; it
/// serialises as the plain string only for the result the admin sees.
#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct OneTimePassword(String);

impl std::fmt::Debug for OneTimePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OneTimePassword([hidden])")
    }
}

impl OneTimePassword {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A uniformly random index below `bound` (rejection sampling: no modulo bias).
fn random_below(bound: usize) -> Result<usize, AppError> {
    let bound = u32::try_from(bound).unwrap_or(u32::MAX);
    let zone = u32::MAX - u32::MAX % bound;
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).map_err(|e| {
            AppError::new(ErrorCode::Internal, format!("The system gave no randomness: {e}"))
        })?;
        let value = u32::from_le_bytes(bytes);
        if value < zone {
            return Ok((value % bound) as usize);
        }
    }
}

/// A fresh password: one of each kind, the rest from all four, shuffled.
pub fn generate() -> Result<OneTimePassword, AppError> {
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    let mut chars = Vec::with_capacity(PASSWORD_LENGTH);
    for kind in [LOWER, UPPER, DIGITS, SYMBOLS] {
        chars.push(kind[random_below(kind.len())?]);
    }
    while chars.len() < PASSWORD_LENGTH {
        chars.push(all[random_below(all.len())?]);
    }
    // Fisher–Yates, so the first four are not always one of each kind in order.
    for i in (1..chars.len()).rev() {
        chars.swap(i, random_below(i + 1)?);
    }
    Ok(OneTimePassword(chars.into_iter().map(char::from).collect()))
}

/// Whether `password` meets Entra's password policy for cloud accounts.
pub fn meets_policy(password: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || ENTRA_SYMBOLS.contains(c);
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| ENTRA_SYMBOLS.contains(c)),
    ];
    (8..=256).contains(&password.chars().count())
        && password.chars().all(allowed)
        && kinds.iter().filter(|k| **k).count() >= 3
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_password_is_strong_inside_entras_policy_and_different() {
        let passwords: Vec<OneTimePassword> = (0..500).map(|_| generate().unwrap()).collect();
        for password in &passwords {
            let text = password.expose();
            assert_eq!(text.len(), PASSWORD_LENGTH);
            assert!(meets_policy(text), "{text}");
            // Every kind, not only three of four.
            for kind in [LOWER, UPPER, DIGITS, SYMBOLS] {
                assert!(text.bytes().any(|b| kind.contains(&b)), "{text}");
            }
        }
        let distinct: HashSet<&str> = passwords.iter().map(OneTimePassword::expose).collect();
        assert_eq!(distinct.len(), passwords.len());
        // Each position takes many values: nothing is fixed by the construction.
        for position in 0..PASSWORD_LENGTH {
            let seen: HashSet<u8> =
                passwords.iter().map(|p| p.expose().as_bytes()[position]).collect();
            assert!(seen.len() > 20, "position {position}: {}", seen.len());
        }
    }

    #[test]
    fn the_policy_check_follows_entra() {
        assert!(meets_policy("Zdi087#2jhkahf"));
        assert!(meets_policy("lower UPPER 123"));
        assert!(!meets_policy("Sh0rt!"));
        assert!(!meets_policy("onlylowercase"));
        assert!(!meets_policy("Lösenord123!"), "Unicode is not allowed");
        assert!(!meets_policy(&"Aa1!".repeat(65)));
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = generate().unwrap();
        let shown = format!("{password:?} {:?}", Some(password.clone()));
        assert!(!shown.contains(password.expose()), "{shown}");
        assert_eq!(serde_json::to_value(&password).unwrap(), password.expose());
    }

    #[test]
    fn random_indices_cover_their_range_evenly() {
        let mut counts = [0usize; 7];
        for _ in 0..7000 {
            counts[random_below(7).unwrap()] += 1;
        }
        // Each bucket expects 1000; six standard deviations (≈ 6 × 30) either side.
        assert!(counts.iter().all(|c| (820..=1180).contains(c)), "{counts:?}");
    }
}
