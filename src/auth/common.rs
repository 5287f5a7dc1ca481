//! Passwords anyone would try first: a bundled list of 20,000 common passwords (see the header
//! of `common-passwords.txt` for where it comes from), and passwords built from a word the
//! attacker knows (the username, the village, the product's name) plus digits and symbols.

use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("common-passwords.txt");

/// The product's names: a password built from them is the first guess against any install.
pub const PRODUCT_WORDS: [&str; 2] = ["minyi", "民意"];

fn list() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .filter(|l| !l.is_empty() && *l != "#" && !l.starts_with("# "))
            .collect()
    })
}

/// How many passwords the bundled list holds.
pub fn list_len() -> usize {
    list().len()
}

/// Letters written as digits or symbols inside a word (`P@ssw0rd`).
fn unleet(c: char) -> Option<char> {
    Some(match c {
        '@' | '4' => 'a',
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '$' | '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// The word a password is built around: lower case, digits and symbols between letters read
/// as the letters they imitate, everything else that is not a letter dropped. `Admin@2026` →
/// `admin`, `P@ssw0rd1!` → `password`.
pub fn core_word(password: &str) -> String {
    let chars: Vec<char> = password.to_lowercase().chars().collect();
    let first = chars.iter().position(|c| c.is_alphabetic());
    let last = chars.iter().rposition(|c| c.is_alphabetic());
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    chars[first..=last]
        .iter()
        .filter_map(|&c| {
            if c.is_alphabetic() {
                Some(c)
            } else {
                unleet(c)
            }
        })
        .collect()
}

/// Why a password is too easy to guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guessable {
    /// In the list, as typed or around its core word (`Password123`).
    Common,
    /// Built from the username, a place name or the product's name (`Minyi2026!`).
    FromKnownWord,
}

/// Checks a password against the list and against `known_words` (username, display name,
/// place names and codes; the product's names are always added). A known word counts when it
/// has at least three characters and what is left of the core word without it is shorter
/// than four letters.
pub fn guessable(password: &str, known_words: &[&str]) -> Option<Guessable> {
    let lower = password.to_lowercase();
    let core = core_word(password);
    if list().contains(lower.as_str()) || (!core.is_empty() && list().contains(core.as_str())) {
        return Some(Guessable::Common);
    }
    // A known word counts by its own core (`clerk1` → `clerk`), when that is long enough to
    // mean something: three letters, or two Chinese characters.
    let words = known_words
        .iter()
        .chain(PRODUCT_WORDS.iter())
        .map(|w| core_word(w))
        .filter(|w| w.chars().count() >= 3 || (w.chars().count() >= 2 && !w.is_ascii()));
    for word in words {
        if core.contains(&word) && core.replace(&word, "").chars().count() < 4 {
            return Some(Guessable::FromKnownWord);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_list_holds_at_least_ten_thousand_passwords() {
        assert!(list_len() >= 10_000, "{}", list_len());
        assert!(list().contains("password"));
        assert!(
            list().contains("#1bitch"),
            "entries starting with # are not comments"
        );
    }

    #[test]
    fn the_issues_examples_are_refused() {
        assert_eq!(guessable("Password123", &[]), Some(Guessable::Common));
        assert_eq!(guessable("Admin@2026", &[]), Some(Guessable::Common));
        assert_eq!(guessable("Minyi2026!", &[]), Some(Guessable::FromKnownWord));
        assert_eq!(guessable("P@ssw0rd2026!", &[]), Some(Guessable::Common));
        assert_eq!(
            guessable("民意Ab2026!", &[]),
            Some(Guessable::FromKnownWord)
        );
    }

    #[test]
    fn words_the_attacker_knows_are_refused() {
        assert_eq!(
            guessable("Zhangcun#2026", &["clerk1", "zhangcun"]),
            Some(Guessable::FromKnownWord)
        );
        assert_eq!(
            guessable("Clerk1-2026!", &["clerk1"]),
            Some(Guessable::FromKnownWord)
        );
    }

    #[test]
    fn a_long_unguessable_password_passes() {
        assert_eq!(
            guessable("Wkq7-Horse-Lamp-93", &["clerk1", "zhangcun"]),
            None
        );
        assert_eq!(guessable("kP3nQx9rTz-42", &["admin"]), None);
    }

    #[test]
    fn the_core_word_reads_symbols_between_letters() {
        assert_eq!(core_word("Admin@2026"), "admin");
        assert_eq!(core_word("P@ssw0rd1!"), "password");
        assert_eq!(core_word("2026!!"), "");
    }
}
