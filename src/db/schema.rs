//! Table definitions, written by hand with the SQL types both backends share
//! (BigInt ids, Text, Integer, Bool, Timestamp). Keep in step with both migration folders.

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

diesel::table! {
    collection_rounds (id) {
        id -> BigInt,
        village_id -> BigInt,
        title -> Text,
        year -> Integer,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        min_suggestions -> Integer,
        max_suggestions -> Integer,
        categories -> Text,
        double_entry -> Bool,
        state -> Text,
        roll_size -> Nullable<Integer>,
        roll_hash -> Nullable<Text>,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    round_roll (round_id, household_id) {
        round_id -> BigInt,
        household_id -> BigInt,
        group_id -> BigInt,
        added_reason -> Nullable<Text>,
        added_by -> Nullable<BigInt>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    collection_sites (id) {
        id -> BigInt,
        round_id -> BigInt,
        name -> Text,
        papers_issued -> Nullable<Integer>,
        papers_returned -> Nullable<Integer>,
        papers_spoiled -> Nullable<Integer>,
        custodian_one -> Nullable<Text>,
        custodian_two -> Nullable<Text>,
        certified_by -> Nullable<BigInt>,
        certified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ballots (id) {
        id -> BigInt,
        round_id -> BigInt,
        household_id -> BigInt,
        group_id -> BigInt,
        channel -> Text,
        receipt -> Text,
        version -> Integer,
        paper_serial -> Nullable<Text>,
        site_id -> Nullable<BigInt>,
        entered_by -> Nullable<BigInt>,
        voided_at -> Nullable<Timestamp>,
        voided_by -> Nullable<BigInt>,
        void_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    suggestions (id) {
        id -> BigInt,
        ballot_id -> BigInt,
        version -> Integer,
        position -> Integer,
        category -> Text,
        title -> Text,
        details -> Text,
        place -> Text,
        cost_fen -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    paper_entries (id) {
        id -> BigInt,
        round_id -> BigInt,
        household_id -> BigInt,
        paper_serial -> Text,
        site_id -> Nullable<BigInt>,
        entered_by -> BigInt,
        content -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notice_periods (village_id, kind) {
        village_id -> BigInt,
        kind -> Text,
        days -> Integer,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        village_id -> BigInt,
        kind -> Text,
        title -> Text,
        body -> Text,
        subject -> Nullable<Text>,
        period_days -> Integer,
        state -> Text,
        published_at -> Nullable<Timestamp>,
        period_ends_at -> Nullable<Timestamp>,
        content_hash -> Nullable<Text>,
        supersedes_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    objections (id) {
        id -> BigInt,
        notice_id -> BigInt,
        household_id -> BigInt,
        channel -> Text,
        body -> Text,
        recorded_by -> Nullable<BigInt>,
        filed_at -> Timestamp,
        answer_due_at -> Timestamp,
        answer -> Nullable<Text>,
        upheld -> Nullable<Bool>,
        answered_by -> Nullable<BigInt>,
        answered_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        village_id -> BigInt,
        group_id -> Nullable<BigInt>,
        title -> Text,
        place -> Text,
        starts_at -> Timestamp,
        state -> Text,
        quorum_numerator -> Integer,
        quorum_denominator -> Integer,
        convened_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attendance (meeting_id, staff_id) {
        meeting_id -> BigInt,
        staff_id -> BigInt,
        status -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    motions (id) {
        id -> BigInt,
        meeting_id -> BigInt,
        kind -> Text,
        text -> Text,
        rule_base -> Text,
        rule_numerator -> Integer,
        rule_denominator -> Integer,
        rule_strict -> Bool,
        rule_min_yes -> Integer,
        state -> Text,
        members_at_open -> Nullable<Integer>,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        passed -> Nullable<Bool>,
        outcome_zh -> Nullable<Text>,
        outcome_en -> Nullable<Text>,
        created_at -> Timestamp,
        candidate_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    recusals (motion_id, staff_id) {
        motion_id -> BigInt,
        staff_id -> BigInt,
        reason -> Text,
        declared_at -> Timestamp,
    }
}

diesel::table! {
    votes (motion_id, staff_id) {
        motion_id -> BigInt,
        staff_id -> BigInt,
        choice -> Text,
        recorded_by -> Nullable<BigInt>,
        cast_at -> Timestamp,
    }
}

diesel::table! {
    minutes (meeting_id) {
        meeting_id -> BigInt,
        body -> Text,
        clerk_notes -> Text,
        content_hash -> Nullable<Text>,
        locked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    minute_signatures (meeting_id, staff_id) {
        meeting_id -> BigInt,
        staff_id -> BigInt,
        signed_at -> Timestamp,
    }
}

diesel::table! {
    candidates (id) {
        id -> BigInt,
        village_id -> BigInt,
        round_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        category -> Text,
        group_id -> Nullable<BigInt>,
        rough_cost_fen -> Nullable<BigInt>,
        temporary -> Bool,
        state -> Text,
        merged_into -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    candidate_suggestions (suggestion_id) {
        suggestion_id -> BigInt,
        candidate_id -> BigInt,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        village_id -> BigInt,
        candidate_id -> BigInt,
        title -> Text,
        status -> Text,
        approved_by_motion -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    council_settings (village_id) {
        village_id -> BigInt,
        quorum_numerator -> Integer,
        quorum_denominator -> Integer,
        rule_base -> Text,
        rule_numerator -> Integer,
        rule_denominator -> Integer,
        rule_strict -> Bool,
        rule_min_yes -> Integer,
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
    collection_sites,
    ballots,
    suggestions,
    paper_entries,
    notice_periods,
    notices,
    objections,
    meetings,
    attendance,
    motions,
    recusals,
    votes,
    minutes,
    minute_signatures,
    candidates,
    candidate_suggestions,
    projects,
    council_settings,
);
