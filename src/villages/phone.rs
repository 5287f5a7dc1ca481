//! The village's supervision phone (监督电话): the number printed on every A4 notice so a reader
//! knows whom to call about it. The rule for what may be stored is here; the clerks set it on the
//! notice settings page (`notices::periods`).

/// The longest number kept, with its separators.
pub const PHONE_MAX: usize = 20;

/// A phone number as typed, trimmed: digits with the usual separators (space, `-`, `(`, `)`, a
/// leading `+`), at least five digits; an empty text clears the setting. `None` is refused.
pub fn valid_phone(typed: &str) -> Option<String> {
    let phone = typed.trim();
    if phone.is_empty() {
        return Some(String::new());
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.char_indices().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    });
    (allowed && digits >= 5 && phone.chars().count() <= PHONE_MAX).then(|| phone.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landlines_mobiles_and_hotlines_pass_and_anything_else_is_refused() {
        for ok in [
            "0571-8888 1234",
            "13800138000",
            "+86 138 0013 8000",
            "(0571) 12345",
            "12345",
        ] {
            assert_eq!(valid_phone(ok).as_deref(), Some(ok), "{ok}");
        }
        assert_eq!(valid_phone("  12345 ").as_deref(), Some("12345"));
        assert_eq!(valid_phone("   ").as_deref(), Some(""), "empty clears it");
        for bad in [
            "1234",
            "call 12345",
            "12345+6",
            "=HYPERLINK(1)",
            "123456789012345678901",
            "１２３４５",
        ] {
            assert_eq!(valid_phone(bad), None, "{bad}");
        }
    }
}
