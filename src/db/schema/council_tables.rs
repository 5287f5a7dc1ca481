//! Tables of the council: meetings, attendance, motions, recusals, votes, minutes, candidates, projects, settings.

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
