//! Field-level validation results: domain rules report problems per field as i18n keys, and the
//! web layer shows each beside its input. Plain data, so the domain need not know about HTTP.

/// Messages keyed by form field; each message is an i18n key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors {
    entries: Vec<(&'static str, &'static str)>,
}

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        self.entries.push((field, message_key));
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The message key for `field`, for the template to translate beside the input.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.entries
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, key)| *key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.entries.iter().copied()
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
