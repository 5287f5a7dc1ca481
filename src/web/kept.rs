//! One form of a page that holds several, sent back to that page when it is refused: which form
//! it was, what was typed in it and the messages, beside the fields or above the form. The
//! template asks for a field's value by form and name, so the other forms of the page keep
//! their usual values and only the form that was sent shows what was typed.

use serde::Serialize;

use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;

/// The field name of a message about the form as a whole (a rule no single field breaks).
pub const WHOLE: &str = "_form";

/// The form that was sent, as typed, with why it was refused; `Kept::default()` when none was.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    /// The form's name on its page (the last part of its action, or its motion's id with it).
    form: String,
    /// The pairs as sent (after `web::text` cleaning), in order: repeated names stay repeated.
    values: Vec<(String, String)>,
    errors: FieldErrors,
}

impl Kept {
    /// `sent` is the handler's form struct: every field it read is shown again.
    pub fn new(form: impl Into<String>, sent: &impl Serialize, errors: FieldErrors) -> Kept {
        let encoded = serde_html_form::to_string(sent).unwrap_or_default();
        let (values, _) = crate::web::text::clean_pairs(encoded.as_bytes());
        Kept {
            form: form.into(),
            values,
            errors,
        }
    }

    /// The same form refused by a command's rule (`AppError::Unprocessable`): its message is
    /// shown above the form; any other error is not a refusal of what was typed and is returned.
    pub fn refused(
        form: impl Into<String>,
        sent: &impl Serialize,
        err: AppError,
    ) -> Result<Kept, AppError> {
        match err {
            AppError::Unprocessable(key) => {
                let mut errors = FieldErrors::new();
                errors.add(WHOLE, key);
                Ok(Kept::new(form, sent, errors))
            }
            other => Err(other),
        }
    }

    /// Whether any form was sent back (the page is then a 422).
    pub fn is_sent(&self) -> bool {
        !self.form.is_empty()
    }

    /// Whether `form` is the one that was sent.
    pub fn is(&self, form: &str) -> bool {
        !self.form.is_empty() && self.form == form
    }

    /// What was typed in `field` of `form`, or `usual` when another form (or none) was sent.
    pub fn or<'a>(&'a self, form: &str, field: &str, usual: &'a str) -> &'a str {
        self.nth(form, field, 0).unwrap_or(usual)
    }

    /// What was typed in `field` of `form`; empty when another form was sent.
    pub fn get(&self, form: &str, field: &str) -> &str {
        self.or(form, field, "")
    }

    /// The `i`-th value sent under `field` (repeated rows), when `form` was the one sent.
    pub fn nth(&self, form: &str, field: &str, i: usize) -> Option<&str> {
        if !self.is(form) {
            return None;
        }
        self.values
            .iter()
            .filter(|(name, _)| name == field)
            .nth(i)
            .map(|(_, value)| value.as_str())
    }

    /// How many values were sent under `field` of `form` (rows of a repeated field).
    pub fn count(&self, form: &str, field: &str) -> usize {
        if !self.is(form) {
            return 0;
        }
        self.values.iter().filter(|(name, _)| name == field).count()
    }

    /// Whether `value` was sent under `field` of `form` (a choice of a select or checkbox).
    pub fn chose(&self, form: &str, field: &str, value: &str) -> bool {
        self.is(form)
            && self
                .values
                .iter()
                .any(|(name, sent)| name == field && sent == value)
    }

    /// The message beside `field` of `form`, if that form was sent and the field refused.
    pub fn error(&self, form: &str, field: &str) -> Option<&'static str> {
        if self.is(form) {
            self.errors.get(field)
        } else {
            None
        }
    }

    /// The first message of the form sent, wherever it belongs (for a page that cannot place it).
    pub fn first(&self) -> Option<&'static str> {
        self.errors.iter().next().map(|(_, key)| key)
    }

    /// The message above `form`: a rule of the whole form, else "fix the fields below".
    pub fn alert(&self, form: &str) -> Option<&'static str> {
        if !self.is(form) || self.errors.is_empty() {
            return None;
        }
        Some(self.errors.get(WHOLE).unwrap_or("form.fix_below"))
    }
}

/// Writes a form's checked input with `command` in one transaction, unless the checks refused
/// it: `Ok(Err(kept))` is the form to show again, with the checks' messages or the command's
/// refusal; any other error of the command is returned as it is.
pub async fn write<I, T, F>(
    db: &Db,
    form: impl Into<String>,
    sent: &impl Serialize,
    checked: Result<I, FieldErrors>,
    command: F,
) -> AppResult<Result<T, Kept>>
where
    F: FnOnce(&mut DbConn, I) -> AppResult<T> + Send + 'static,
    I: Send + 'static,
    T: Send + 'static,
{
    match checked {
        Err(errors) => Ok(Err(Kept::new(form, sent, errors))),
        Ok(input) => match db.tx(move |conn| command(conn, input)).await {
            Ok(done) => Ok(Ok(done)),
            Err(err) => Kept::refused(form, sent, err).map(Err),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sent {
        title: String,
        row: Vec<String>,
    }

    #[test]
    fn only_the_form_sent_shows_what_was_typed_and_its_messages() {
        let sent = Sent {
            title: "村道 & 桥".into(),
            row: vec!["a".into(), "b".into()],
        };
        let mut errors = FieldErrors::new();
        errors.add("title", "rule.title");
        let kept = Kept::new("motions", &sent, errors);
        assert_eq!(kept.get("motions", "title"), "村道 & 桥");
        assert_eq!(kept.nth("motions", "row", 1), Some("b"));
        assert!(kept.chose("motions", "row", "a"));
        assert_eq!(kept.or("minutes", "title", "usual"), "usual");
        assert_eq!(kept.error("motions", "title"), Some("rule.title"));
        assert_eq!(kept.error("minutes", "title"), None);
        assert_eq!(kept.alert("motions"), Some("form.fix_below"));
        assert_eq!(Kept::default().alert(""), None);
    }

    #[test]
    fn a_command_s_refusal_is_the_form_s_message_and_other_errors_pass_through() {
        let sent = Sent {
            title: String::new(),
            row: Vec::new(),
        };
        let kept = Kept::refused("x", &sent, AppError::Unprocessable("rule.whole")).unwrap();
        assert_eq!(kept.alert("x"), Some("rule.whole"));
        assert!(matches!(
            Kept::refused("x", &sent, AppError::NotFound),
            Err(AppError::NotFound)
        ));
    }
}
