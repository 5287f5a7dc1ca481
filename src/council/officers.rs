//! Who may be named on the minutes as the meeting's chair (主持人) and its recorder (记录人):
//! a pure rule over who attended, checked by `minutes_commands::write_minutes` under the
//! meeting's lock.

use std::collections::HashSet;

/// Why a chair or recorder named for the minutes is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficerRefusal {
    /// The chair must be a member who attended the meeting.
    ChairNotPresent,
    /// The recorder is the person writing the minutes or a member who attended.
    RecorderNotPresent,
}

/// The chair (主持人) is a member who was present at some time during the meeting; the
/// recorder (记录人) is whoever writes the minutes (`None`) or such a member.
pub fn check_officers(
    attended: &HashSet<i64>,
    chair: i64,
    recorder: Option<i64>,
) -> Result<(), OfficerRefusal> {
    if !attended.contains(&chair) {
        return Err(OfficerRefusal::ChairNotPresent);
    }
    match recorder {
        Some(r) if !attended.contains(&r) => Err(OfficerRefusal::RecorderNotPresent),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chair_attended_and_the_recorder_wrote_or_attended() {
        let attended: HashSet<i64> = [1, 2].into_iter().collect();
        assert_eq!(check_officers(&attended, 1, None), Ok(()));
        assert_eq!(check_officers(&attended, 1, Some(2)), Ok(()));
        assert_eq!(
            check_officers(&attended, 1, Some(1)),
            Ok(()),
            "one may do both"
        );
        assert_eq!(
            check_officers(&attended, 3, None),
            Err(OfficerRefusal::ChairNotPresent)
        );
        assert_eq!(
            check_officers(&attended, 2, Some(7)),
            Err(OfficerRefusal::RecorderNotPresent)
        );
        assert_eq!(
            check_officers(&HashSet::new(), 1, None),
            Err(OfficerRefusal::ChairNotPresent)
        );
    }
}
