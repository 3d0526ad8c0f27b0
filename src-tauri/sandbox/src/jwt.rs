//! Access and ID tokens: JWTs signed with HMAC-SHA256 by a key made when the sandbox starts.
//! Graph endpoints verify signature and lifetime, as Microsoft Graph does with its own keys.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD as B64, Engine};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub struct Signer {
    key: Vec<u8>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenProblem {
    Malformed,
    BadSignature,
    Expired,
}

impl Signer {
    pub fn new(key: Vec<u8>) -> Self {
        Signer { key }
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header =
            B64.encode(json!({ "typ": "JWT", "alg": "HS256", "kid": "sandbox" }).to_string());
        let payload = B64.encode(claims.to_string());
        let signing_input = format!("{header}.{payload}");
        format!("{signing_input}.{}", B64.encode(self.mac(&signing_input).finalize().into_bytes()))
    }

    /// The claims of a token this sandbox signed and that has not expired at `now` (seconds).
    pub fn verify(&self, token: &str, now: u64) -> Result<Value, TokenProblem> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenProblem::Malformed);
        };
        let signature = B64.decode(signature).map_err(|_| TokenProblem::Malformed)?;
        self.mac(&format!("{header}.{payload}"))
            .verify_slice(&signature)
            .map_err(|_| TokenProblem::BadSignature)?;
        let claims: Value = B64
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(TokenProblem::Malformed)?;
        match claims["exp"].as_u64() {
            Some(exp) if exp > now => Ok(claims),
            Some(_) => Err(TokenProblem::Expired),
            None => Err(TokenProblem::Malformed),
        }
    }

    /// The HMAC of `input`, to finalise (signing) or to compare in constant time (verifying).
    fn mac(&self, input: &str) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = HmacSha256::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(input.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_refuses_tampering_and_expiry() {
        let signer = Signer::new(b"key".to_vec());
        let token = signer.sign(&json!({ "scp": "User.Read", "exp": 100 }));
        assert_eq!(signer.verify(&token, 99).unwrap()["scp"], "User.Read");
        assert_eq!(signer.verify(&token, 100), Err(TokenProblem::Expired));
        // A payload swapped for one granting more, under the original signature.
        let forged = signer.sign(&json!({ "scp": "User.ReadWrite.All", "exp": 100 }));
        let (original, more): (Vec<&str>, Vec<&str>) =
            (token.split('.').collect(), forged.split('.').collect());
        let tampered = format!("{}.{}.{}", original[0], more[1], original[2]);
        assert_eq!(signer.verify(&tampered, 0), Err(TokenProblem::BadSignature));
        assert_eq!(
            Signer::new(b"other".to_vec()).verify(&token, 0),
            Err(TokenProblem::BadSignature)
        );
        assert_eq!(signer.verify("not-a-token", 0), Err(TokenProblem::Malformed));
    }
}
