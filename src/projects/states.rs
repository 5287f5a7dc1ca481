//! The projects part's states and kinds as enums: each converts to and from the text stored in
//! the database in one place and names the i18n key a page shows. A stored text no variant names
//! is an error at the store boundary (`DbError::unknown`), never a default.

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// The i18n key of the name shown to people.
            pub fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($prefix, ".", $text)),+
                }
            }
        }
    };
}

stored_enum!(
    /// Where a project stands: approved → plan drafted → plan approved → in notice → cleared →
    /// in progress → completed → accepted, or suspended (returns to where it was) or cancelled.
    ProjectStatus, "project.status", {
        Approved => "approved",
        PlanDrafted => "plan_drafted",
        PlanApproved => "plan_approved",
        InNotice => "in_notice",
        Cleared => "cleared",
        InProgress => "in_progress",
        Completed => "completed",
        Accepted => "accepted",
        Suspended => "suspended",
        Cancelled => "cancelled",
    }
);

stored_enum!(
    /// A plan version: drafted, put to the council's vote, then approved or rejected; a draft or
    /// an approved plan is superseded when a new version replaces it.
    PlanState, "plan.state", {
        Draft => "draft",
        Voting => "voting",
        Approved => "approved",
        Rejected => "rejected",
        Superseded => "superseded",
    }
);

stored_enum!(
    /// How the work is done: 自建 by the villagers, 外包 to a contractor, or as 工程.
    PlanMethod, "plan.method", {
        SelfBuilt => "self_built",
        Outsourced => "outsourced",
        Engineering => "engineering",
    }
);

stored_enum!(
    /// Where a plan's money comes from: the earmarked fund (专项资金) that the ledger pays
    /// from, the village's own funds, or other sources.
    FundingSource, "plan.funding", {
        Earmarked => "earmarked",
        VillageOwn => "village_own",
        Other => "other",
    }
);

stored_enum!(
    /// Who took part in drafting an outsourced or engineering plan.
    ParticipantRole, "plan.participant", {
        HouseholdRep => "household_rep",
        Supervisor => "supervisor",
        Professional => "professional",
    }
);

impl PlanMethod {
    /// Outsourced and engineering plans must name who drafted them and how the contractor was
    /// chosen.
    pub fn needs_participants(self) -> bool {
        !matches!(self, PlanMethod::SelfBuilt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_texts_round_trip_and_unknown_ones_are_refused() {
        for s in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::parse(s.as_str()), Some(*s));
        }
        for s in PlanState::ALL {
            assert_eq!(PlanState::parse(s.as_str()), Some(*s));
        }
        for s in PlanMethod::ALL {
            assert_eq!(PlanMethod::parse(s.as_str()), Some(*s));
        }
        for s in FundingSource::ALL {
            assert_eq!(FundingSource::parse(s.as_str()), Some(*s));
        }
        for s in ParticipantRole::ALL {
            assert_eq!(ParticipantRole::parse(s.as_str()), Some(*s));
        }
        assert_eq!(ProjectStatus::parse("finished?"), None);
        assert_eq!(
            ProjectStatus::InNotice.label_key(),
            "project.status.in_notice"
        );
    }
}
