//! Proof Key for Code Exchange (RFC 7636), S256 only; and the random `state` and `nonce`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use sha2::{Digest, Sha256};

use super::Secret;
use crate::AppError;

/// 32 random bytes as base64url: 43 characters of `[A-Za-z0-9-_]`.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::internal(format!("no randomness from the OS: {e}")))?;
    Ok(B64.encode(bytes))
}

pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Result<Pkce, AppError> {
        let verifier = random_token()?;
        Ok(Pkce { challenge: challenge_for(&verifier), verifier: Secret::new(verifier) })
    }
}

pub fn challenge_for(verifier: &str) -> String {
    B64.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_as_in_rfc_7636_appendix_b() {
        assert_eq!(
            challenge_for("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let pkce = Pkce::new().unwrap();
        assert_eq!(pkce.verifier.expose().len(), 43);
        assert_ne!(Pkce::new().unwrap().challenge, pkce.challenge);
    }
}
