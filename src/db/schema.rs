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

diesel::joinable!(villages -> townships (township_id));
diesel::joinable!(village_groups -> villages (village_id));
diesel::joinable!(households -> villages (village_id));
diesel::joinable!(households -> village_groups (group_id));
diesel::joinable!(role_assignments -> staff (staff_id));

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
);
