//! Tables of the council: meetings, attendance, motions, recusals, votes, minutes, candidates,
//! settings, and the snapshots taken when motions open and close and meetings close.

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
        agenda -> Text,
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
    attendance_changes (id) {
        id -> BigInt,
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
        chair_id -> Nullable<BigInt>,
        chair_name -> Nullable<Text>,
        recorder_id -> Nullable<BigInt>,
        recorder_name -> Nullable<Text>,
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
    minute_refusals (meeting_id, staff_id) {
        meeting_id -> BigInt,
        staff_id -> BigInt,
        reason -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
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

diesel::table! {
    /// Who counted on a motion, taken when it opened (snapshot; frozen once the motion closes).
    motion_roll (motion_id, staff_id) {
        motion_id -> BigInt,
        staff_id -> BigInt,
        display_name -> Text,
        present_at_open -> Bool,
        present_at_close -> Nullable<Bool>,
        recused -> Bool,
        recusal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    /// A motion's tally inputs and result, written once when it closes, lapses or is withdrawn.
    motion_tallies (motion_id) {
        motion_id -> BigInt,
        result -> Text,
        members -> Integer,
        present -> Integer,
        quorum_needed -> Integer,
        recused -> Integer,
        yes -> Integer,
        no -> Integer,
        abstain -> Integer,
        base -> Integer,
        needed -> Integer,
        withdrawn_reason -> Nullable<Text>,
        closed_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// A meeting's attendance with the names then, taken when the meeting closed.
    meeting_roll (meeting_id, staff_id) {
        meeting_id -> BigInt,
        staff_id -> BigInt,
        display_name -> Text,
        status -> Text,
    }
}

// A motion is read together with its tally's result in one statement (a left join), so a read
// racing with a close never sees one without the other.
diesel::allow_tables_to_appear_in_same_query!(motions, motion_tallies);
