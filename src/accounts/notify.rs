//! Mail to the holder of an account when someone changes its roles or password, so a change
//! the holder did not ask for is noticed (separation of duties: the administrator who makes a
//! change is not the only one who knows of it). Queued in the outbox inside the change's
//! transaction; nothing is sent when the account has no address.

use super::store;
use crate::db::{DbConn, DbError};
use crate::i18n::Locale;

/// What happened to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    RoleAdded,
    RoleRemoved,
    PasswordReset,
    PasswordChanged,
    Deactivated,
    Activated,
    SecondFactorReset,
}

impl Change {
    fn message_key(self) -> &'static str {
        match self {
            Change::RoleAdded => "account.mail.role_added",
            Change::RoleRemoved => "account.mail.role_removed",
            Change::PasswordReset => "account.mail.password_reset",
            Change::PasswordChanged => "account.mail.password_changed",
            Change::Deactivated => "account.mail.deactivated",
            Change::Activated => "account.mail.activated",
            Change::SecondFactorReset => "account.mail.second_factor_reset",
        }
    }
}

/// The message in both languages; `detail` names the role or is empty.
pub fn message(change: Change, username: &str, detail: &str) -> (String, String) {
    let both = |key: &str| {
        Locale::ALL
            .iter()
            .map(|l| l.t_with(key, &[("username", username), ("detail", detail)]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let subject = Locale::ALL
        .iter()
        .map(|l| l.t("account.mail.subject"))
        .collect::<Vec<_>>()
        .join(" / ");
    let body = format!(
        "{}\n\n{}\n",
        both(change.message_key()),
        both("account.mail.not_you")
    );
    (subject, body)
}

/// Queues the notice for `staff_id` when its address is known; returns whether one was queued.
pub fn holder(
    conn: &mut DbConn,
    staff_id: i64,
    change: Change,
    detail: &str,
) -> Result<bool, DbError> {
    let Some(address) = store::email_of(conn, staff_id)? else {
        return Ok(false);
    };
    let username = store::username_of(conn, staff_id)?.unwrap_or_default();
    let (subject, body) = message(change, &username, detail);
    crate::mail::outbox::enqueue(conn, &address, &subject, &body)?;
    Ok(true)
}
