//! Deterministic identifiers: the same seed gives the same directory on every machine and every
//! run (splitmix64 is fixed by its definition, unlike a library RNG that may change between versions).

use base64::Engine;

pub struct Ids {
    state: u64,
}

impl Ids {
    pub fn new(seed: u64) -> Self {
        Ids { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        out
    }

    /// A version-4-shaped UUID.
    pub fn uuid(&mut self) -> String {
        let mut b = self.bytes::<16>();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }

    /// An opaque URL-safe token (codes, refresh tokens, skip tokens).
    pub fn token(&mut self, len_bytes: usize) -> String {
        let bytes: Vec<u8> = (0..len_bytes).map(|_| self.next_u64() as u8).collect();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// What Entra Connect writes as `onPremisesImmutableId` (base64 of an AD objectGUID).
    pub fn immutable_id(&mut self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.bytes::<16>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let (mut a, mut b) = (Ids::new(7), Ids::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(Ids::new(7).uuid(), Ids::new(8).uuid());
        let id = Ids::new(1).uuid();
        assert_eq!((id.len(), &id[14..15]), (36, "4"));
    }
}
