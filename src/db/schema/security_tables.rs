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
