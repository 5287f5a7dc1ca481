//! Unit tests of the account rules.

use super::*;
use crate::validation::FieldErrors;

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
    assert_eq!(check_password("qzvbnrtw1!", "clerk"), Ok(()));
    assert_eq!(
        check_password("abcdefgh1!", "clerk"),
        Err(PasswordProblem::Common),
        "a common password with a digit and a symbol added"
    );
    assert_eq!(
        check_password("Password123", "clerk"),
        Err(PasswordProblem::Common)
    );
    assert_eq!(
        check_password("Admin@2026", "clerk"),
        Err(PasswordProblem::Common)
    );
    assert_eq!(
        check_password("Minyi2026!", "clerk"),
        Err(PasswordProblem::FromKnownWord)
    );
    assert_eq!(
        check_password_knowing("Zhangcun@2026", "clerk", &["zhangcun"]),
        Err(PasswordProblem::FromKnownWord)
    );
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
        term: String::new(),
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
    let e = validate_new_staff(&form("clerk", "t:1"), &allowed).expect_err("clerk of a township");
    assert_eq!(e.get("scope"), Some("account.error.role_scope"));
    let e = validate_new_staff(&form("clerk", "v:11"), &allowed).expect_err("village elsewhere");
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
fn terms_are_optional_and_must_end_in_the_future() {
    let now = crate::time::parse_local("2026-11-23T10:00").expect("now");
    let mut errors = FieldErrors::new();
    assert_eq!(validate_term("", now, &mut errors), None);
    assert_eq!(
        validate_term("2027-12-31", now, &mut errors),
        crate::time::end_of_local_day("2027-12-31")
    );
    assert!(errors.is_empty());
    assert_eq!(validate_term("2026-11-22", now, &mut errors), None);
    assert_eq!(errors.get("term"), Some("account.error.term"));
    let mut errors = FieldErrors::new();
    validate_term("someday", now, &mut errors);
    assert_eq!(errors.get("term"), Some("account.error.term"));
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
