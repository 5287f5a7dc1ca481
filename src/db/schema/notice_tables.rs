//! Tables of public notices: periods per kind, notices, objections.

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
