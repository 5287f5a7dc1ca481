//! Tables of the security controls: session generations and the head of the audit hash chain.

diesel::table! {
    /// One session generation per signed-in party (`staff:3`, `household:12`); no row is 0.
    session_epochs (principal) {
        principal -> Text,
        epoch -> BigInt,
    }
}

diesel::table! {
    /// The single row every audit append updates first: it serializes appends and holds the
    /// hash of the newest event.
    audit_chain_head (id) {
        id -> BigInt,
        appended -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    /// A staff account's TOTP secret (base32); unconfirmed until the first code is typed.
    staff_totp (staff_id) {
        staff_id -> BigInt,
        secret -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_step -> BigInt,
    }
}

diesel::table! {
    /// One-time recovery codes (SHA-256 of each) of a staff account.
    staff_recovery_codes (id) {
        id -> BigInt,
        staff_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}
