//! Text that cannot be stored: a NUL or another control character (PostgreSQL refuses NUL in
//! text; none comes from a person typing) or bytes that are not UTF-8. Forms are cleaned before a
//! handler sees them (the characters dropped, broken bytes replaced with U+FFFD) and the fields
//! that had to be cleaned are kept in [`TextProblems`], so the handler answers with its own form
//! page, what was typed kept, a message beside each such field, and nothing written.

use crate::validation::FieldErrors;

/// The message shown beside a field that had to be cleaned.
pub const FIELD_MESSAGE: &str = "error.invalid_text_field";

/// The fields of one submitted form whose text had to be cleaned, in the order sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextProblems {
    fields: Vec<String>,
}

impl TextProblems {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    fn add(&mut self, field: &str) {
        if !self.fields.iter().any(|f| f == field) {
            self.fields.push(field.to_string());
        }
    }

    /// The form rule's answer, made a refusal when any field had to be cleaned: the cleaned text
    /// is not what the person sent, so it is shown again to be checked, never written. The one
    /// line every form handler puts around its validation.
    pub fn check<V>(&self, checked: Result<V, FieldErrors>) -> Result<V, FieldErrors> {
        if self.is_empty() {
            return checked;
        }
        let mut errors = checked.err().unwrap_or_default();
        errors.put_first(self.fields.iter().cloned(), FIELD_MESSAGE);
        Err(errors)
    }

    /// The message to show when the form shows one message, not one per field.
    pub fn message(&self) -> Option<&'static str> {
        (!self.is_empty()).then_some(FIELD_MESSAGE)
    }

    /// The errors a handler starts from when it adds its own one by one.
    pub fn errors(&self) -> FieldErrors {
        self.check(Ok(())).err().unwrap_or_default()
    }
}

/// Keeps what can be stored of one decoded value: invalid UTF-8 becomes U+FFFD, control
/// characters other than tab, line feed and carriage return are dropped; `true` when anything
/// had to change.
pub fn clean_value(bytes: &[u8]) -> (String, bool) {
    let text = String::from_utf8_lossy(bytes);
    let mut changed = matches!(text, std::borrow::Cow::Owned(_));
    let kept: String = text
        .chars()
        .filter(|&c| {
            let bad = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
            changed |= bad;
            !bad
        })
        .collect();
    (kept, changed)
}

/// Decodes a url-encoded body into its pairs, each name and value cleaned, and the names of the
/// fields that had to be cleaned.
pub fn clean_pairs(body: &[u8]) -> (Vec<(String, String)>, TextProblems) {
    let mut problems = TextProblems::default();
    let mut pairs = Vec::new();
    for part in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match part.iter().position(|&b| b == b'=') {
            Some(at) => (&part[..at], &part[at + 1..]),
            None => (part, &[][..]),
        };
        let (name, bad_name) = clean_value(&decode(name));
        let (value, bad_value) = clean_value(&decode(value));
        if bad_name || bad_value {
            problems.add(&name);
        }
        pairs.push((name, value));
    }
    (pairs, problems)
}

/// The pairs encoded again, for the form's deserializer.
pub fn encode_pairs(pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out.into_bytes()
}

/// Percent-decoding of `application/x-www-form-urlencoded` (`+` is a space).
fn decode(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(body: &[u8]) -> (Vec<(String, String)>, Vec<String>) {
        let (pairs, problems) = clean_pairs(body);
        (pairs, problems.fields().to_vec())
    }

    #[test]
    fn control_characters_are_dropped_raw_or_encoded_and_the_field_named() {
        let (pairs, bad) = cleaned(b"title=a%00b&body=x%1fy%7Fz&n=1");
        assert_eq!(pairs[0], ("title".into(), "ab".into()));
        assert_eq!(pairs[1], ("body".into(), "xyz".into()));
        assert_eq!(bad, ["title", "body"]);
        let (pairs, bad) = cleaned(b"title=a\x00b");
        assert_eq!(pairs[0].1, "ab");
        assert_eq!(bad, ["title"]);
    }

    #[test]
    fn line_breaks_tabs_and_chinese_are_text() {
        let (pairs, bad) = cleaned(b"body=line%0D%0Aline%09tab&t=%E6%9D%91%E9%81%93&x=100%25+a");
        assert!(bad.is_empty());
        assert_eq!(pairs[0].1, "line\r\nline\ttab");
        assert_eq!(pairs[1].1, "村道");
        assert_eq!(pairs[2].1, "100% a");
        let (pairs, bad) = cleaned(b"x=%&y=%0");
        assert!(bad.is_empty());
        assert_eq!(pairs, [("x".into(), "%".into()), ("y".into(), "%0".into())]);
    }

    #[test]
    fn bytes_that_are_not_utf8_become_the_replacement_character() {
        let (pairs, bad) = cleaned(b"title=a%FF%FEb&raw=\xff");
        assert_eq!(pairs[0].1, "a\u{fffd}\u{fffd}b");
        assert_eq!(pairs[1].1, "\u{fffd}");
        assert_eq!(bad, ["title", "raw"]);
    }

    #[test]
    fn encoding_the_cleaned_pairs_decodes_to_the_same_pairs() {
        let (pairs, _) = cleaned(b"a=%E6%9D%91+x%26y%3D&b=%0D%0A&c=");
        let (again, bad) = cleaned(&encode_pairs(&pairs));
        assert_eq!(again, pairs);
        assert!(bad.is_empty());
    }

    #[test]
    fn a_cleaned_field_turns_the_rule_s_answer_into_errors_first_beside_that_field() {
        let (_, problems) = clean_pairs(b"title=a%00&body=b");
        let mut own = FieldErrors::new();
        own.add("title", "rule.title");
        own.add("body", "rule.body");
        let errors = problems.check::<()>(Err(own)).unwrap_err();
        assert_eq!(errors.get("title"), Some(FIELD_MESSAGE));
        assert_eq!(errors.get("body"), Some("rule.body"));
        assert_eq!(
            problems.check(Ok(1)).unwrap_err().get("title"),
            Some(FIELD_MESSAGE)
        );
        let none = TextProblems::default();
        assert_eq!(none.check(Ok(1)), Ok(1));
        assert!(none.errors().is_empty());
    }
}
