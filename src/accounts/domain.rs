//! Rules about staff accounts, with no HTTP or SQL: roles and the places they cover, password
//! strength (等保 2.0 asks for complexity checks), and username form.

use std::fmt;

use crate::web::forms::FieldErrors;

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
}

impl PasswordProblem {
    pub fn message_key(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password.too_short",
            PasswordProblem::TooLong => "password.too_long",
            PasswordProblem::TooFewKinds => "password.too_few_kinds",
            PasswordProblem::ContainsUsername => "password.contains_username",
        }
    }
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// At least 10 characters from at least three of: lower case, upper case, digits, other
/// characters; not containing the username.
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
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
    Ok(())
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
mod tests {
    use super::*;

    const T1: i64 = 1;
    const V1: i64 = 10;
    const V2: i64 = 11;
    const G1: i64 = 100;

    #[test]
    fn township_scope_covers_its_villages_and_groups_only() {
        assert!(covers(Scope::Township(T1), Place::village(T1, V1)));
        assert!(covers(Scope::Township(T1), Place::group(T1, V1, G1)));
        assert!(covers(Scope::Township(T1), Place::township(T1)));
        assert!(!covers(Scope::Township(T1), Place::village(2, V1)));
    }

    #[test]
    fn village_scope_covers_the_village_and_its_groups() {
        assert!(covers(Scope::Village(V1), Place::village(T1, V1)));
        assert!(covers(Scope::Village(V1), Place::group(T1, V1, G1)));
        assert!(!covers(Scope::Village(V1), Place::village(T1, V2)));
        assert!(!covers(Scope::Village(V1), Place::township(T1)));
    }

    #[test]
    fn group_scope_does_not_reach_the_village() {
        assert!(covers(Scope::Group(G1), Place::group(T1, V1, G1)));
        assert!(!covers(Scope::Group(G1), Place::village(T1, V1)));
        assert!(!covers(Scope::Group(G1), Place::group(T1, V1, 101)));
    }

    #[test]
    fn grants_needs_the_right_role_in_scope() {
        let clerk = [Assignment {
            role: Role::Clerk,
            scope: Scope::Village(V1),
        }];
        assert!(grants(&clerk, &[Role::Clerk], Place::village(T1, V1)));
        assert!(!grants(&clerk, &[Role::Clerk], Place::village(T1, V2)));
        assert!(!grants(&clerk, &[Role::Supervisor], Place::village(T1, V1)));
        assert!(grants(
            &clerk,
            &[Role::Supervisor, Role::Clerk],
            Place::village(T1, V1)
        ));
        assert!(!grants(&[], &[Role::Clerk], Place::village(T1, V1)));
    }

    #[test]
    fn townships_with_lists_township_level_roles() {
        let a = [
            Assignment {
                role: Role::Auditor,
                scope: Scope::Township(2),
            },
            Assignment {
                role: Role::Auditor,
                scope: Scope::Township(1),
            },
            Assignment {
                role: Role::Auditor,
                scope: Scope::Township(2),
            },
            Assignment {
                role: Role::Clerk,
                scope: Scope::Township(3),
            },
            Assignment {
                role: Role::Auditor,
                scope: Scope::Village(V1),
            },
        ];
        assert_eq!(townships_with(&a, &[Role::Auditor]), vec![1, 2]);
        assert_eq!(townships_with(&a, &[Role::Admin]), Vec::<i64>::new());
    }

    #[test]
    fn roles_fit_only_their_kind_of_place() {
        let t = Scope::Township(1);
        let v = Scope::Village(2);
        let g = Scope::Group(3);
        let table = [
            (Role::Admin, [true, false, false]),
            (Role::Auditor, [true, false, false]),
            (Role::Clerk, [false, true, false]),
            (Role::Supervisor, [false, true, false]),
            (Role::CouncilMember, [false, true, true]),
        ];
        for (role, fits) in table {
            assert_eq!([t, v, g].map(|s| role_fits_scope(role, s)), fits, "{role}");
        }
    }

    #[test]
    fn scopes_round_trip_through_forms() {
        for scope in [Scope::Township(1), Scope::Village(22), Scope::Group(333)] {
            assert_eq!(Scope::from_form(&scope.to_form()), Some(scope));
        }
        for bad in ["", "x:1", "v:", "v:abc", "v1", "t:1:2"] {
            assert_eq!(Scope::from_form(bad), None, "{bad}");
        }
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn passwords_need_length_and_variety() {
        assert_eq!(
            check_password("Ab1!", "clerk"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password("abcdefghijk", "clerk"),
            Err(PasswordProblem::TooFewKinds)
        );
        assert_eq!(
            check_password("abcdefghij1", "clerk"),
            Err(PasswordProblem::TooFewKinds)
        );
        assert_eq!(check_password("abcdefgh1X", "clerk"), Ok(()));
        assert_eq!(check_password("abcdefgh1!", "clerk"), Ok(()));
        assert_eq!(check_password("村务公开abcd1!", "clerk"), Ok(()));
        assert_eq!(
            check_password(&"aB1!".repeat(40), "clerk"),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            check_password("myClerk2026!", "clerk"),
            Err(PasswordProblem::ContainsUsername)
        );
    }

    #[test]
    fn a_new_account_needs_a_fitting_role_in_an_allowed_place() {
        let allowed = [Scope::Township(1), Scope::Village(10), Scope::Group(100)];
        let form = |role: &str, scope: &str| NewStaffForm {
            username: " Clerk.New ".into(),
            display_name: "文书".into(),
            email: "".into(),
            role: role.into(),
            scope: scope.into(),
        };
        let ok = validate_new_staff(&form("clerk", "v:10"), &allowed).expect("valid");
        assert_eq!(ok.username, "clerk.new");
        assert_eq!(
            (ok.role, ok.scope, ok.email),
            (Role::Clerk, Scope::Village(10), None)
        );
        let e =
            validate_new_staff(&form("clerk", "t:1"), &allowed).expect_err("clerk of a township");
        assert_eq!(e.get("scope"), Some("account.error.role_scope"));
        let e =
            validate_new_staff(&form("clerk", "v:11"), &allowed).expect_err("village elsewhere");
        assert_eq!(e.get("scope"), Some("account.error.scope"));
        let e = validate_new_staff(&form("king", "v:10"), &allowed).expect_err("no such role");
        assert_eq!(e.get("role"), Some("account.error.role"));
        let bad = NewStaffForm {
            username: "x".into(),
            display_name: "".into(),
            email: "a@b".into(),
            ..form("auditor", "t:1")
        };
        let e = validate_new_staff(&bad, &allowed).expect_err("bad fields");
        assert_eq!(e.get("username"), Some("account.error.username"));
        assert_eq!(e.get("display_name"), Some("account.error.display_name"));
        assert_eq!(e.get("email"), Some("account.error.email"));
        let mail = NewStaffForm {
            email: "wang@cun.example".into(),
            ..form("council_member", "g:100")
        };
        assert_eq!(
            validate_new_staff(&mail, &allowed)
                .expect("valid")
                .email
                .as_deref(),
            Some("wang@cun.example")
        );
    }

    #[test]
    fn usernames_are_plain_ids() {
        assert!(valid_username("clerk.taoyuan"));
        assert!(valid_username("admin_1"));
        assert!(!valid_username("Admin"));
        assert!(!valid_username("1admin"));
        assert!(!valid_username("ab"));
        assert!(!valid_username("a b c"));
        assert!(!valid_username(&"a".repeat(33)));
    }
}
