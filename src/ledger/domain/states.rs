//! The ledger's enums, each with its stored name and its label key in one place: entry kind,
//! entry state and the hash algorithm of a fund's chain.

macro_rules! stored_enum {
    ($name:ident { $($variant:ident => ($text:literal, $key:literal)),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
        }
    };
}

stored_enum!(EntryKind {
    Allocation => ("allocation", "ledger.kind.allocation"),
    Expense => ("expense", "ledger.kind.expense"),
    Reversal => ("reversal", "ledger.kind.reversal"),
});

stored_enum!(EntryState {
    Pending => ("pending", "ledger.state.pending"),
    Posted => ("posted", "ledger.state.posted"),
    Rejected => ("rejected", "ledger.state.rejected"),
});

stored_enum!(HashAlgorithm {
    Sha256 => ("sha256", "ledger.algorithm.sha256"),
    Sm3 => ("sm3", "ledger.algorithm.sm3"),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_stored_name() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(*k));
        }
        for s in EntryState::ALL {
            assert_eq!(EntryState::parse(s.as_str()), Some(*s));
        }
        for a in HashAlgorithm::ALL {
            assert_eq!(HashAlgorithm::parse(a.as_str()), Some(*a));
        }
        assert_eq!(EntryState::parse("deleted"), None);
        assert_eq!(HashAlgorithm::parse("md5"), None);
    }
}
