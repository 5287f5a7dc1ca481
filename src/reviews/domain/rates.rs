//! Satisfaction rates and the re-consultation threshold, in integers: counts per rating, the
//! valid base (不了解 excluded), the favourable count by the village's formula, the rate shown
//! to one decimal (rounded half up) and the exact comparison with the threshold.

use super::states::{Formula, Rating};

/// Items whose rate is below this fraction are flagged for re-consultation (张家港 "三约三会":
/// 满意率不达1/3). (numerator, denominator).
pub const THRESHOLD: (i64, i64) = (1, 3);

/// How often each rating was given for one item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    pub unknown: i64,
}

impl Counts {
    pub fn add(&mut self, rating: Rating) {
        match rating {
            Rating::Satisfied => self.satisfied += 1,
            Rating::Basic => self.basic += 1,
            Rating::Dissatisfied => self.dissatisfied += 1,
            Rating::Unknown => self.unknown += 1,
        }
    }

    pub fn of(self, rating: Rating) -> i64 {
        match rating {
            Rating::Satisfied => self.satisfied,
            Rating::Basic => self.basic,
            Rating::Dissatisfied => self.dissatisfied,
            Rating::Unknown => self.unknown,
        }
    }

    /// Every answer, abstentions included.
    pub fn total(self) -> i64 {
        self.satisfied + self.basic + self.dissatisfied + self.unknown
    }

    /// The base of the rate: 满意 + 基本满意 + 不满意 (不了解 is an abstention).
    pub fn valid(self) -> i64 {
        self.satisfied + self.basic + self.dissatisfied
    }

    /// The numerator of the rate under `formula`.
    pub fn favourable(self, formula: Formula) -> i64 {
        match formula {
            Formula::SatisfiedOrBasic => self.satisfied + self.basic,
            Formula::SatisfiedOnly => self.satisfied,
        }
    }

    pub fn rate(self, formula: Formula) -> Rate {
        Rate {
            favourable: self.favourable(formula),
            valid: self.valid(),
        }
    }
}

/// A rate as the fraction it is: favourable / valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    pub favourable: i64,
    pub valid: i64,
}

impl Rate {
    /// The rate in tenths of a percent, rounded half up; None without valid responses.
    pub fn permille(self) -> Option<i64> {
        (self.valid > 0).then(|| (self.favourable * 2000 + self.valid) / (2 * self.valid))
    }

    /// "66.7%", or "—" without valid responses.
    pub fn percent_text(self) -> String {
        match self.permille() {
            Some(p) => format!("{}.{}%", p / 10, p % 10),
            None => "—".to_string(),
        }
    }

    /// Whether the rate is below the threshold, compared exactly (favourable × 3 < valid). An
    /// item without valid responses has no rate and is not flagged.
    pub fn below_threshold(self) -> bool {
        let (num, den) = THRESHOLD;
        self.valid > 0 && self.favourable * den < self.valid * num
    }
}

/// Participation in tenths of a percent (responses / roll), rounded half up.
pub fn participation_text(responses: i64, roll: i64) -> String {
    Rate {
        favourable: responses,
        valid: roll,
    }
    .percent_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(s: i64, b: i64, d: i64, u: i64) -> Counts {
        Counts {
            satisfied: s,
            basic: b,
            dissatisfied: d,
            unknown: u,
        }
    }

    #[test]
    fn the_default_formula_counts_satisfied_and_basic_over_valid() {
        let c = counts(3, 2, 5, 7);
        assert_eq!(c.valid(), 10, "不了解 is left out");
        assert_eq!(c.total(), 17);
        assert_eq!(c.rate(Formula::SatisfiedOrBasic).percent_text(), "50.0%");
    }

    #[test]
    fn the_alternative_formula_counts_only_satisfied() {
        let c = counts(3, 2, 5, 7);
        assert_eq!(c.rate(Formula::SatisfiedOnly).percent_text(), "30.0%");
        assert!(c.rate(Formula::SatisfiedOnly).below_threshold());
        assert!(!c.rate(Formula::SatisfiedOrBasic).below_threshold());
    }

    #[test]
    fn no_valid_responses_is_no_rate_and_no_flag() {
        let c = counts(0, 0, 0, 4);
        let rate = c.rate(Formula::SatisfiedOrBasic);
        assert_eq!(rate.permille(), None);
        assert_eq!(rate.percent_text(), "—");
        assert!(!rate.below_threshold());
        assert_eq!(
            Counts::default()
                .rate(Formula::SatisfiedOnly)
                .percent_text(),
            "—"
        );
    }

    #[test]
    fn rates_are_shown_to_one_decimal_rounded_half_up() {
        let r = |f, v| {
            Rate {
                favourable: f,
                valid: v,
            }
            .percent_text()
        };
        assert_eq!(r(2, 3), "66.7%");
        assert_eq!(r(1, 3), "33.3%");
        assert_eq!(r(1, 6), "16.7%");
        assert_eq!(r(1, 8), "12.5%", "exactly 12.5");
        assert_eq!(r(1, 16), "6.3%", "6.25 rounds up");
        assert_eq!(r(0, 5), "0.0%");
        assert_eq!(r(5, 5), "100.0%");
        assert_eq!(r(1, 2000), "0.1%", "0.05 rounds up");
        assert_eq!(r(1, 2001), "0.0%");
    }

    #[test]
    fn the_threshold_is_exactly_one_third() {
        let below = |f, v| {
            Rate {
                favourable: f,
                valid: v,
            }
            .below_threshold()
        };
        assert!(!below(1, 3), "exactly 1/3 is not below");
        assert!(!below(2, 6));
        assert!(!below(333_333, 999_999));
        assert!(below(333_332, 999_999), "just under 1/3");
        assert!(below(0, 1));
        assert!(below(1, 4));
        assert!(!below(34, 100));
        assert!(
            below(33, 100),
            "33% is below 1/3 although it shows as 33.0%"
        );
        assert_eq!(THRESHOLD, (1, 3));
    }

    #[test]
    fn participation_is_responses_over_the_roll() {
        assert_eq!(participation_text(2, 3), "66.7%");
        assert_eq!(participation_text(0, 0), "—");
    }
}
