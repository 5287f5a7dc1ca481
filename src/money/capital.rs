//! Amounts in Chinese financial numerals (金额大写), as written on vouchers and fund statements
//! so that a figure cannot be altered by adding a stroke: ¥1,234.56 → 壹仟贰佰叁拾肆元伍角陆分.
//! Follows the usual rules for 结算凭证: "整" after 元 when there are no 角 or 分, one 零 for a
//! run of zero digits inside the number, 零 before 分 when 角 is zero.

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];

/// Whole yuan (non-negative) in financial numerals, without the 元.
fn yuan_words(mut yuan: u64) -> String {
    let mut groups = Vec::new();
    while yuan > 0 {
        groups.push((yuan % 10_000) as usize);
        yuan /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (index, group) in groups.iter().enumerate().rev() {
        let group = *group;
        if group == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (zero_pending || group < 1000) {
            out.push('零');
        }
        zero_pending = false;
        let mut inner_zero = false;
        for place in (0..4).rev() {
            let digit = group / 10usize.pow(place as u32) % 10;
            if digit == 0 {
                inner_zero = true;
                continue;
            }
            let started = group >= 10usize.pow(place as u32 + 1);
            if inner_zero && started {
                out.push('零');
            }
            inner_zero = false;
            out.push(DIGITS[digit]);
            out.push_str(PLACES[place]);
        }
        out.push_str(GROUPS[index.min(3)]);
    }
    out
}

/// `fen` in financial numerals; negative amounts start with 负.
pub fn capital(fen: i64) -> String {
    let sign = if fen < 0 { "负" } else { "" };
    let abs = fen.unsigned_abs();
    let (yuan, jiao, cents) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
    if abs == 0 {
        return "零元整".to_string();
    }
    let mut out = String::from(sign);
    if yuan > 0 {
        out.push_str(&yuan_words(yuan));
        out.push('元');
    }
    match (jiao, cents) {
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push('角');
        }
        (0, c) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[c]);
            out.push('分');
        }
        (j, c) => {
            out.push(DIGITS[j]);
            out.push('角');
            out.push(DIGITS[c]);
            out.push('分');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::capital;

    #[test]
    fn examples_from_the_rules_for_vouchers() {
        let cases = [
            (0, "零元整"),
            (5, "伍分"),
            (50, "伍角"),
            (100, "壹元整"),
            (123_456, "壹仟贰佰叁拾肆元伍角陆分"),
            (100_005, "壹仟元零伍分"),
            (100_500, "壹仟零伍元整"),
            (101_000, "壹仟零壹拾元整"),
            (1_000, "壹拾元整"),
            (1_500, "壹拾伍元整"),
            (1_000_000, "壹万元整"),
            (10_001_000, "壹拾万零壹拾元整"),
            (100_000_050, "壹佰万元伍角"),
            (10_000_000_000, "壹亿元整"),
            (10_001_000_000, "壹亿零壹万元整"),
            (10_100_000_000, "壹亿零壹佰万元整"),
            (12_345_678_901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
            (100_000_000_000, "壹拾亿元整"),
            (20_030_000, "贰拾万零叁佰元整"),
            (-2_050, "负贰拾元伍角"),
        ];
        for (fen, words) in cases {
            assert_eq!(capital(fen), words, "{fen}");
        }
    }
}
