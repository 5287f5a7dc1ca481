//! Tables of the semiannual satisfaction reviews (监督评议会): reviews, their items and frozen
//! rolls, who took part (participation) apart from what was answered (answers: random TEXT id,
//! no household, date only), flags of items under the threshold and re-consultations.

diesel::table! {
    review_settings (village_id) {
        village_id -> BigInt,
        formula -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reviews (id) {
        id -> BigInt,
        village_id -> BigInt,
        year -> Integer,
        half -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        state -> Text,
        formula -> Text,
        roll_size -> Nullable<Integer>,
        notice_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review_items (id) {
        id -> BigInt,
        review_id -> BigInt,
        position -> Integer,
        kind -> Text,
        project_id -> Nullable<BigInt>,
        motion_id -> Nullable<BigInt>,
        title -> Text,
        carried_from -> Nullable<BigInt>,
    }
}

diesel::table! {
    review_roll (review_id, household_id) {
        review_id -> BigInt,
        household_id -> BigInt,
    }
}

diesel::table! {
    review_participation (review_id, household_id) {
        review_id -> BigInt,
        household_id -> BigInt,
        channel -> Text,
        entered_by -> Nullable<BigInt>,
        responded_at -> Timestamp,
    }
}

diesel::table! {
    review_answers (id) {
        id -> Text,
        item_id -> BigInt,
        rating -> Text,
        comment -> Nullable<Text>,
        answered_on -> Date,
    }
}

diesel::table! {
    review_flags (item_id) {
        item_id -> BigInt,
        review_id -> BigInt,
        favourable -> Integer,
        valid -> Integer,
        flagged_at -> Timestamp,
    }
}

diesel::table! {
    review_reconsultations (item_id) {
        item_id -> BigInt,
        held_on -> Date,
        method -> Text,
        heard -> Text,
        changes -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(review_items -> reviews (review_id));
diesel::joinable!(review_answers -> review_items (item_id));
diesel::joinable!(review_flags -> review_items (item_id));
diesel::allow_tables_to_appear_in_same_query!(
    reviews,
    review_items,
    review_roll,
    review_participation,
    review_answers,
    review_flags,
    review_reconsultations,
    review_settings,
);
