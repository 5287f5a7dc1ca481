//! Rules about staff accounts, with no HTTP or SQL: roles and the places they cover, password
//! strength (等保 2.0 asks for complexity checks), and username form.

use std::fmt;

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
