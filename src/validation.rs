//! Field-level validation results: domain rules report problems per field as i18n keys, and the
//! web layer shows each beside its input. Plain data, so the domain need not know about HTTP.

use std::borrow::Cow;

/// Messages keyed by form field; each message is an i18n key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors {
    /// Field names are mostly the form's own (`&'static`); a field named by the request (text
    /// that had to be cleaned, see `web::text`) is owned.
    entries: Vec<(Cow<'static, str>, &'static str)>,
}

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        self.entries.push((Cow::Borrowed(field), message_key));
    }

    /// Puts `message_key` before any other message of each of `fields`, so it is the one shown
    /// beside them.
    pub fn put_first(
        &mut self,
        fields: impl IntoIterator<Item = String>,
        message_key: &'static str,
    ) {
        let first: Vec<_> = fields
            .into_iter()
            .map(|field| (Cow::Owned(field), message_key))
            .collect();
        self.entries.splice(0..0, first);
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The message key for `field`, for the template to translate beside the input.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.entries
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, key)| *key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &'static str)> + '_ {
        self.entries.iter().map(|(name, key)| (name.as_ref(), *key))
    }

    /// The messages a rule added with its own field names (not those named by a request).
    pub fn iter_own(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.entries.iter().filter_map(|(name, key)| match name {
            Cow::Borrowed(name) => Some((*name, *key)),
            Cow::Owned(_) => None,
        })
    }

    /// `Ok(value)` when nothing was added, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}
