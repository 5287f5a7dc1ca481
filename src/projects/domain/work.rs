//! What execution and acceptance require: a progress percent within 0..=100, an inspection's
//! result, when a problem counts as open, and an acceptance's participants (at least one
//! supervisor and one household representative).

use crate::projects::states::ParticipantRole;

/// An inspection's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectionResult {
    Fine,
    Problem,
}

impl InspectionResult {
    pub const ALL: [InspectionResult; 2] = [InspectionResult::Fine, InspectionResult::Problem];
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::Fine => "fine",
            InspectionResult::Problem => "problem",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            InspectionResult::Fine => "inspection.result.fine",
            InspectionResult::Problem => "inspection.result.problem",
        }
    }
}

/// An acceptance's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptanceResult {
    Passed,
    Failed,
}

impl AcceptanceResult {
    pub const ALL: [AcceptanceResult; 2] = [AcceptanceResult::Passed, AcceptanceResult::Failed];
    pub fn as_str(self) -> &'static str {
        match self {
            AcceptanceResult::Passed => "passed",
            AcceptanceResult::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            AcceptanceResult::Passed => "acceptance.result.passed",
            AcceptanceResult::Failed => "acceptance.result.failed",
        }
    }
}

/// Whether an inspection's problem is still open: a problem stays open until the committee
/// has responded and a supervisor has closed it.
pub fn problem_open(result: InspectionResult, closed: bool) -> bool {
    result == InspectionResult::Problem && !closed
}

/// A progress percent as typed.
pub fn valid_percent(p: i32) -> bool {
    (0..=100).contains(&p)
}

/// A free text a person wrote: not blank, at most `max` characters.
pub fn valid_text(text: &str, max: usize) -> bool {
    let n = text.trim().chars().count();
    n > 0 && n <= max
}

/// Acceptance participants: at least one supervisor and one household representative.
pub fn acceptance_participants_ok(participants: &[(ParticipantRole, String)]) -> bool {
    let has = |r| {
        participants
            .iter()
            .any(|(x, n)| *x == r && !n.trim().is_empty())
    };
    has(ParticipantRole::Supervisor) && has(ParticipantRole::HouseholdRep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_stay_open_until_closed() {
        assert!(problem_open(InspectionResult::Problem, false));
        assert!(!problem_open(InspectionResult::Problem, true));
        assert!(!problem_open(InspectionResult::Fine, false));
    }

    #[test]
    fn percent_and_participants() {
        assert!(valid_percent(0) && valid_percent(100));
        assert!(!valid_percent(101) && !valid_percent(-1));
        let sup = (ParticipantRole::Supervisor, "李四".to_string());
        let rep = (ParticipantRole::HouseholdRep, "王五".to_string());
        assert!(acceptance_participants_ok(&[sup.clone(), rep.clone()]));
        assert!(!acceptance_participants_ok(&[sup]));
        assert!(!acceptance_participants_ok(&[rep]));
        for r in InspectionResult::ALL {
            assert_eq!(InspectionResult::parse(r.as_str()), Some(r));
        }
        for r in AcceptanceResult::ALL {
            assert_eq!(AcceptanceResult::parse(r.as_str()), Some(r));
        }
    }
}
