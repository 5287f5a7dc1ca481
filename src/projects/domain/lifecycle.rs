//! The project lifecycle as one pure function over [`ProjectStatus`]: approved → plan drafted →
//! plan approved → in notice → cleared → in progress → completed → accepted, plus suspended
//! (returns to where it was) and cancelled. Whether the notice has cleared is the notices
//! gate's answer, passed in by the command that asked it inside its transaction.

use crate::projects::states::ProjectStatus;

/// What happens to a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A plan version was drafted (also after a rejected vote or an upheld objection).
    PlanDrafted,
    /// The council passed the plan.
    PlanPassed,
    /// The council's plan motion failed, lapsed or was withdrawn.
    PlanFailed,
    /// The approved plan was published as a notice.
    NoticePublished,
    /// An objection to the plan notice was upheld: back to drafting.
    ObjectionUpheld,
    /// Work starts; `cleared` is the notices gate's answer at this moment.
    Start { cleared: bool },
    /// The committee reports the work done.
    Complete,
    /// Acceptance passed.
    AcceptancePassed,
    /// Acceptance failed: back to work.
    AcceptanceFailed,
    /// Suspended with a written reason.
    Suspend,
    /// Resumed: back to `suspended_from`.
    Resume {
        suspended_from: Option<ProjectStatus>,
    },
    /// Cancelled with a written reason.
    Cancel,
}

/// Why a transition is refused; each names the i18n key of its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The event does not apply in this status.
    NotNow,
    /// The notices gate has not cleared the plan.
    NotCleared,
    /// Accepted and cancelled projects are final.
    Final,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::NotNow => "project.error.transition",
            Refusal::NotCleared => "project.error.not_cleared",
            Refusal::Final => "project.error.final",
        }
    }
}

/// The status after `event`, or why it is refused.
pub fn transition(from: ProjectStatus, event: Event) -> Result<ProjectStatus, Refusal> {
    use Event as E;
    use ProjectStatus as S;
    if matches!(from, S::Accepted | S::Cancelled) {
        return Err(Refusal::Final);
    }
    match (from, event) {
        (S::Approved | S::PlanDrafted, E::PlanDrafted) => Ok(S::PlanDrafted),
        (S::PlanDrafted, E::PlanPassed) => Ok(S::PlanApproved),
        (S::PlanDrafted, E::PlanFailed) => Ok(S::PlanDrafted),
        (S::PlanApproved, E::NoticePublished) => Ok(S::InNotice),
        (S::InNotice | S::Cleared, E::ObjectionUpheld) => Ok(S::PlanDrafted),
        (S::InNotice | S::Cleared, E::Start { cleared: true }) => Ok(S::InProgress),
        (S::InNotice | S::Cleared, E::Start { cleared: false }) => Err(Refusal::NotCleared),
        (S::InProgress, E::Complete) => Ok(S::Completed),
        (S::Completed, E::AcceptancePassed) => Ok(S::Accepted),
        (S::Completed, E::AcceptanceFailed) => Ok(S::InProgress),
        (S::Suspended, E::Resume { suspended_from }) => match suspended_from {
            Some(to) if !matches!(to, S::Suspended | S::Accepted | S::Cancelled) => Ok(to),
            _ => Err(Refusal::NotNow),
        },
        (S::Suspended, E::Suspend) => Err(Refusal::NotNow),
        (_, E::Suspend) => Ok(S::Suspended),
        (_, E::Cancel) => Ok(S::Cancelled),
        _ => Err(Refusal::NotNow),
    }
}

/// A written reason for suspending or cancelling: not blank, at most 500 characters.
pub fn valid_reason(text: &str) -> bool {
    let n = text.trim().chars().count();
    (2..=500).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProjectStatus as S;

    fn events() -> Vec<Event> {
        let mut all = vec![
            Event::PlanDrafted,
            Event::PlanPassed,
            Event::PlanFailed,
            Event::NoticePublished,
            Event::ObjectionUpheld,
            Event::Start { cleared: true },
            Event::Start { cleared: false },
            Event::Complete,
            Event::AcceptancePassed,
            Event::AcceptanceFailed,
            Event::Suspend,
            Event::Cancel,
            Event::Resume {
                suspended_from: None,
            },
        ];
        for s in S::ALL {
            all.push(Event::Resume {
                suspended_from: Some(*s),
            });
        }
        all
    }

    /// The whole table: every status × every event, the expected answer written out.
    fn expected(from: S, e: Event) -> Result<S, Refusal> {
        use Event as E;
        match from {
            S::Accepted | S::Cancelled => Err(Refusal::Final),
            _ => match e {
                E::Suspend if from == S::Suspended => Err(Refusal::NotNow),
                E::Suspend => Ok(S::Suspended),
                E::Cancel => Ok(S::Cancelled),
                E::PlanDrafted if matches!(from, S::Approved | S::PlanDrafted) => {
                    Ok(S::PlanDrafted)
                }
                E::PlanPassed if from == S::PlanDrafted => Ok(S::PlanApproved),
                E::PlanFailed if from == S::PlanDrafted => Ok(S::PlanDrafted),
                E::NoticePublished if from == S::PlanApproved => Ok(S::InNotice),
                E::ObjectionUpheld if matches!(from, S::InNotice | S::Cleared) => {
                    Ok(S::PlanDrafted)
                }
                E::Start { cleared } if matches!(from, S::InNotice | S::Cleared) => {
                    if cleared {
                        Ok(S::InProgress)
                    } else {
                        Err(Refusal::NotCleared)
                    }
                }
                E::Complete if from == S::InProgress => Ok(S::Completed),
                E::AcceptancePassed if from == S::Completed => Ok(S::Accepted),
                E::AcceptanceFailed if from == S::Completed => Ok(S::InProgress),
                E::Resume {
                    suspended_from: Some(to),
                } if from == S::Suspended
                    && !matches!(to, S::Suspended | S::Accepted | S::Cancelled) =>
                {
                    Ok(to)
                }
                _ => Err(Refusal::NotNow),
            },
        }
    }

    #[test]
    fn every_status_and_event_pair() {
        let mut checked = 0;
        for from in S::ALL {
            for e in events() {
                assert_eq!(transition(*from, e), expected(*from, e), "{from:?} × {e:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 10 * 23);
    }

    #[test]
    fn the_main_path_reaches_accepted() {
        let mut s = S::Approved;
        for e in [
            Event::PlanDrafted,
            Event::PlanPassed,
            Event::NoticePublished,
            Event::Start { cleared: true },
            Event::Complete,
            Event::AcceptancePassed,
        ] {
            s = transition(s, e).unwrap();
        }
        assert_eq!(s, S::Accepted);
    }

    #[test]
    fn cannot_start_before_the_notice_clears() {
        assert_eq!(
            transition(S::InNotice, Event::Start { cleared: false }),
            Err(Refusal::NotCleared)
        );
        assert_eq!(
            transition(S::PlanApproved, Event::Start { cleared: true }),
            Err(Refusal::NotNow)
        );
    }

    #[test]
    fn resume_returns_where_it_was() {
        let resumed = transition(
            S::Suspended,
            Event::Resume {
                suspended_from: Some(S::InProgress),
            },
        );
        assert_eq!(resumed, Ok(S::InProgress));
        assert!(valid_reason("天气原因"));
        assert!(!valid_reason("  "));
    }
}
