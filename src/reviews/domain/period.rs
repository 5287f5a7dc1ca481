//! The half-year a review judges and which projects belong to it.

use chrono::{NaiveDate, NaiveDateTime};

use super::states::Half;
use crate::projects::states::ProjectStatus;

/// The first Beijing day of the half-year and the first day after it.
pub fn days(year: i32, half: Half) -> Option<(NaiveDate, NaiveDate)> {
    let (start, end) = match half {
        Half::First => ((year, 1), (year, 7)),
        Half::Second => ((year, 7), (year + 1, 1)),
    };
    Some((
        NaiveDate::from_ymd_opt(start.0, start.1, 1)?,
        NaiveDate::from_ymd_opt(end.0, end.1, 1)?,
    ))
}

/// The half-year as UTC instants [start, end): Beijing midnights.
pub fn bounds(year: i32, half: Half) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let (start, end) = days(year, half)?;
    let at = |d: NaiveDate| crate::time::parse_local(&format!("{d}T00:00"));
    Some((at(start)?, at(end)?))
}

/// What the rule needs to know of a project.
#[derive(Clone, Copy, Debug)]
pub struct ProjectFacts {
    pub status: ProjectStatus,
    pub created_at: NaiveDateTime,
    pub status_changed_at: NaiveDateTime,
}

/// A project is reviewed in a period when it was active or finished in it: not cancelled,
/// created before the period's end, and either not yet accepted or accepted (its status last
/// changed) on or after the period's start. Projects accepted earlier were judged before.
pub fn project_in_period(p: ProjectFacts, start: NaiveDateTime, end: NaiveDateTime) -> bool {
    if p.status == ProjectStatus::Cancelled || p.created_at >= end {
        return false;
    }
    p.status != ProjectStatus::Accepted || p.status_changed_at >= start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("date")
    }

    fn facts(
        status: ProjectStatus,
        created: NaiveDateTime,
        changed: NaiveDateTime,
    ) -> ProjectFacts {
        ProjectFacts {
            status,
            created_at: created,
            status_changed_at: changed,
        }
    }

    #[test]
    fn a_half_year_runs_from_beijing_midnight_to_beijing_midnight() {
        let (s, e) = bounds(2026, Half::First).expect("bounds");
        assert_eq!(s.to_string(), "2025-12-31 16:00:00");
        assert_eq!(e.to_string(), "2026-06-30 16:00:00");
        let (s, e) = days(2026, Half::Second).expect("days");
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2026-07-01".into(), "2027-01-01".into())
        );
    }

    #[test]
    fn projects_active_or_finished_in_the_period_are_reviewed() {
        let (s, e) = (at(2026, 1, 1), at(2026, 7, 1));
        let running = facts(ProjectStatus::InProgress, at(2025, 5, 1), at(2025, 9, 1));
        assert!(
            project_in_period(running, s, e),
            "started last year, still running"
        );
        let accepted_in = facts(ProjectStatus::Accepted, at(2025, 5, 1), at(2026, 1, 1));
        assert!(
            project_in_period(accepted_in, s, e),
            "accepted on the first day"
        );
        let accepted_before = facts(ProjectStatus::Accepted, at(2025, 5, 1), at(2025, 12, 31));
        assert!(
            !project_in_period(accepted_before, s, e),
            "judged in the last review"
        );
        let later = facts(ProjectStatus::Approved, at(2026, 7, 1), at(2026, 7, 1));
        assert!(
            !project_in_period(later, s, e),
            "created at the period's end"
        );
        let cancelled = facts(ProjectStatus::Cancelled, at(2026, 2, 1), at(2026, 3, 1));
        assert!(!project_in_period(cancelled, s, e));
        let suspended = facts(ProjectStatus::Suspended, at(2026, 2, 1), at(2026, 3, 1));
        assert!(project_in_period(suspended, s, e));
    }
}
