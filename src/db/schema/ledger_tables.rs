//! Tables of the earmarked-fund ledger: funds, their entries (hash-chained once posted) and
//! the vouchers linked from the attachment store.

diesel::table! {
    funds (id) {
        id -> BigInt,
        village_id -> BigInt,
        year -> Integer,
        name -> Text,
        source -> Text,
        allocation_fen -> BigInt,
        hash_algorithm -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_entries (id) {
        id -> BigInt,
        fund_id -> BigInt,
        kind -> Text,
        state -> Text,
        voucher -> Text,
        entry_date -> Date,
        payee -> Text,
        description -> Text,
        amount_fen -> BigInt,
        project_id -> Nullable<BigInt>,
        reverses_id -> Nullable<BigInt>,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        reject_reason -> Nullable<Text>,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    ledger_vouchers (entry_id, attachment_id) {
        entry_id -> BigInt,
        attachment_id -> BigInt,
    }
}

diesel::joinable!(ledger_entries -> funds (fund_id));
diesel::joinable!(ledger_vouchers -> ledger_entries (entry_id));
