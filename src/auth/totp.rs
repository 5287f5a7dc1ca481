//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and the
//! pieces around them: HMAC (RFC 2104) over the `sha1` crate, base32 (RFC 4648) for the secret
//! shown to the person, the `otpauth://` address the QR code carries, and recovery codes.

use rand::Rng;
use sha1::{Digest, Sha1};

/// Seconds per step.
pub const STEP: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// HMAC-SHA1 of `message` under `key`.
pub fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha1::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha1::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    outer.into()
}

/// The HOTP value (RFC 4226) of `counter`, with `digits` digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mac = hmac_sha1(secret, &counter.to_be_bytes());
    let offset = usize::from(mac[19] & 0x0f);
    let value = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    value % 10u32.pow(digits)
}

/// The step a Unix time falls in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP)
}

/// The 6-digit code for a Unix time, as the person's app shows it (zero-padded).
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    let step = u64::try_from(step_of(unix_seconds)).unwrap_or(0);
    format!("{:06}", hotp(secret, step, DIGITS))
}

/// The step a typed code matches at `unix_seconds`, allowing one step of clock drift either
/// way; only steps after `last_used` count, so a code is never accepted twice.
pub fn matching_step(secret: &[u8], code: &str, unix_seconds: i64, last_used: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_seconds);
    (now - 1..=now + 1)
        .filter(|step| *step > last_used && *step >= 0)
        .find(|step| format!("{:06}", hotp(secret, *step as u64, DIGITS)) == code)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding, as authenticator apps read it.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 (case, spaces and padding ignored); None for any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET
            .iter()
            .position(|a| char::from(*a) == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// A new random secret, base32.
pub fn new_secret() -> String {
    let bytes: [u8; SECRET_BYTES] = rand::rng().random();
    base32_encode(&bytes)
}

/// The address an authenticator app reads from the QR code.
pub fn otpauth_uri(username: &str, secret_base32: &str) -> String {
    format!(
        "otpauth://totp/Minyi:{}?secret={secret_base32}&issuer=Minyi&algorithm=SHA1&digits=6&period=30",
        crate::web::encode_query(username)
    )
}

/// Ten recovery codes like `k7m2-x9qp`, each usable once instead of a code.
pub fn new_recovery_codes() -> Vec<String> {
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let mut pick = || char::from(CHARS[rng.random_range(0..CHARS.len())]);
            let first: String = (0..4).map(|_| pick()).collect();
            let second: String = (0..4).map(|_| pick()).collect();
            format!("{first}-{second}")
        })
        .collect()
}

/// What is stored of a recovery code: its SHA-256, of the code as typed without case or spaces.
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    hex::encode(sha2::Sha256::digest(normal.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits there).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let code = hotp(secret, step_of(time) as u64, 8);
            assert_eq!(format!("{code:08}"), expected, "T={time}");
            assert_eq!(code_at(secret, time), expected[2..], "6 digits at T={time}");
        }
    }

    /// RFC 2202 test case 1 and 6 (a key longer than a block).
    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        assert_eq!(
            hex::encode(hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(
            hex::encode(hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32_decode("MZXW6YTBOI======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(
            base32_decode("mzxw 6ytb oi").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(base32_decode("MZ1"), None);
        let secret = new_secret();
        assert_eq!(base32_decode(&secret).map(|b| b.len()), Some(SECRET_BYTES));
    }

    #[test]
    fn a_code_matches_its_step_and_neighbours_once() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_111;
        let code = code_at(secret, now);
        assert_eq!(matching_step(secret, &code, now, 0), Some(step_of(now)));
        assert_eq!(
            matching_step(secret, &code, now + 30, 0),
            Some(step_of(now))
        );
        assert_eq!(matching_step(secret, &code, now + 90, 0), None, "too old");
        assert_eq!(
            matching_step(secret, &code, now, step_of(now)),
            None,
            "already used"
        );
        assert_eq!(matching_step(secret, "12345", now, 0), None);
        assert_eq!(matching_step(secret, "abcdef", now, 0), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_alike_when_retyped() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        assert_eq!(recovery_hash("K7M2-X9QP "), recovery_hash("k7m2-x9qp"));
    }
}
