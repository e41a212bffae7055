//! One-time codes people type by hand (invitations, device codes): random bits as base32
//! without look-alike characters, in groups of four. Only their SHA-256 is stored.

use rand::RngCore;

const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A new code of `groups` groups of four characters (20 random bits per group).
pub fn new_code(groups: usize) -> String {
    let mut bytes = vec![0u8; (groups * 20).div_ceil(8)];
    rand::rng().fill_bytes(&mut bytes);
    let mut chars = Vec::with_capacity(groups * 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in &bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 && chars.len() < groups * 4 {
            bits -= 5;
            chars.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Codes are matched without case, spaces or dashes.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What is stored for a code.
pub fn code_hash(code: &str) -> Vec<u8> {
    super::tokens::secret_hash(&normalise(code))
}

/// What withdrawing a one-time code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    Done,
    /// Already accepted or redeemed: someone is in, which a 404 would hide.
    AlreadyUsed,
    NotFound,
}

impl Withdrawn {
    /// 204-worthy, or 409 saying the code was used (`used` says how), or 404.
    pub fn into_result(self, used: &'static str) -> crate::error::ApiResult<()> {
        use crate::error::{ApiError, ErrorCode};
        match self {
            Withdrawn::Done => Ok(()),
            Withdrawn::AlreadyUsed => Err(ApiError::new(ErrorCode::Conflict).with_detail(used)),
            Withdrawn::NotFound => Err(ApiError::not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_base32_and_normalise() {
        let code = new_code(4);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert!(
            code.chars()
                .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
        );
        assert_eq!(
            normalise(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_eq!(code_hash(&code), code_hash(&code.to_lowercase()));
        assert_ne!(new_code(4), code);
        assert_eq!(new_code(2).len(), 9);
    }
}
