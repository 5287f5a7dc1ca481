//! Rules about staff accounts, with no HTTP or SQL: roles and the places they cover, password
//! strength (等保 2.0 asks for complexity checks), and username form.

use std::fmt;

use crate::validation::FieldErrors;

/// A staff role. Households are not staff; they sign in with 户号 + PIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Auditor,
    Clerk,
    CouncilMember,
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Auditor,
        Role::Clerk,
        Role::CouncilMember,
        Role::Supervisor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Auditor => "auditor",
            Role::Clerk => "clerk",
            Role::CouncilMember => "council_member",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The i18n key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Auditor => "role.auditor",
            Role::Clerk => "role.clerk",
            Role::CouncilMember => "role.council_member",
            Role::Supervisor => "role.supervisor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a role assignment applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Township(i64),
    Village(i64),
    Group(i64),
}

/// A place something happens in, with its ancestors, so a scope can be checked against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub township: i64,
    pub village: Option<i64>,
    pub group: Option<i64>,
}

impl Place {
    pub fn township(township: i64) -> Place {
        Place {
            township,
            village: None,
            group: None,
        }
    }

    pub fn village(township: i64, village: i64) -> Place {
        Place {
            township,
            village: Some(village),
            group: None,
        }
    }

    pub fn group(township: i64, village: i64, group: i64) -> Place {
        Place {
            township,
            village: Some(village),
            group: Some(group),
        }
    }
}

/// A scope covers a place when the place lies inside it: a township covers its villages and
/// groups, a village its groups, a group only itself. A group council member therefore has no
/// say over the whole village.
pub fn covers(scope: Scope, place: Place) -> bool {
    match scope {
        Scope::Township(t) => place.township == t,
        Scope::Village(v) => place.village == Some(v),
        Scope::Group(g) => place.group == Some(g),
    }
}

/// Which kinds of place a role may be given over: auditors and administrators work for the
/// township, clerks and supervisors for a village, council members sit on a village council or
/// a group council.
pub fn role_fits_scope(role: Role, scope: Scope) -> bool {
    matches!(
        (role, scope),
        (Role::Admin | Role::Auditor, Scope::Township(_))
            | (Role::Clerk | Role::Supervisor, Scope::Village(_))
            | (Role::CouncilMember, Scope::Village(_) | Scope::Group(_))
    )
}

impl Scope {
    /// Form value of a scope: `t:1`, `v:10`, `g:100`.
    pub fn to_form(self) -> String {
        match self {
            Scope::Township(id) => format!("t:{id}"),
            Scope::Village(id) => format!("v:{id}"),
            Scope::Group(id) => format!("g:{id}"),
        }
    }

    pub fn from_form(text: &str) -> Option<Scope> {
        let (kind, id) = text.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "t" => Some(Scope::Township(id)),
            "v" => Some(Scope::Village(id)),
            "g" => Some(Scope::Group(id)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub role: Role,
    pub scope: Scope,
}

/// True when one of `assignments` gives one of `roles` over `place`.
pub fn grants(assignments: &[Assignment], roles: &[Role], place: Place) -> bool {
    assignments
        .iter()
        .any(|a| roles.contains(&a.role) && covers(a.scope, place))
}

/// Townships in which one of `roles` is held at township level.
pub fn townships_with(assignments: &[Assignment], roles: &[Role]) -> Vec<i64> {
    let mut ids: Vec<i64> = assignments
        .iter()
        .filter(|a| roles.contains(&a.role))
        .filter_map(|a| match a.scope {
            Scope::Township(t) => Some(t),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Why a password is refused; each maps to a sentence for the person choosing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    TooFewKinds,
    ContainsUsername,
    /// In the bundled list of common passwords, or one of them with digits and symbols added.
    Common,
    /// Built from the username, a place's name or the product's name.
    FromKnownWord,
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password.too_short",
            PasswordProblem::TooLong => "password.too_long",
            PasswordProblem::TooFewKinds => "password.too_few_kinds",
            PasswordProblem::ContainsUsername => "password.contains_username",
            PasswordProblem::Common => "password.common",
            PasswordProblem::FromKnownWord => "password.known_word",
        }
    }
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// At least 10 characters from at least three of: lower case, upper case, digits, other
/// characters; not containing the username; not common, nor built from the product's name.
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    check_password_knowing(password, username, &[])
}

/// [`check_password`], also refusing passwords built from `known_words` (the account's
/// display name, the names and codes of the places it works in).
pub fn check_password_knowing(
    password: &str,
    username: &str,
    known_words: &[&str],
) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(PasswordProblem::TooFewKinds);
    }
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && password.to_lowercase().contains(&name) {
        return Err(PasswordProblem::ContainsUsername);
    }
    let mut words = vec![name.as_str()];
    words.extend_from_slice(known_words);
    match crate::auth::common::guessable(password, &words) {
        Some(crate::auth::common::Guessable::Common) => Err(PasswordProblem::Common),
        Some(crate::auth::common::Guessable::FromKnownWord) => Err(PasswordProblem::FromKnownWord),
        None => Ok(()),
    }
}

/// Usernames are unique account ids: 3..=32 of a-z, 0-9, '.', '_', '-', starting with a letter.
pub fn valid_username(username: &str) -> bool {
    let len = username.len();
    (3..=32).contains(&len)
        && username.starts_with(|c: char| c.is_ascii_lowercase())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// What an administrator typed to create an account, as text.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewStaffForm {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub scope: String,
    /// Optional last day of the role's term (`2027-12-31`, Beijing).
    pub term: String,
}

/// A role given over a scope the administrator may hand out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidNewStaff {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub scope: Scope,
}

/// Reads an optional term: empty is no term; else a date whose end lies after `now`.
pub fn validate_term(
    text: &str,
    now: chrono::NaiveDateTime,
    errors: &mut FieldErrors,
) -> Option<chrono::NaiveDateTime> {
    if text.trim().is_empty() {
        return None;
    }
    match crate::time::end_of_local_day(text) {
        Some(end) if end > now => Some(end),
        _ => {
            errors.add("term", "account.error.term");
            None
        }
    }
}

/// Checks a role and scope pair against the scopes the administrator controls.
pub fn validate_role(
    role: &str,
    scope: &str,
    allowed: &[Scope],
    errors: &mut FieldErrors,
) -> Option<(Role, Scope)> {
    let role = Role::parse(role.trim());
    let scope = Scope::from_form(scope.trim()).filter(|s| allowed.contains(s));
    match (role, scope) {
        (None, _) => errors.add("role", "account.error.role"),
        (_, None) => errors.add("scope", "account.error.scope"),
        (Some(r), Some(s)) if !role_fits_scope(r, s) => {
            errors.add("scope", "account.error.role_scope")
        }
        (Some(r), Some(s)) => return Some((r, s)),
    }
    None
}

pub fn validate_new_staff(
    form: &NewStaffForm,
    allowed: &[Scope],
) -> Result<ValidNewStaff, FieldErrors> {
    let mut errors = FieldErrors::new();
    let username = form.username.trim().to_lowercase();
    if !valid_username(&username) {
        errors.add("username", "account.error.username");
    }
    let display_name = form.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 30 {
        errors.add("display_name", "account.error.display_name");
    }
    let email = form.email.trim();
    let email_ok = email.is_empty()
        || (email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
            && !email.chars().any(|c| c.is_whitespace() || c.is_control()));
    if !email_ok {
        errors.add("email", "account.error.email");
    }
    let role = validate_role(&form.role, &form.scope, allowed, &mut errors);
    match role {
        Some((role, scope)) if errors.is_empty() => Ok(ValidNewStaff {
            username,
            display_name,
            email: (!email.is_empty()).then(|| email.to_string()),
            role,
            scope,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
