//! Tables of projects: the project with its lifecycle status, its plan versions with budget
//! lines, funding sources and drafting participants, and the attachment store.

diesel::table! {
    projects (id) {
        id -> BigInt,
        village_id -> BigInt,
        candidate_id -> BigInt,
        title -> Text,
        status -> Text,
        approved_by_motion -> BigInt,
        created_at -> Timestamp,
        category -> Text,
        suspended_from -> Nullable<Text>,
        status_reason -> Nullable<Text>,
        status_changed_at -> Timestamp,
    }
}

diesel::table! {
    project_plans (id) {
        id -> BigInt,
        project_id -> BigInt,
        version -> Integer,
        method -> Text,
        starts_on -> Date,
        ends_on -> Date,
        contractor_selection -> Nullable<Text>,
        total_fen -> BigInt,
        state -> Text,
        motion_id -> Nullable<BigInt>,
        notice_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_budget_lines (plan_id, position) {
        plan_id -> BigInt,
        position -> Integer,
        item -> Text,
        quantity_hundredths -> BigInt,
        unit -> Text,
        unit_price_fen -> BigInt,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    plan_funding (plan_id, source) {
        plan_id -> BigInt,
        source -> Text,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    plan_participants (plan_id, position) {
        plan_id -> BigInt,
        position -> Integer,
        role -> Text,
        name -> Text,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        village_id -> BigInt,
        sha256 -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        file_name -> Text,
        uploaded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(project_plans -> projects (project_id));
diesel::joinable!(plan_budget_lines -> project_plans (plan_id));
diesel::joinable!(plan_funding -> project_plans (plan_id));
diesel::joinable!(plan_participants -> project_plans (plan_id));
