//! The review's states, half-years, item kinds, ratings, channels and rate formulas as enums,
//! each with its stored name (`as_str` / `parse`) and its i18n label in one place.

/// Declares a stored enum: variants with their stored names and label keys.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $stored:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

stored_enum! {
    /// Where a review stands: items are editable in `Draft`; households answer while `Open`;
    /// results are computed once `Closed` and public once `Published`.
    ReviewState {
        Draft => "draft", "review.state.draft";
        Open => "open", "review.state.open";
        Closed => "closed", "review.state.closed";
        Published => "published", "review.state.published";
    }
}

stored_enum! {
    /// The half of the year a review judges (上半年 January–June, 下半年 July–December).
    Half {
        First => "first", "review.half.first";
        Second => "second", "review.half.second";
    }
}

stored_enum! {
    /// What an item of a review is about.
    ItemKind {
        Project => "project", "review.kind.project";
        Resolution => "resolution", "review.kind.resolution";
        Free => "free", "review.kind.free";
    }
}

stored_enum! {
    /// A household's rating of one item; `Unknown` (不了解) is an abstention.
    Rating {
        Satisfied => "satisfied", "review.rating.satisfied";
        Basic => "basic", "review.rating.basic";
        Dissatisfied => "dissatisfied", "review.rating.dissatisfied";
        Unknown => "unknown", "review.rating.unknown";
    }
}

stored_enum! {
    /// How a response reached the review.
    ResponseChannel {
        Kiosk => "kiosk", "review.channel.kiosk";
        Phone => "phone", "review.channel.phone";
        Paper => "paper", "review.channel.paper";
    }
}

stored_enum! {
    /// The village's satisfaction-rate formula (a per-village setting, copied to each review).
    Formula {
        SatisfiedOrBasic => "satisfied_or_basic", "review.formula.satisfied_or_basic";
        SatisfiedOnly => "satisfied_only", "review.formula.satisfied_only";
    }
}

/// The formula a village uses until its clerk chooses another: (满意 + 基本满意) / valid.
pub const DEFAULT_FORMULA: Formula = Formula::SatisfiedOrBasic;

/// A clerk's move of a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewAction {
    Open,
    Close,
    Publish,
}

impl ReviewAction {
    pub fn parse(text: &str) -> Option<ReviewAction> {
        match text {
            "open" => Some(ReviewAction::Open),
            "close" => Some(ReviewAction::Close),
            "publish" => Some(ReviewAction::Publish),
            _ => None,
        }
    }
}

/// The state a move leads to from `state`, or None when the move is not possible there.
pub fn next_state(state: ReviewState, action: ReviewAction) -> Option<ReviewState> {
    match (state, action) {
        (ReviewState::Draft, ReviewAction::Open) => Some(ReviewState::Open),
        (ReviewState::Open, ReviewAction::Close) => Some(ReviewState::Closed),
        (ReviewState::Closed, ReviewAction::Publish) => Some(ReviewState::Published),
        _ => None,
    }
}

/// Whether a review takes responses at `now`: open, and between its opening and closing time.
pub fn accepts_responses(
    state: ReviewState,
    opens_at: chrono::NaiveDateTime,
    closes_at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
) -> bool {
    state == ReviewState::Open && opens_at <= now && now < closes_at
}

/// Whether results may be shown: never while a review is a draft or open (staff pages too).
pub fn results_visible(state: ReviewState) -> bool {
    matches!(state, ReviewState::Closed | ReviewState::Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_name_reads_back() {
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.as_str()), Some(*s));
        }
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(*r));
        }
        for f in Formula::ALL {
            assert_eq!(Formula::parse(f.as_str()), Some(*f));
        }
        assert_eq!(Rating::parse("meh"), None);
        assert_eq!(Half::parse("first"), Some(Half::First));
    }

    #[test]
    fn a_review_moves_forward_only() {
        use ReviewAction as A;
        use ReviewState as S;
        assert_eq!(next_state(S::Draft, A::Open), Some(S::Open));
        assert_eq!(next_state(S::Open, A::Close), Some(S::Closed));
        assert_eq!(next_state(S::Closed, A::Publish), Some(S::Published));
        assert_eq!(next_state(S::Draft, A::Close), None);
        assert_eq!(next_state(S::Published, A::Publish), None);
        assert_eq!(next_state(S::Open, A::Open), None);
    }

    #[test]
    fn results_are_hidden_until_the_close() {
        assert!(!results_visible(ReviewState::Draft));
        assert!(!results_visible(ReviewState::Open));
        assert!(results_visible(ReviewState::Closed));
        assert!(results_visible(ReviewState::Published));
    }

    #[test]
    fn responses_are_taken_between_opening_and_closing() {
        let t = |h| {
            chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .expect("time")
        };
        assert!(accepts_responses(ReviewState::Open, t(8), t(18), t(8)));
        assert!(!accepts_responses(ReviewState::Open, t(8), t(18), t(18)));
        assert!(!accepts_responses(ReviewState::Open, t(8), t(18), t(7)));
        assert!(!accepts_responses(ReviewState::Closed, t(8), t(18), t(9)));
    }
}
