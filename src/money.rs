//! Money is integer fen (分), never floating point: parsed from what people type in yuan and
//! shown as ¥1,234.56.

/// The largest amount accepted anywhere: ¥1,000,000,000.00.
pub const MAX_FEN: i64 = 100_000_000_000;

/// Parses yuan as typed: `1234`, `1,234.5`, `¥1234.56`, `１２３`. At most two decimals;
/// never negative; `None` for anything else.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            other => other,
        })
        .collect();
    let (whole, fraction) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.len() > 2 || whole.len() > 12 {
        return None;
    }
    let yuan: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fen: i64 = format!("{fraction:0<2}").parse().ok()?;
    let total = yuan.checked_mul(100)?.checked_add(fen)?;
    (total <= MAX_FEN).then_some(total)
}

/// `123456` → `¥1,234.56`; negative amounts get a leading minus.
pub fn format_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_as_typed_becomes_fen() {
        assert_eq!(parse_yuan("1234"), Some(123_400));
        assert_eq!(parse_yuan("1,234.5"), Some(123_450));
        assert_eq!(parse_yuan("¥1234.56"), Some(123_456));
        assert_eq!(parse_yuan(" ￥ 12 "), Some(1_200));
        assert_eq!(parse_yuan("１２３．４"), Some(12_340));
        assert_eq!(parse_yuan(".5"), Some(50));
        assert_eq!(parse_yuan("0"), Some(0));
        assert_eq!(parse_yuan("1000000000"), Some(MAX_FEN));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            " ",
            ".",
            "-5",
            "1.234",
            "1e3",
            "abc",
            "12元",
            "1000000000.01",
            "9999999999999",
            "1.2.3",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn fen_are_shown_as_yuan() {
        assert_eq!(format_fen(0), "¥0.00");
        assert_eq!(format_fen(5), "¥0.05");
        assert_eq!(format_fen(123_456), "¥1,234.56");
        assert_eq!(format_fen(100_000_000_000), "¥1,000,000,000.00");
        assert_eq!(format_fen(-2_050), "-¥20.50");
    }
}
