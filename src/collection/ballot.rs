//! What a household's ballot may hold, with no HTTP or SQL: 1..N suggestions, each with a
//! category from the round's list, a short title, details, a place and an optional cost guess;
//! and the receipt code the household keeps to find its ballot in the published list.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// How a ballot reached the round. A paper ballot locks the household's ballot: it is the one
/// the household signed, so online revisions are refused until a clerk voids it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BallotChannel {
    Kiosk,
    Phone,
    Paper,
}

impl BallotChannel {
    pub const ALL: [BallotChannel; 3] = [
        BallotChannel::Kiosk,
        BallotChannel::Phone,
        BallotChannel::Paper,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BallotChannel::Kiosk => "kiosk",
            BallotChannel::Phone => "phone",
            BallotChannel::Paper => "paper",
        }
    }

    pub fn parse(text: &str) -> Option<BallotChannel> {
        BallotChannel::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            BallotChannel::Kiosk => "ballot.channel.kiosk",
            BallotChannel::Phone => "ballot.channel.phone",
            BallotChannel::Paper => "ballot.channel.paper",
        }
    }

    pub fn is_paper(self) -> bool {
        self == BallotChannel::Paper
    }
}

pub const TITLE_MAX: usize = 60;
pub const DETAILS_MAX: usize = 500;
pub const PLACE_MAX: usize = 60;

/// A ballot form as typed, by a household online or by a clerk from paper: one entry per
/// suggestion row (repeated form keys), plus what the form was made from.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct BallotForm {
    pub category: Vec<String>,
    pub title: Vec<String>,
    pub details: Vec<String>,
    pub place: Vec<String>,
    pub cost: Vec<String>,
    /// Online: the ballot version the form was made from (0 for a first ballot).
    pub expected_version: String,
    /// Online: which button was pressed (preview, edit, confirm).
    pub step: String,
    /// Paper: the household's 户号, the paper's serial and the collection site.
    pub number: String,
    pub serial: String,
    pub site: String,
}

/// One suggestion as typed, for re-showing the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuggestionInput {
    pub category: String,
    pub title: String,
    pub details: String,
    pub place: String,
    pub cost: String,
}

impl SuggestionInput {
    fn is_blank(&self) -> bool {
        [&self.title, &self.details, &self.place, &self.cost]
            .iter()
            .all(|f| f.trim().is_empty())
    }
}

impl BallotForm {
    /// The rows as typed, padded to `rows` so the form always shows that many.
    pub fn rows(&self, rows: usize) -> Vec<SuggestionInput> {
        let get = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let typed = [
            &self.category,
            &self.title,
            &self.details,
            &self.place,
            &self.cost,
        ]
        .iter()
        .map(|v| v.len())
        .max()
        .unwrap_or(0);
        (0..typed.max(rows).min(40))
            .map(|i| SuggestionInput {
                category: get(&self.category, i),
                title: get(&self.title, i),
                details: get(&self.details, i),
                place: get(&self.place, i),
                cost: get(&self.cost, i),
            })
            .collect()
    }
}

/// A checked suggestion, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub category: String,
    pub title: String,
    pub details: String,
    pub place: String,
    pub cost_fen: Option<i64>,
}

impl Suggestion {
    /// Back to form rows, for revising a ballot.
    pub fn to_input(&self) -> SuggestionInput {
        SuggestionInput {
            category: self.category.clone(),
            title: self.title.clone(),
            details: self.details.clone(),
            place: self.place.clone(),
            cost: self
                .cost_fen
                .map(|f| format!("{}.{:02}", f / 100, f % 100))
                .unwrap_or_default(),
        }
    }
}

/// A problem in a ballot: which row (1-based; 0 for the ballot as a whole), which field, and
/// the i18n key of the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotError {
    pub row: usize,
    pub field: &'static str,
    pub message_key: &'static str,
}

impl BallotError {
    /// The message for a field of a row, for the template.
    pub fn find<'a>(errors: &'a [BallotError], row: usize, field: &str) -> Option<&'a BallotError> {
        errors.iter().find(|e| e.row == row && e.field == field)
    }
}

fn clean(text: &str) -> String {
    // Keep line breaks in details, drop other control characters a copy-paste may bring.
    text.trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

/// Checks the rows against the round's categories and limits. Blank rows are skipped.
pub fn validate(
    rows: &[SuggestionInput],
    categories: &[String],
    min: usize,
    max: usize,
) -> Result<Vec<Suggestion>, Vec<BallotError>> {
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    for (i, input) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let row = i + 1;
        let mut add = |field, message_key| {
            errors.push(BallotError {
                row,
                field,
                message_key,
            })
        };
        let category = input.category.trim().to_string();
        if !categories.contains(&category) {
            add("category", "ballot.error.category");
        }
        let title = clean(&input.title).replace('\n', " ");
        if title.is_empty() {
            add("title", "ballot.error.title_required");
        } else if title.chars().count() > TITLE_MAX {
            add("title", "ballot.error.title_long");
        }
        let details = clean(&input.details);
        if details.chars().count() > DETAILS_MAX {
            add("details", "ballot.error.details_long");
        }
        let place = clean(&input.place).replace('\n', " ");
        if place.chars().count() > PLACE_MAX {
            add("place", "ballot.error.place_long");
        }
        let cost_fen = match input.cost.trim() {
            "" => None,
            typed => {
                let parsed = crate::money::parse_yuan(typed);
                if parsed.is_none() {
                    add("cost", "ballot.error.cost");
                }
                parsed
            }
        };
        valid.push(Suggestion {
            category,
            title,
            details,
            place,
            cost_fen,
        });
    }
    if valid.len() < min {
        errors.push(BallotError {
            row: 0,
            field: "ballot",
            message_key: "ballot.error.too_few",
        });
    }
    if valid.len() > max {
        errors.push(BallotError {
            row: 0,
            field: "ballot",
            message_key: "ballot.error.too_many",
        });
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// Crockford's base32 without I, L, O, U: nothing to misread on a slip of paper.
const RECEIPT_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh receipt code, `XXXX-XXXX`: 40 random bits. Uniqueness in the round is the
/// database's job (a unique constraint; the store draws again on a collision).
pub fn new_receipt(rng: &mut impl Rng) -> String {
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        code.push(char::from(
            RECEIPT_ALPHABET[rng.random_range(0..RECEIPT_ALPHABET.len())],
        ));
    }
    code
}

/// Normalises a receipt as a person types it when looking it up: upper case, O→0, I/L→1.
pub fn normalise_receipt(text: &str) -> String {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if compact.len() == 8 {
        format!("{}-{}", &compact[..4], &compact[4..])
    } else {
        compact
    }
}

#[cfg(test)]
mod tests;
