//! Table definitions, written by hand with the SQL types both backends share
//! (BigInt ids, Text, Integer, Bool, Timestamp). Keep in step with both migration folders.
//! The foundation's tables are here; each part of the cycle keeps its own in a file beside.

mod collection_tables;
mod council_tables;
mod ledger_tables;
mod notice_tables;
mod project_tables;
mod project_work_tables;
mod review_tables;
mod security_tables;

pub use collection_tables::*;
pub use council_tables::*;
pub use ledger_tables::*;
pub use notice_tables::*;
pub use project_tables::*;
pub use project_work_tables::*;
pub use review_tables::*;
pub use security_tables::*;

diesel::table! {
    townships (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    villages (id) {
        id -> BigInt,
        township_id -> BigInt,
        code -> Text,
        name -> Text,
        created_at -> Timestamp,
        supervision_phone -> Text,
    }
}

diesel::table! {
    village_groups (id) {
        id -> BigInt,
        village_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    households (id) {
        id -> BigInt,
        village_id -> BigInt,
        group_id -> BigInt,
        number -> Text,
        head_name -> Text,
        members -> Integer,
        status -> Text,
        pin_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
        must_change_password -> Bool,
        must_enrol_second_factor -> Bool,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> BigInt,
        staff_id -> BigInt,
        role -> Text,
        township_id -> Nullable<BigInt>,
        village_id -> Nullable<BigInt>,
        group_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        term_ends_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor -> Text,
        action -> Text,
        subject -> Text,
        township_id -> Nullable<BigInt>,
        address -> Nullable<Text>,
        outcome -> Text,
        detail -> Text,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        gave_up_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::joinable!(villages -> townships (township_id));
diesel::joinable!(village_groups -> villages (village_id));
diesel::joinable!(households -> villages (village_id));
diesel::joinable!(households -> village_groups (group_id));
diesel::joinable!(role_assignments -> staff (staff_id));
diesel::joinable!(collection_rounds -> villages (village_id));
diesel::joinable!(round_roll -> households (household_id));
diesel::joinable!(ballots -> households (household_id));
diesel::joinable!(ballots -> collection_rounds (round_id));
diesel::joinable!(suggestions -> ballots (ballot_id));
diesel::joinable!(objections -> notices (notice_id));
diesel::joinable!(notices -> villages (village_id));
diesel::joinable!(motions -> meetings (meeting_id));
diesel::joinable!(candidate_suggestions -> suggestions (suggestion_id));
diesel::joinable!(candidate_suggestions -> candidates (candidate_id));
diesel::joinable!(votes -> staff (staff_id));
diesel::joinable!(attendance -> staff (staff_id));

diesel::table! {
    /// One-time tokens of create and publish forms (`web::once`).
    form_submissions (token) {
        token -> Text,
        form -> Text,
        result_path -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    townships,
    villages,
    village_groups,
    households,
    staff,
    role_assignments,
    login_throttle,
    audit_events,
    outbox,
    collection_rounds,
    round_roll,
    roll_removals,
    round_group_tallies,
    round_category_tallies,
    supervisor_remarks,
    collection_sites,
    ballots,
    suggestions,
    paper_entries,
    notice_periods,
    notices,
    objections,
    meetings,
    attendance,
    attendance_changes,
    motions,
    recusals,
    votes,
    minutes,
    minute_signatures,
    minute_refusals,
    candidates,
    candidate_suggestions,
    projects,
    project_plans,
    plan_budget_lines,
    plan_funding,
    plan_participants,
    attachments,
    project_progress,
    project_inspections,
    project_acceptances,
    acceptance_participants,
    progress_attachments,
    inspection_attachments,
    acceptance_attachments,
    council_settings,
    session_epochs,
    audit_chain_head,
    staff_totp,
    staff_recovery_codes,
    funds,
    ledger_entries,
    ledger_vouchers,
);
