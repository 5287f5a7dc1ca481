//! Money is integer fen (分), never floating point: parsed from what people type in yuan and
//! shown as ¥1,234.56 (and in 金额大写 on vouchers and statements, see [`capital`]). [`Money`] is
//! the one type every part uses for amounts: checked arithmetic only, so an overflow is an
//! answer (`None`), never a wrapped number.

mod capital;

pub use capital::capital;

/// An amount of money in fen. Plans, budget lines, ledger entries and balances all use it; the
/// database column is a BIGINT of fen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// An amount read from the database or computed from fen.
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// What a person typed in yuan (see [`parse_yuan`]): at most two decimals, never negative,
    /// never above [`MAX_FEN`].
    pub fn parse(text: &str) -> Option<Money> {
        parse_yuan(text).map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn checked_neg(self) -> Option<Money> {
        self.0.checked_neg().map(Money)
    }

    /// A unit price times a quantity given in hundredths (12.5 m² is 1250), rounded half away
    /// from zero to the fen.
    pub fn times_hundredths(self, hundredths: i64) -> Option<Money> {
        let product = i128::from(self.0) * i128::from(hundredths);
        let rounded = if product >= 0 {
            (product + 50) / 100
        } else {
            (product - 50) / 100
        };
        i64::try_from(rounded).ok().map(Money)
    }

    /// The sum of `amounts`, or `None` on overflow.
    pub fn sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |total, m| total.checked_add(m))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The amount in financial numerals: 壹仟贰佰叁拾肆元伍角陆分.
    pub fn capital(self) -> String {
        capital(self.0)
    }

    /// The amount as a form shows it for editing: `1234.56`, no symbol or grouping.
    pub fn yuan_input(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_fen(self.0))
    }
}

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
    fn money_arithmetic_is_checked() {
        let a = Money::from_fen(i64::MAX);
        assert_eq!(a.checked_add(Money::from_fen(1)), None);
        assert_eq!(Money::from_fen(i64::MIN).checked_neg(), None);
        assert_eq!(
            Money::ZERO.checked_sub(Money::from_fen(1)),
            Some(Money::from_fen(-1))
        );
        assert_eq!(
            Money::sum([Money::from_fen(1), Money::from_fen(2)]),
            Some(Money::from_fen(3))
        );
        assert_eq!(Money::sum([a, Money::from_fen(1)]), None);
        assert_eq!(Money::parse("12.34"), Some(Money::from_fen(1234)));
        assert_eq!(Money::parse("-1"), None);
    }

    #[test]
    fn quantities_in_hundredths_round_half_away_from_zero() {
        let price = Money::from_fen(333);
        assert_eq!(price.times_hundredths(100), Some(Money::from_fen(333)));
        assert_eq!(price.times_hundredths(150), Some(Money::from_fen(500))); // 499.5 → 500
        assert_eq!(price.times_hundredths(1), Some(Money::from_fen(3)));
        assert_eq!(
            Money::from_fen(-333).times_hundredths(150),
            Some(Money::from_fen(-500))
        );
        assert_eq!(Money::from_fen(i64::MAX).times_hundredths(1000), None);
    }

    #[test]
    fn money_is_shown_for_reading_and_for_editing() {
        let m = Money::from_fen(123_456);
        assert_eq!(m.to_string(), "¥1,234.56");
        assert_eq!(m.yuan_input(), "1234.56");
        assert_eq!(m.capital(), "壹仟贰佰叁拾肆元伍角陆分");
        assert_eq!(Money::from_fen(-5).yuan_input(), "-0.05");
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
