//! The decision at the close of a motion, with no HTTP or SQL: quorum is checked again on the
//! attendance at that moment (a motion closed without a quorum lapses: 未达法定人数，表决无效,
//! never passes), the tally runs on the motion's roll, and the outcome is put in words that state
//! the members, those present and the quorum needed.

use super::states::MotionResult;
use super::tally::{self, Outcome, Rule, Standing};
use crate::i18n::Locale;

/// What a close decided, and on what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub result: MotionResult,
    pub outcome: Outcome,
    /// Members on the motion's roll.
    pub members: u32,
    /// Members of the roll present at the close.
    pub present: u32,
    pub quorum_needed: u32,
}

/// Decides a motion from its roll's standings at the close, the number of those present and
/// the meeting's quorum fraction.
pub fn decide(rule: &Rule, standings: &[Standing], present: u32, quorum: (u32, u32)) -> Decision {
    let outcome = tally::tally(rule, standings);
    let members = outcome.members;
    let result = if !tally::quorate(members, present, quorum.0, quorum.1) {
        MotionResult::Lapsed
    } else if outcome.passed {
        MotionResult::Passed
    } else {
        MotionResult::Failed
    };
    Decision {
        result,
        outcome,
        members,
        present,
        quorum_needed: tally::quorum_needed(members, quorum.0, quorum.1),
    }
}

impl Decision {
    pub fn passed(&self) -> bool {
        self.result == MotionResult::Passed
    }

    /// The outcome sentence, in the words of `locale` (all from the i18n layer): shown from the
    /// motion's snapshots wherever the outcome is shown (see [`from_snapshot`]).
    pub fn sentence(&self, rule: &Rule, locale: Locale) -> String {
        let n = |v: u32| v.to_string();
        let (m, p, q) = (n(self.members), n(self.present), n(self.quorum_needed));
        let numbers = [
            ("members", m.as_str()),
            ("present", p.as_str()),
            ("quorum", q.as_str()),
        ];
        match self.result {
            MotionResult::Lapsed => locale.t_with("outcome.lapsed", &numbers),
            _ => {
                let explained = tally::explain(rule, &self.outcome, locale);
                let mut args = vec![("sentence", explained.as_str())];
                args.extend(numbers);
                locale.t_with("outcome.with_quorum", &args)
            }
        }
    }
}

/// The decision a closed motion's snapshots record: the standings on its roll at the close (as
/// `snapshot::standing` reads them) give the tally again, and the stored members, present and
/// quorum and result give the rest. The outcome is rendered from this in any language; nothing
/// language-bound is needed from storage.
pub fn from_snapshot(
    rule: &Rule,
    standings: &[Standing],
    result: MotionResult,
    members: u32,
    present: u32,
    quorum_needed: u32,
) -> Decision {
    Decision {
        result,
        outcome: tally::tally(rule, standings),
        members,
        present,
        quorum_needed,
    }
}

/// The sentence of a withdrawn motion.
pub fn withdrawn_sentence(reason: &str, locale: Locale) -> String {
    locale.t_with("outcome.withdrawn", &[("reason", reason)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::council::tally::Choice;

    fn standings(yes: usize, no: usize, silent: usize, absent: usize) -> Vec<Standing> {
        let mut s = vec![Standing::Voted(Choice::Yes); yes];
        s.extend(vec![Standing::Voted(Choice::No); no]);
        s.extend(vec![Standing::PresentSilent; silent]);
        s.extend(vec![Standing::Absent; absent]);
        s
    }

    #[test]
    fn attendance_cut_after_opening_makes_the_vote_lapse_never_pass() {
        // 14 members, quorum 2/3 = 10; at the close only 6 are present, 4 vote yes.
        let d = decide(
            &Rule {
                base: tally::Base::YesNo,
                ..Rule::MAJORITY_OF_ALL
            },
            &standings(4, 0, 2, 8),
            6,
            (2, 3),
        );
        assert_eq!(d.result, MotionResult::Lapsed);
        assert!(!d.passed());
        assert_eq!((d.members, d.present, d.quorum_needed), (14, 6, 10));
        assert_eq!(
            d.sentence(&Rule::MAJORITY_OF_ALL, Locale::ZhCn),
            "未达法定人数，表决无效：成员 14 人，出席 6 人，法定人数 10 人"
        );
        assert!(
            d.sentence(&Rule::MAJORITY_OF_ALL, Locale::En)
                .starts_with("No quorum: the vote is void")
        );
    }

    #[test]
    fn a_quorate_close_counts_and_states_members_present_and_quorum() {
        let d = decide(&Rule::MAJORITY_OF_ALL, &standings(3, 1, 0, 1), 4, (2, 3));
        assert_eq!(d.result, MotionResult::Passed);
        let zh = d.sentence(&Rule::MAJORITY_OF_ALL, Locale::ZhCn);
        assert!(zh.starts_with("通过：赞成 3 票"), "{zh}");
        assert!(
            zh.ends_with("；成员 5 人，出席 4 人，法定人数 4 人"),
            "{zh}"
        );
        let failed = decide(&Rule::MAJORITY_OF_ALL, &standings(2, 2, 0, 1), 4, (2, 3));
        assert_eq!(failed.result, MotionResult::Failed);
    }

    fn abstaining(yes: usize, no: usize, abstain: usize) -> Vec<Standing> {
        let mut s = standings(yes, no, 0, 0);
        s.extend(vec![Standing::Voted(Choice::Abstain); abstain]);
        s
    }

    #[test]
    fn every_sentence_reads_as_what_happened_in_both_languages() {
        // Failed: 21 members all present, at least two thirds of all needs 14; 9 yes.
        let two_thirds = Rule {
            base: tally::Base::AllMembers,
            numerator: 2,
            denominator: 3,
            strict: false,
            min_yes: 1,
        };
        let failed = decide(&two_thirds, &abstaining(9, 12, 0), 21, (2, 3));
        assert_eq!(failed.result, MotionResult::Failed);
        assert_eq!(
            failed.sentence(&two_thirds, Locale::ZhCn),
            "未通过：赞成 9 票，未达到通过所需的票数：须达到应计成员 21 人（全体 21 人，回避 0 人）的三分之二（需 14 票）；反对 12，弃权 0，缺席 0；成员 21 人，出席 21 人，法定人数 14 人"
        );
        assert_eq!(
            failed.sentence(&two_thirds, Locale::En),
            "Not passed: 9 yes, short of the bar of at least two thirds of the 21 counted members (21 in all, 0 recused) (needs 14); 12 no, 0 abstained, 0 absent; 21 members, 21 present, quorum 14"
        );
        // Passed, on votes cast: 3 yes, 1 no, 2 abstain; abstentions are not cast votes, so
        // the base is 4 and 3 of 4 is more than half (counting abstentions, 3 of 6 would fail).
        let cast = Rule {
            base: tally::Base::YesNo,
            ..Rule::MAJORITY_OF_ALL
        };
        let passed = decide(&cast, &abstaining(3, 1, 2), 6, (2, 3));
        assert_eq!(passed.result, MotionResult::Passed);
        assert_eq!((passed.outcome.base, passed.outcome.needed), (4, 3));
        assert_eq!(
            passed.sentence(&cast, Locale::ZhCn),
            "通过：赞成 3 票，超过有效表决票 4 票（赞成与反对之和，弃权不计）的半数（需 3 票）；反对 1，弃权 2，缺席 0；成员 6 人，出席 6 人，法定人数 4 人"
        );
        assert_eq!(
            passed.sentence(&cast, Locale::En),
            "Passed: 3 yes, more than half of the 4 votes cast (yes and no; abstentions not counted) (needs 3); 1 no, 2 abstained, 0 absent; 6 members, 6 present, quorum 4"
        );
        // Lapsed and withdrawn never read as passed or failed.
        let lapsed = decide(&cast, &standings(3, 0, 0, 3), 3, (2, 3));
        assert_eq!(lapsed.result, MotionResult::Lapsed);
        for locale in [Locale::ZhCn, Locale::En] {
            let text = lapsed.sentence(&cast, locale);
            assert!(!text.contains("通过") && !text.contains("assed"), "{text}");
        }
        assert!(withdrawn_sentence("重复", Locale::ZhCn).starts_with("已撤回"));
        assert!(withdrawn_sentence("dup", Locale::En).starts_with("Withdrawn"));
    }

    #[test]
    fn withdrawal_states_its_reason() {
        assert_eq!(
            withdrawn_sentence("议题重复", Locale::ZhCn),
            "已撤回：议题重复"
        );
        assert_eq!(
            withdrawn_sentence("duplicate", Locale::En),
            "Withdrawn: duplicate"
        );
    }
}
