//! The fixed vocabulary of audited actions, so auditors can rely on the names. Each action is
//! written once, with its stored name, in [`actions!`]: the enum, its names and the list
//! [`Action::ALL`] that reads stored names back cannot drift apart.

/// Declares [`Action`] from `Variant => "stored.name"` lines.
macro_rules! actions {
    ($($variant:ident => $name:literal,)*) => {
        /// An audited action.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order declared.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name stored in `audit_events.action`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
}

actions! {
    DemoSeed => "demo.seed",
    StaffCreateAdmin => "staff.create_admin",
    HouseholdResetPin => "household.reset_pin",
    HouseholdCreate => "household.create",
    HouseholdUpdate => "household.update",
    HouseholdLogin => "household.login",
    HouseholdImport => "household.import",
    StaffLogin => "staff.login",
    StaffPassword => "staff.password",
    StaffCreate => "staff.create",
    StaffAddRole => "staff.add_role",
    StaffRemoveRole => "staff.remove_role",
    StaffActivate => "staff.activate",
    StaffDeactivate => "staff.deactivate",
    StaffResetPassword => "staff.reset_password",
    StaffResetSecondFactor => "staff.reset_2fa",
    BallotCast => "ballot.cast",
    BallotPaper => "ballot.paper",
    BallotVoid => "ballot.void",
    RoundCreate => "round.create",
    RoundOpen => "round.open",
    RoundClose => "round.close",
    RoundPublish => "round.publish",
    RollAdd => "round.roll_add",
    PaperEntry => "paper.entry",
    PaperReconcile => "paper.reconcile",
    SiteCreate => "site.create",
    SiteCertify => "site.certify",
    NoticeDraft => "notice.draft",
    NoticePublish => "notice.publish",
    ObjectionFile => "objection.file",
    ObjectionAnswer => "objection.answer",
    ObjectionRemind => "objection.remind",
    NoticePeriod => "notice.period",
    SupervisionPhone => "village.supervision_phone",
    SupervisionRemark => "supervision.remark",
    NoticeEdit => "notice.edit",
    MeetingCreate => "meeting.create",
    MeetingAttendance => "meeting.attendance",
    MeetingState => "meeting.state",
    MotionCreate => "motion.create",
    MotionOpen => "motion.open",
    MotionClose => "motion.close",
    VoteRecord => "vote.record",
    VoteCast => "vote.cast",
    MotionRecuse => "motion.recuse",
    MinutesWrite => "minutes.write",
    MinutesSign => "minutes.sign",
    MinutesLock => "minutes.lock",
    MinutesCorrect => "minutes.correct",
    CouncilSettings => "council.settings",
    CandidateCreate => "candidate.create",
    CandidateSplit => "candidate.split",
    CandidateMerge => "candidate.merge",
    ShortlistPublish => "shortlist.publish",
    ProjectApprove => "project.approve",
    // Security (issue 11): sign-outs, ended sessions, lifted locks, exports of the log.
    StaffLogout => "staff.logout",
    StaffEndSessions => "staff.end_sessions",
    HouseholdLogout => "household.logout",
    LoginLockLift => "login.lock_lift",
    AuditExport => "audit.export",
    StaffTwoFactor => "staff.two_factor",
    StaffTwoFactorEnrol => "staff.two_factor_enrol",
    RequestRefused => "request.refused",
    MinutesRefusal => "minutes.refusal",
    RollRemove => "round.roll_remove",
    ReviewCreate => "review.create",
    ReviewOpen => "review.open",
    ReviewClose => "review.close",
    ReviewPublish => "review.publish",
    ReviewRespond => "review.respond",
    ReviewPaper => "review.paper",
    ReviewReconsult => "review.reconsult",
    ReviewSettings => "review.settings",
    // Projects (issue 12): plans, their vote and notice, execution, inspections, acceptance.
    PlanDraft => "plan.draft",
    PlanVote => "plan.vote",
    PlanDecide => "plan.decide",
    PlanNotice => "plan.notice",
    ProjectStart => "project.start",
    ProjectProgress => "project.progress",
    ProjectComplete => "project.complete",
    InspectionRecord => "inspection.record",
    InspectionRespond => "inspection.respond",
    InspectionClose => "inspection.close",
    AcceptanceRecord => "acceptance.record",
    ProjectSuspend => "project.suspend",
    ProjectResume => "project.resume",
    ProjectCancel => "project.cancel",
    AttachmentUpload => "attachment.upload",
    FundCreate => "fund.create",
    LedgerRecord => "ledger.record",
    LedgerPost => "ledger.post",
    LedgerReject => "ledger.reject",
    LedgerStatement => "ledger.statement",
    LedgerExport => "ledger.export",
    LedgerVoucherRead => "ledger.voucher_read",
    LedgerVerify => "ledger.verify",
    LedgerVoucher => "ledger.voucher",
}

impl Action {
    /// The action a stored name stands for; None for a name no action has.
    pub fn parse(text: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.as_str() == text)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::Action;

    #[test]
    fn every_action_reads_back_from_its_stored_name() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(*action));
        }
        let names: HashSet<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Action::ALL.len(), "two actions share a name");
        assert_eq!(Action::parse("ballot.cast"), Some(Action::BallotCast));
        assert_eq!(Action::parse("burn_it.all"), None);
        assert_eq!(Action::parse(""), None);
    }
}
