//! The council's states and kinds as enums: each converts to and from the text stored in the
//! database in one place, and names the i18n key a page shows. A stored text no variant names is
//! an error at the store boundary (`DbError::unknown`), never a default.

/// A meeting: convened, in session, closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingState {
    Scheduled,
    Open,
    Closed,
}

impl MeetingState {
    pub const ALL: [MeetingState; 3] = [
        MeetingState::Scheduled,
        MeetingState::Open,
        MeetingState::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingState::Scheduled => "scheduled",
            MeetingState::Open => "open",
            MeetingState::Closed => "closed",
        }
    }
    pub fn parse(text: &str) -> Option<MeetingState> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            MeetingState::Scheduled => "meeting.state.scheduled",
            MeetingState::Open => "meeting.state.open",
            MeetingState::Closed => "meeting.state.closed",
        }
    }
}

/// A motion. `Closed` was counted; `Lapsed` was closed without a quorum present (void);
/// `Withdrawn` was taken back with a written reason. The last three are all stored as
/// `motions.state = 'closed'` (what the database's freeze triggers key on) and told apart by
/// the result in the motion's tally snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MotionState {
    Draft,
    Open,
    Closed,
    Lapsed,
    Withdrawn,
}

impl MotionState {
    /// From `motions.state` and the tally's `result` (None when no tally was recorded).
    pub fn from_stored(state: &str, result: Option<&str>) -> Option<MotionState> {
        match (state, result) {
            ("draft", None) => Some(MotionState::Draft),
            ("open", None) => Some(MotionState::Open),
            // A motion closed before tallies were stored (no snapshot) still reads as closed.
            ("closed", None) => Some(MotionState::Closed),
            ("closed", Some(r)) => match MotionResult::parse(r)? {
                MotionResult::Passed | MotionResult::Failed => Some(MotionState::Closed),
                MotionResult::Lapsed => Some(MotionState::Lapsed),
                MotionResult::Withdrawn => Some(MotionState::Withdrawn),
            },
            _ => None,
        }
    }
    pub fn label_key(self) -> &'static str {
        match self {
            MotionState::Draft => "motion.state.draft",
            MotionState::Open => "motion.state.open",
            MotionState::Closed => "motion.state.closed",
            MotionState::Lapsed => "motion.state.lapsed",
            MotionState::Withdrawn => "motion.state.withdrawn",
        }
    }
    /// Closed, lapsed or withdrawn: nothing about it changes any more.
    pub fn ended(self) -> bool {
        matches!(
            self,
            MotionState::Closed | MotionState::Lapsed | MotionState::Withdrawn
        )
    }
}

/// How a motion ended, as stored in `motion_tallies.result`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MotionResult {
    Passed,
    Failed,
    Lapsed,
    Withdrawn,
}

impl MotionResult {
    pub const ALL: [MotionResult; 4] = [
        MotionResult::Passed,
        MotionResult::Failed,
        MotionResult::Lapsed,
        MotionResult::Withdrawn,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            MotionResult::Passed => "passed",
            MotionResult::Failed => "failed",
            MotionResult::Lapsed => "lapsed",
            MotionResult::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(text: &str) -> Option<MotionResult> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// A member's attendance at a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttendanceStatus {
    Present,
    Absent,
    Leave,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 3] = [
        AttendanceStatus::Present,
        AttendanceStatus::Absent,
        AttendanceStatus::Leave,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Absent => "absent",
            AttendanceStatus::Leave => "leave",
        }
    }
    pub fn parse(text: &str) -> Option<AttendanceStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "attendance.present",
            AttendanceStatus::Absent => "attendance.absent",
            AttendanceStatus::Leave => "attendance.leave",
        }
    }
}

/// A candidate project through sorting and the council's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateState {
    Candidate,
    Merged,
    Approved,
    Rejected,
}

impl CandidateState {
    pub const ALL: [CandidateState; 4] = [
        CandidateState::Candidate,
        CandidateState::Merged,
        CandidateState::Approved,
        CandidateState::Rejected,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateState::Candidate => "candidate",
            CandidateState::Merged => "merged",
            CandidateState::Approved => "approved",
            CandidateState::Rejected => "rejected",
        }
    }
    pub fn parse(text: &str) -> Option<CandidateState> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            CandidateState::Candidate => "candidate.state.candidate",
            CandidateState::Merged => "candidate.state.merged",
            CandidateState::Approved => "candidate.state.approved",
            CandidateState::Rejected => "candidate.state.rejected",
        }
    }
    /// Still open to sorting and to an approval motion.
    pub fn is_open(self) -> bool {
        self == CandidateState::Candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_texts_round_trip_and_unknown_ones_are_refused() {
        for s in MeetingState::ALL {
            assert_eq!(MeetingState::parse(s.as_str()), Some(s));
        }
        for s in AttendanceStatus::ALL {
            assert_eq!(AttendanceStatus::parse(s.as_str()), Some(s));
        }
        for s in CandidateState::ALL {
            assert_eq!(CandidateState::parse(s.as_str()), Some(s));
        }
        assert_eq!(MeetingState::parse("adjourned"), None);
        assert_eq!(AttendanceStatus::parse(""), None);
        assert_eq!(CandidateState::parse("Candidate"), None);
    }

    #[test]
    fn a_motion_state_reads_the_row_and_its_tally() {
        use MotionState as S;
        assert_eq!(S::from_stored("draft", None), Some(S::Draft));
        assert_eq!(S::from_stored("open", None), Some(S::Open));
        assert_eq!(S::from_stored("closed", Some("passed")), Some(S::Closed));
        assert_eq!(S::from_stored("closed", Some("failed")), Some(S::Closed));
        assert_eq!(S::from_stored("closed", Some("lapsed")), Some(S::Lapsed));
        assert_eq!(
            S::from_stored("closed", Some("withdrawn")),
            Some(S::Withdrawn)
        );
        assert_eq!(S::from_stored("closed", None), Some(S::Closed));
        assert_eq!(S::from_stored("closed", Some("maybe")), None);
        assert_eq!(S::from_stored("open", Some("passed")), None);
        assert_eq!(S::from_stored("voting", None), None);
        assert!(S::Lapsed.ended() && S::Withdrawn.ended() && !S::Open.ended());
    }
}
