//! The states and kinds stored for notices and objections, as enums: the store converts the
//! stored text at its boundary, and a value no variant names is an error naming the row
//! (`DbError::unknown`), never a default.

/// A notice is written as a draft and published once; a published notice never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeState {
    Draft,
    Published,
}

impl NoticeState {
    pub const ALL: [NoticeState; 2] = [NoticeState::Draft, NoticeState::Published];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Draft => "draft",
            NoticeState::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<NoticeState> {
        NoticeState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            NoticeState::Draft => "notice.draft",
            NoticeState::Published => "notice.published",
        }
    }
}

/// How an objection came in: online by the household, or recorded by a clerk on its behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectionChannel {
    Online,
    Oral,
    Written,
}

impl ObjectionChannel {
    pub const ALL: [ObjectionChannel; 3] = [
        ObjectionChannel::Online,
        ObjectionChannel::Oral,
        ObjectionChannel::Written,
    ];
    /// What a clerk may record on a household's behalf.
    pub const ON_BEHALF: [ObjectionChannel; 2] =
        [ObjectionChannel::Oral, ObjectionChannel::Written];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionChannel::Online => "online",
            ObjectionChannel::Oral => "oral",
            ObjectionChannel::Written => "written",
        }
    }

    pub fn parse(text: &str) -> Option<ObjectionChannel> {
        ObjectionChannel::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    /// A channel a clerk may choose in the on-behalf form (never "online").
    pub fn parse_on_behalf(text: &str) -> Option<ObjectionChannel> {
        ObjectionChannel::ON_BEHALF
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ObjectionChannel::Online => "objection.online",
            ObjectionChannel::Oral => "objection.oral",
            ObjectionChannel::Written => "objection.written",
        }
    }
}

/// The outcome of a written answer: an upheld objection holds the notice's subject until a
/// later notice has run its period (the gate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerOutcome {
    Upheld,
    NotUpheld,
}

impl AnswerOutcome {
    /// Stored as the `upheld` flag.
    pub fn upheld(self) -> bool {
        self == AnswerOutcome::Upheld
    }

    pub fn of_upheld(upheld: bool) -> AnswerOutcome {
        if upheld {
            AnswerOutcome::Upheld
        } else {
            AnswerOutcome::NotUpheld
        }
    }
}

/// Where an objection stands: waiting for its answer, or answered (once, for good).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectionState {
    Open,
    Answered(AnswerOutcome),
}

impl ObjectionState {
    /// From the stored columns: answered exactly when it has an answer time and an outcome.
    /// Any other combination is not a state the code writes; `None` makes it an error.
    pub fn of(answered: bool, upheld: Option<bool>) -> Option<ObjectionState> {
        match (answered, upheld) {
            (false, None) => Some(ObjectionState::Open),
            (true, Some(upheld)) => {
                Some(ObjectionState::Answered(AnswerOutcome::of_upheld(upheld)))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back_and_unknown_ones_are_none() {
        for s in NoticeState::ALL {
            assert_eq!(NoticeState::parse(s.as_str()), Some(s));
        }
        for c in ObjectionChannel::ALL {
            assert_eq!(ObjectionChannel::parse(c.as_str()), Some(c));
        }
        assert_eq!(NoticeState::parse("withdrawn"), None);
        assert_eq!(ObjectionChannel::parse("email"), None);
    }

    #[test]
    fn a_clerk_records_only_oral_or_written_objections() {
        assert_eq!(
            ObjectionChannel::parse_on_behalf("oral"),
            Some(ObjectionChannel::Oral)
        );
        assert_eq!(ObjectionChannel::parse_on_behalf("online"), None);
        assert_eq!(ObjectionChannel::parse_on_behalf(""), None);
    }

    #[test]
    fn an_objection_is_open_or_answered_with_an_outcome() {
        use ObjectionState as S;
        assert_eq!(S::of(false, None), Some(S::Open));
        assert_eq!(
            S::of(true, Some(true)),
            Some(S::Answered(AnswerOutcome::Upheld))
        );
        assert_eq!(
            S::of(true, Some(false)),
            Some(S::Answered(AnswerOutcome::NotUpheld))
        );
        assert_eq!(S::of(true, None), None, "answered without an outcome");
        assert_eq!(
            S::of(false, Some(true)),
            None,
            "an outcome without an answer"
        );
        assert!(AnswerOutcome::of_upheld(true).upheld());
        assert!(!AnswerOutcome::of_upheld(false).upheld());
    }
}
