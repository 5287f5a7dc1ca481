//! The tally of a council motion, as one pure function: the rule is data stored with the motion
//! (which base, which fraction, strict or not, a minimum of yes votes), recused members leave
//! the base, and the outcome states the rule, the base and the numbers in words.

use serde::{Deserialize, Serialize};

/// What the fraction is taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Every member of the council, less those who recused themselves.
    AllMembers,
    /// Members present at the meeting, less those who recused themselves.
    Present,
    /// 表决票: every vote cast, abstentions included (yes + no + abstain); members present who
    /// did not vote are not counted. An abstention weighs like a no. With 3 yes, 1 no, 2 abstain
    /// and more than half: base 6, 4 needed, not passed.
    YesNoAbstain,
    /// 有效表决票: the yes and no votes only; an abstaining member neither helps nor hinders.
    /// Stored and downloaded as `votes_cast`, the value every motion closed with before the
    /// fourth base existed, so its meaning never changes (docs/council-record.md). With 3 yes,
    /// 1 no, 2 abstain and more than half: base 4, 3 needed, passed.
    YesNo,
}

impl Base {
    pub fn as_str(self) -> &'static str {
        match self {
            Base::AllMembers => "all_members",
            Base::Present => "present",
            Base::YesNoAbstain => "yes_no_abstain",
            Base::YesNo => "votes_cast",
        }
    }
    pub fn parse(text: &str) -> Option<Base> {
        Base::ALL.into_iter().find(|b| b.as_str() == text)
    }
}

/// A motion's decision rule, stored with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub base: Base,
    /// The fraction as numerator / denominator: 1/2, 2/3, 3/4.
    pub numerator: u32,
    pub denominator: u32,
    /// true: more than the fraction (过半数); false: at least the fraction (三分之二以上).
    pub strict: bool,
    /// Never fewer yes votes than this, however small the base.
    pub min_yes: u32,
}

impl Rule {
    /// The default: more than half of all members (recused members leave the base).
    pub const MAJORITY_OF_ALL: Rule = Rule {
        base: Base::AllMembers,
        numerator: 1,
        denominator: 2,
        strict: true,
        min_yes: 1,
    };

    /// Yes votes needed with this base.
    pub fn needed(&self, base: u32) -> u32 {
        let num = u64::from(base) * u64::from(self.numerator);
        let den = u64::from(self.denominator.max(1));
        let needed = if self.strict {
            num / den + 1
        } else {
            num.div_ceil(den)
        };
        u32::try_from(needed).unwrap_or(u32::MAX).max(self.min_yes)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

/// Where each member of the council stands on one motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Voted(Choice),
    /// Present, not recused, but no vote recorded.
    PresentSilent,
    Absent,
    Recused,
}

/// The counted result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub passed: bool,
    pub members: u32,
    pub recused: u32,
    pub base: u32,
    pub needed: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub absent: u32,
    pub silent: u32,
}

/// Counts a motion. The order of `standings` never matters: only how many of each.
pub fn tally(rule: &Rule, standings: &[Standing]) -> Outcome {
    let count = |f: &dyn Fn(&Standing) -> bool| {
        u32::try_from(standings.iter().filter(|s| f(s)).count()).unwrap_or(u32::MAX)
    };
    let yes = count(&|s| *s == Standing::Voted(Choice::Yes));
    let no = count(&|s| *s == Standing::Voted(Choice::No));
    let abstain = count(&|s| *s == Standing::Voted(Choice::Abstain));
    let silent = count(&|s| *s == Standing::PresentSilent);
    let absent = count(&|s| *s == Standing::Absent);
    let recused = count(&|s| *s == Standing::Recused);
    let members = u32::try_from(standings.len()).unwrap_or(u32::MAX);
    let base = match rule.base {
        Base::AllMembers => members - recused,
        Base::Present => yes + no + abstain + silent,
        Base::YesNoAbstain => yes + no + abstain,
        Base::YesNo => yes + no,
    };
    let needed = rule.needed(base);
    Outcome {
        passed: yes >= needed,
        members,
        recused,
        base,
        needed,
        yes,
        no,
        abstain,
        absent,
        silent,
    }
}

/// Whether a meeting may put motions: at least `numerator/denominator` of members present.
pub fn quorate(members: u32, present: u32, numerator: u32, denominator: u32) -> bool {
    members > 0
        && u64::from(present) * u64::from(denominator.max(1))
            >= u64::from(members) * u64::from(numerator)
}

/// The fewest members present for a quorum.
pub fn quorum_needed(members: u32, numerator: u32, denominator: u32) -> u32 {
    u32::try_from(
        (u64::from(members) * u64::from(numerator)).div_ceil(u64::from(denominator.max(1))),
    )
    .unwrap_or(u32::MAX)
}

/// The fraction in words, e.g. "半数" / "half", "三分之二" / "two thirds".
fn fraction_words(rule: &Rule, locale: crate::i18n::Locale) -> String {
    let key = match (rule.numerator, rule.denominator) {
        (1, 2) => "outcome.fraction.half",
        (2, 3) => "outcome.fraction.two_thirds",
        (3, 4) => "outcome.fraction.three_quarters",
        _ => "outcome.fraction.other",
    };
    let (n, d) = (rule.numerator.to_string(), rule.denominator.to_string());
    locale.t_with(key, &[("n", &n), ("d", &d)])
}

/// The outcome in words and numbers, for the minutes and the public record, e.g.
/// "通过：赞成 12 票，超过应计成员 20 人（全体 21 人，回避 1 人）的半数（需 11 票）；反对 5，弃权 2，缺席 1".
/// Every word comes from the i18n layer (`outcome.*`), so a page in any language renders the
/// same numbers in its own words.
pub fn explain(rule: &Rule, o: &Outcome, locale: crate::i18n::Locale) -> String {
    let n = |v: u32| v.to_string();
    let fraction = fraction_words(rule, locale);
    let verdict = locale.t(if o.passed {
        "outcome.verdict.passed"
    } else {
        "outcome.verdict.failed"
    });
    let base_key = match rule.base {
        Base::AllMembers => "outcome.base.all_members",
        Base::Present => "outcome.base.present",
        Base::YesNoAbstain => "outcome.base.yes_no_abstain",
        Base::YesNo => "outcome.base.votes_cast",
    };
    let base_words = locale.t_with(
        base_key,
        &[
            ("base", &n(o.base)),
            ("members", &n(o.members)),
            ("recused", &n(o.recused)),
        ],
    );
    let rel = locale.t(if rule.strict {
        "outcome.relation.more_than"
    } else {
        "outcome.relation.at_least"
    });
    let silent = match o.silent {
        0 => String::new(),
        s => locale.t_with("outcome.silent", &[("n", &n(s))]),
    };
    // A failed motion says it fell short of the bar; it never reads as if the bar was met.
    let bar = locale.t_with(
        if o.passed {
            "outcome.bar.met"
        } else {
            "outcome.bar.short"
        },
        &[
            ("rel", &rel),
            ("base_words", &base_words),
            ("fraction", &fraction),
            ("needed", &n(o.needed)),
        ],
    );
    locale.t_with(
        "outcome.sentence",
        &[
            ("verdict", &verdict),
            ("yes", &n(o.yes)),
            ("bar", &bar),
            ("no", &n(o.no)),
            ("abstain", &n(o.abstain)),
            ("absent", &n(o.absent)),
            ("silent", &silent),
        ],
    )
}

#[cfg(test)]
mod tests;
