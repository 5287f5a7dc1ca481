//! Table-driven tests of the tally over every base, fraction and strictness, with recusals,
//! absences, abstentions, ties and lost quorum; and a property test that order never matters.

use super::*;
use crate::i18n::Locale;
use Choice::*;
use Standing::*;

fn council(
    yes: usize,
    no: usize,
    abstain: usize,
    silent: usize,
    absent: usize,
    recused: usize,
) -> Vec<Standing> {
    let mut s = Vec::new();
    s.extend(std::iter::repeat_n(Voted(Yes), yes));
    s.extend(std::iter::repeat_n(Voted(No), no));
    s.extend(std::iter::repeat_n(Voted(Abstain), abstain));
    s.extend(std::iter::repeat_n(PresentSilent, silent));
    s.extend(std::iter::repeat_n(Absent, absent));
    s.extend(std::iter::repeat_n(Recused, recused));
    s
}

fn rule(base: Base, numerator: u32, denominator: u32, strict: bool) -> Rule {
    Rule {
        base,
        numerator,
        denominator,
        strict,
        min_yes: 1,
    }
}

#[test]
fn needed_votes_for_every_fraction_and_strictness() {
    // (base, numerator, denominator, strict, expected needed)
    let table = [
        (20, 1, 2, true, 11),
        (20, 1, 2, false, 10),
        (21, 1, 2, true, 11),
        (21, 1, 2, false, 11),
        (21, 2, 3, true, 15),
        (21, 2, 3, false, 14),
        (20, 2, 3, true, 14),
        (20, 2, 3, false, 14),
        (20, 3, 4, true, 16),
        (20, 3, 4, false, 15),
        (7, 3, 4, false, 6),
        (7, 3, 4, true, 6),
        (0, 1, 2, true, 1),
        (0, 2, 3, false, 1),
    ];
    for (base, n, d, strict, expected) in table {
        let r = rule(Base::AllMembers, n, d, strict);
        assert_eq!(
            r.needed(base),
            expected,
            "{n}/{d} strict={strict} of {base}"
        );
    }
    let floor = Rule {
        min_yes: 5,
        ..Rule::MAJORITY_OF_ALL
    };
    assert_eq!(floor.needed(4), 5, "the minimum of yes votes applies");
}

#[test]
fn the_example_from_the_issue() {
    // 21 members, 1 recused, 12 yes, 5 no, 2 abstain, 1 absent: more than half of 20 needs 11.
    let o = tally(&Rule::MAJORITY_OF_ALL, &council(12, 5, 2, 0, 1, 1));
    assert_eq!((o.passed, o.base, o.needed, o.members), (true, 20, 11, 21));
    assert_eq!(
        explain(&Rule::MAJORITY_OF_ALL, &o, Locale::ZhCn),
        "通过：赞成 12 票，超过应计成员 20 人（全体 21 人，回避 1 人）的半数（需 11 票）；反对 5，弃权 2，缺席 1"
    );
    assert_eq!(
        explain(&Rule::MAJORITY_OF_ALL, &o, Locale::En),
        "Passed: 12 yes, more than half of the 20 counted members (21 in all, 1 recused) (needs 11); 5 no, 2 abstained, 1 absent"
    );
}

#[test]
fn every_base_counts_what_it_says() {
    // 15 members: 6 yes, 3 no, 2 abstain, 1 present silent, 2 absent, 1 recused.
    let s = council(6, 3, 2, 1, 2, 1);
    let all = tally(&rule(Base::AllMembers, 1, 2, true), &s);
    assert_eq!(
        (all.base, all.needed, all.passed),
        (14, 8, false),
        "majority of all 14 needs 8"
    );
    let present = tally(&rule(Base::Present, 1, 2, true), &s);
    assert_eq!(
        (present.base, present.needed, present.passed),
        (12, 7, false),
        "12 present and not recused"
    );
    let with_abstentions = tally(&rule(Base::YesNoAbstain, 1, 2, true), &s);
    assert_eq!(
        (
            with_abstentions.base,
            with_abstentions.needed,
            with_abstentions.passed
        ),
        (11, 6, true),
        "yes, no and abstain; the silent member is not a vote cast"
    );
    let cast = tally(&rule(Base::YesNo, 1, 2, true), &s);
    assert_eq!(
        (cast.base, cast.needed, cast.passed),
        (9, 5, true),
        "yes and no only"
    );
    assert_eq!((all.absent, all.silent, all.recused), (2, 1, 1));
}

#[test]
fn abstentions_decide_between_the_two_vote_bases() {
    // 3 yes, 1 no, 2 abstain, more than half: counting abstentions the base is 6 and 4 are
    // needed (fails); yes + no only, the base is 4 and 3 are needed (passes).
    let s = council(3, 1, 2, 0, 0, 0);
    let counted = tally(&rule(Base::YesNoAbstain, 1, 2, true), &s);
    assert_eq!(
        (counted.base, counted.needed, counted.passed),
        (6, 4, false)
    );
    let not_counted = tally(&rule(Base::YesNo, 1, 2, true), &s);
    assert_eq!(
        (not_counted.base, not_counted.needed, not_counted.passed),
        (4, 3, true)
    );
    // Present counts the silent member too; all members counts the absent one.
    let s = council(3, 1, 2, 1, 1, 0);
    assert_eq!(tally(&rule(Base::YesNoAbstain, 1, 2, true), &s).base, 6);
    assert_eq!(tally(&rule(Base::Present, 1, 2, true), &s).base, 7);
    assert_eq!(tally(&rule(Base::AllMembers, 1, 2, true), &s).base, 8);
    // Every base is stated in its own words, in both languages.
    for locale in [Locale::ZhCn, Locale::En] {
        let sentences: std::collections::HashSet<String> = Base::ALL
            .into_iter()
            .map(|b| {
                let r = rule(b, 1, 2, true);
                explain(&r, &tally(&r, &s), locale)
            })
            .collect();
        assert_eq!(sentences.len(), 4, "{locale:?}: {sentences:?}");
    }
}

#[test]
fn ties_fail_a_strict_majority_and_pass_an_at_least_half() {
    let s = council(5, 5, 0, 0, 0, 0);
    assert!(!tally(&rule(Base::YesNo, 1, 2, true), &s).passed);
    assert!(tally(&rule(Base::YesNo, 1, 2, false), &s).passed);
}

#[test]
fn a_recusal_can_decide_the_outcome() {
    // 9 members, 5 yes: more than half of 9 needs 5 (passes); without the recused member the
    // base is 8 and 5 is still more than half; with 4 yes and one recused: needs 5 of 8 → fails.
    assert!(tally(&Rule::MAJORITY_OF_ALL, &council(5, 3, 0, 0, 1, 0)).passed);
    assert!(tally(&Rule::MAJORITY_OF_ALL, &council(5, 3, 0, 0, 0, 1)).passed);
    assert!(!tally(&Rule::MAJORITY_OF_ALL, &council(4, 3, 0, 0, 1, 1)).passed);
    // Two-thirds of all: 9 members, 1 recused → base 8 needs 6 (at least), 6 yes passes.
    assert!(
        tally(
            &rule(Base::AllMembers, 2, 3, false),
            &council(6, 2, 0, 0, 0, 1)
        )
        .passed
    );
    assert!(
        !tally(
            &rule(Base::AllMembers, 2, 3, false),
            &council(5, 2, 1, 0, 0, 1)
        )
        .passed
    );
}

#[test]
fn absences_and_abstentions_count_against_a_majority_of_all() {
    // 11 members, 5 yes, 0 no, 6 absent: not more than half of 11.
    assert!(!tally(&Rule::MAJORITY_OF_ALL, &council(5, 0, 0, 0, 6, 0)).passed);
    // The same votes pass when the base is the votes cast.
    assert!(tally(&rule(Base::YesNo, 1, 2, true), &council(5, 0, 0, 0, 6, 0)).passed);
    assert!(!tally(&Rule::MAJORITY_OF_ALL, &council(5, 0, 6, 0, 0, 0)).passed);
}

#[test]
fn nobody_voting_never_passes() {
    for base in Base::ALL {
        for strict in [true, false] {
            assert!(
                !tally(&rule(base, 1, 2, strict), &council(0, 0, 3, 0, 2, 0)).passed,
                "{base:?} {strict}"
            );
        }
    }
}

#[test]
fn quorum_is_at_least_two_thirds_present() {
    assert!(quorate(21, 14, 2, 3));
    assert!(!quorate(21, 13, 2, 3));
    assert!(quorate(9, 6, 2, 3));
    assert!(!quorate(9, 5, 2, 3));
    assert!(!quorate(0, 0, 2, 3), "an empty council is never quorate");
    assert_eq!(quorum_needed(21, 2, 3), 14);
    assert_eq!(quorum_needed(10, 2, 3), 7);
    assert_eq!(quorum_needed(10, 1, 2), 5);
}

#[test]
fn a_council_that_loses_quorum_cannot_put_motions() {
    // 12 members, 8 present → quorate; two leave → 6 present, not quorate.
    assert!(quorate(12, 8, 2, 3));
    assert!(!quorate(12, 6, 2, 3));
}

#[test]
fn the_outcome_never_depends_on_vote_order() {
    use rand::seq::SliceRandom;
    let mut rng = rand::rng();
    let rules = [
        Rule::MAJORITY_OF_ALL,
        rule(Base::Present, 2, 3, false),
        rule(Base::YesNo, 3, 4, true),
        rule(Base::YesNoAbstain, 2, 3, false),
        Rule {
            min_yes: 3,
            ..rule(Base::YesNo, 1, 2, false)
        },
    ];
    for _ in 0..300 {
        let mut s = council(
            rand::Rng::random_range(&mut rng, 0..8),
            rand::Rng::random_range(&mut rng, 0..8),
            rand::Rng::random_range(&mut rng, 0..4),
            rand::Rng::random_range(&mut rng, 0..3),
            rand::Rng::random_range(&mut rng, 0..4),
            rand::Rng::random_range(&mut rng, 0..3),
        );
        for r in &rules {
            let before = tally(r, &s);
            s.shuffle(&mut rng);
            assert_eq!(tally(r, &s), before, "{r:?} {s:?}");
        }
    }
}

#[test]
fn bases_round_trip() {
    for b in Base::ALL {
        assert_eq!(Base::parse(b.as_str()), Some(b));
    }
    assert_eq!(Base::parse("everyone"), None);
}
