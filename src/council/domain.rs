//! Council rules besides the tally, with no HTTP or SQL: motion kinds, who may vote on a motion,
//! and the minutes as text with their hash. (Each member's standing for the tally is read from
//! the motion's roll: `snapshot::standing`.)

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::tally::{Choice, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MotionKind {
    ApproveCandidate,
    ApprovePlan,
    AddTemporary,
    Reconsider,
    General,
}

impl MotionKind {
    pub const ALL: [MotionKind; 5] = [
        MotionKind::ApproveCandidate,
        MotionKind::ApprovePlan,
        MotionKind::AddTemporary,
        MotionKind::Reconsider,
        MotionKind::General,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MotionKind::ApproveCandidate => "approve_candidate",
            MotionKind::ApprovePlan => "approve_plan",
            MotionKind::AddTemporary => "add_temporary",
            MotionKind::Reconsider => "reconsider",
            MotionKind::General => "general",
        }
    }
    pub fn parse(text: &str) -> Option<MotionKind> {
        MotionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            MotionKind::ApproveCandidate => "motion.kind.approve_candidate",
            MotionKind::ApprovePlan => "motion.kind.approve_plan",
            MotionKind::AddTemporary => "motion.kind.add_temporary",
            MotionKind::Reconsider => "motion.kind.reconsider",
            MotionKind::General => "motion.kind.general",
        }
    }
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }
    pub fn parse(text: &str) -> Option<Choice> {
        [Choice::Yes, Choice::No, Choice::Abstain]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Choice::Yes => "vote.yes",
            Choice::No => "vote.no",
            Choice::Abstain => "vote.abstain",
        }
    }
}

impl super::tally::Base {
    /// Every base, in the order the motion form offers them.
    pub const ALL: [super::tally::Base; 4] = [
        super::tally::Base::AllMembers,
        super::tally::Base::Present,
        super::tally::Base::YesNoAbstain,
        super::tally::Base::YesNo,
    ];
    pub fn label_key(self) -> &'static str {
        match self {
            super::tally::Base::AllMembers => "motion.base.all_members",
            super::tally::Base::Present => "motion.base.present",
            super::tally::Base::YesNoAbstain => "motion.base.yes_no_abstain",
            super::tally::Base::YesNo => "motion.base.votes_cast",
        }
    }
}

/// Why a member may not vote on a motion now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteRefusal {
    NotMember,
    MotionNotOpen,
    NotPresent,
    Recused,
    AlreadyVoted,
    /// The clerk recorded this member's hand before the member voted: that vote stands.
    RecordedByClerk,
}

impl VoteRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            VoteRefusal::NotMember => "vote.error.not_member",
            VoteRefusal::MotionNotOpen => "vote.error.not_open",
            VoteRefusal::NotPresent => "vote.error.not_present",
            VoteRefusal::Recused => "vote.error.recused",
            VoteRefusal::AlreadyVoted => "vote.error.already",
            VoteRefusal::RecordedByClerk => "vote.error.recorded_by_clerk",
        }
    }
}

/// What is known about one member and one motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eligibility {
    pub member: bool,
    pub motion_open: bool,
    pub present: bool,
    pub recused: bool,
    pub voted: bool,
    /// The vote there is was recorded by the clerk from a show of hands.
    pub recorded_by_clerk: bool,
}

pub fn may_vote(e: Eligibility) -> Result<(), VoteRefusal> {
    match e {
        Eligibility { member: false, .. } => Err(VoteRefusal::NotMember),
        Eligibility {
            motion_open: false, ..
        } => Err(VoteRefusal::MotionNotOpen),
        Eligibility { present: false, .. } => Err(VoteRefusal::NotPresent),
        Eligibility { recused: true, .. } => Err(VoteRefusal::Recused),
        // Whichever vote came first stands; the member is told when it was the clerk's.
        Eligibility {
            voted: true,
            recorded_by_clerk: true,
            ..
        } => Err(VoteRefusal::RecordedByClerk),
        Eligibility { voted: true, .. } => Err(VoteRefusal::AlreadyVoted),
        _ => Ok(()),
    }
}

/// A rule in words, in `locale`: "全体成员（回避者除外）超过 1/2，且至少 1 票赞成",
/// "yes and no votes (abstentions not counted): more than 1/2, and at least 1 yes". The base's
/// words are its label on the motion form, so the form, the minutes and the public page agree.
pub fn rule_words(rule: &Rule, locale: crate::i18n::Locale) -> String {
    let relation = if rule.strict {
        "motion.rule.more_than"
    } else {
        "motion.rule.at_least"
    };
    locale.t_with(
        "motion.rule.words",
        &[
            ("base", &locale.t(rule.base.label_key())),
            ("relation", &locale.t(relation)),
            (
                "fraction",
                &format!("{}/{}", rule.numerator, rule.denominator),
            ),
            ("min_yes", &rule.min_yes.to_string()),
        ],
    )
}

/// A meeting's name and place, trimmed: both present, at most 80 characters each.
pub fn meeting_names(title: &str, place: &str) -> Option<(String, String)> {
    let ok = |t: &str| !t.trim().is_empty() && t.trim().chars().count() <= 80;
    (ok(title) && ok(place)).then(|| (title.trim().to_string(), place.trim().to_string()))
}

/// The most items an agenda holds, and the longest item: a meeting's agenda is read aloud.
pub const AGENDA_ITEMS: usize = 30;
pub const AGENDA_ITEM_CHARS: usize = 200;

/// An agenda as typed (one item per line): the items trimmed, blank lines dropped, joined by
/// newlines; `None` when there are too many items or one is too long. An empty agenda is allowed.
pub fn agenda_text(typed: &str) -> Option<String> {
    let items = agenda_items(typed);
    let fits =
        items.len() <= AGENDA_ITEMS && items.iter().all(|i| i.chars().count() <= AGENDA_ITEM_CHARS);
    fits.then(|| items.join("\n"))
}

/// The items of a stored or typed agenda, in order.
pub fn agenda_items(agenda: &str) -> Vec<&str> {
    agenda
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

pub fn minutes_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Minutes lock when every member present has signed or refused to sign (拒签, recorded with
/// a reason): one member who never signs cannot hold the minutes open for ever.
pub fn all_answered(present: &HashSet<i64>, signed: &HashSet<i64>, refused: &HashSet<i64>) -> bool {
    !present.is_empty()
        && present
            .iter()
            .all(|m| signed.contains(m) || refused.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_lock_when_every_member_present_signed_or_refused() {
        let set = |ids: &[i64]| ids.iter().copied().collect::<HashSet<i64>>();
        assert!(!all_answered(&set(&[1, 2, 3]), &set(&[1, 2]), &set(&[])));
        assert!(all_answered(&set(&[1, 2, 3]), &set(&[1, 2]), &set(&[3])));
        assert!(all_answered(&set(&[1, 2]), &set(&[1, 2, 9]), &set(&[])));
        assert!(!all_answered(&set(&[]), &set(&[]), &set(&[])));
    }

    #[test]
    fn an_agenda_keeps_its_items_in_order_and_refuses_too_long_ones() {
        assert_eq!(
            agenda_text(" 修路 \r\n\n  路灯\n").as_deref(),
            Some("修路\n路灯")
        );
        assert_eq!(agenda_text("").as_deref(), Some(""));
        assert_eq!(agenda_text(&"字".repeat(AGENDA_ITEM_CHARS + 1)), None);
        assert_eq!(agenda_text(&"x\n".repeat(AGENDA_ITEMS + 1)), None);
    }

    fn e(
        member: bool,
        motion_open: bool,
        present: bool,
        recused: bool,
        voted: bool,
    ) -> Eligibility {
        Eligibility {
            member,
            motion_open,
            present,
            recused,
            voted,
            recorded_by_clerk: false,
        }
    }

    #[test]
    fn a_vote_the_clerk_recorded_first_stands_and_the_member_is_told_so() {
        let by_clerk = Eligibility {
            recorded_by_clerk: true,
            ..e(true, true, true, false, true)
        };
        assert_eq!(may_vote(by_clerk), Err(VoteRefusal::RecordedByClerk));
        assert_eq!(
            VoteRefusal::RecordedByClerk.message_key(),
            "vote.error.recorded_by_clerk"
        );
        assert_eq!(
            may_vote(e(true, true, true, false, true)),
            Err(VoteRefusal::AlreadyVoted)
        );
    }

    #[test]
    fn only_present_unrecused_members_vote_once_on_open_motions() {
        assert_eq!(may_vote(e(true, true, true, false, false)), Ok(()));
        assert_eq!(
            may_vote(e(false, true, true, false, false)),
            Err(VoteRefusal::NotMember)
        );
        assert_eq!(
            may_vote(e(true, false, true, false, false)),
            Err(VoteRefusal::MotionNotOpen)
        );
        assert_eq!(
            may_vote(e(true, true, false, false, false)),
            Err(VoteRefusal::NotPresent)
        );
        assert_eq!(
            may_vote(e(true, true, true, true, false)),
            Err(VoteRefusal::Recused)
        );
        assert_eq!(
            may_vote(e(true, true, true, false, true)),
            Err(VoteRefusal::AlreadyVoted)
        );
    }

    #[test]
    fn minutes_lock_only_when_everyone_present_signed() {
        let present: HashSet<i64> = [1, 2].into();
        let none = HashSet::new();
        assert!(!all_answered(&present, &[1].into(), &none));
        assert!(all_answered(&present, &[1, 2].into(), &none));
        assert!(all_answered(&present, &[1, 2, 3].into(), &none));
        assert!(
            !all_answered(&HashSet::new(), &HashSet::new(), &none),
            "a meeting nobody attended signs nothing"
        );
    }

    #[test]
    fn kinds_and_choices_round_trip() {
        for k in MotionKind::ALL {
            assert_eq!(MotionKind::parse(k.as_str()), Some(k));
        }
        for c in [Choice::Yes, Choice::No, Choice::Abstain] {
            assert_eq!(Choice::parse(c.as_str()), Some(c));
        }
        assert_eq!(Choice::parse("maybe"), None);
    }

    #[test]
    fn meetings_need_a_name_and_a_place() {
        assert_eq!(
            meeting_names(" 议事会 ", "村部"),
            Some(("议事会".to_string(), "村部".to_string()))
        );
        assert_eq!(meeting_names("", "村部"), None);
        assert_eq!(meeting_names("议事会", &"地".repeat(81)), None);
    }

    #[test]
    fn rules_read_as_words_in_both_languages_and_say_abstentions_are_not_cast_votes() {
        use crate::i18n::Locale;
        assert_eq!(
            rule_words(&Rule::MAJORITY_OF_ALL, Locale::ZhCn),
            "全体成员（回避者除外）超过 1/2，且至少 1 票赞成"
        );
        assert_eq!(
            rule_words(&Rule::MAJORITY_OF_ALL, Locale::En),
            "All members (less recused): more than 1/2, and at least 1 yes"
        );
        let cast = Rule {
            base: super::super::tally::Base::YesNo,
            strict: false,
            numerator: 2,
            denominator: 3,
            min_yes: 1,
        };
        assert_eq!(
            rule_words(&cast, Locale::ZhCn),
            "有效表决票（赞成+反对，弃权不计）达到 2/3，且至少 1 票赞成"
        );
        assert!(rule_words(&cast, Locale::En).contains("abstentions not counted"));
    }
}
