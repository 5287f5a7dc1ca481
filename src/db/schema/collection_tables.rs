//! Tables of collection rounds: rounds, frozen rolls, sites, ballots with their suggestions, paper entries.

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
    roll_removals (round_id, household_id) {
        round_id -> BigInt,
        household_id -> BigInt,
        reason -> Text,
        removed_by -> BigInt,
        removed_at -> Timestamp,
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
        staff_custodian_one -> Nullable<Text>,
        staff_custodian_two -> Nullable<Text>,
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
    /// A closed round's turnout per group, written once when it closes (migration 000022).
    round_group_tallies (round_id, group_id) {
        round_id -> BigInt,
        group_id -> BigInt,
        roll -> BigInt,
        ballots -> BigInt,
    }
}

diesel::table! {
    /// A closed round's counted suggestions per category, written once when it closes.
    round_category_tallies (round_id, category) {
        round_id -> BigInt,
        category -> Text,
        suggestions -> BigInt,
    }
}

diesel::table! {
    /// The supervisory board's remarks on a round (migration 000038); never changed.
    supervisor_remarks (id) {
        id -> BigInt,
        round_id -> BigInt,
        staff_id -> BigInt,
        staff_name -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}
