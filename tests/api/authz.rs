//! Integration tests: authorization of every staff route.
//!
//! [`ROUTES`] is the table of every route under `/staff` with the roles allowed on it. A scan of
//! the source (`src/**/*.rs`) keeps the table honest: a new staff route without a row here makes
//! `every_staff_route_has_a_row_in_the_authz_table` fail. The other tests walk the table:
//! anonymous requests, staff holding the wrong role, forms without a valid CSRF token, unknown
//! villages, households, rounds, notices, council meetings and motions of another village and
//! accounts of another township.

use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, Page, STAFF_PASSWORD, TestApp, Village, spawn_app};

// Projects in every status a route acts on.
#[path = "authz_projects.rs"]
mod projects;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Method {
    Get,
    Post,
}

impl Method {
    fn parse(name: &str) -> Option<Method> {
        match name {
            "get" => Some(Method::Get),
            "post" => Some(Method::Post),
            _ => None,
        }
    }
}

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Allowed {
    /// Any signed-in, active staff member, whatever their roles.
    AnyStaff,
    /// An auditor or administrator at township level (`AuditReader`).
    AuditReader,
    /// A clerk over the village named by `{village}` (`Clerk`).
    VillageClerk,
    /// An administrator at township level (`Admin`).
    TownshipAdmin,
    /// A member of the council of the village named by `{village}` (`CouncilMember`): the role
    /// held over that village, not over one of its groups or over another village.
    VillageCouncil,
    /// A clerk or a member of the council of the village named by `{village}` (`Sorter`): who
    /// sorts a closed round's suggestions into candidate projects.
    VillageSorter,
    /// A supervisor (监事会) of the village named by `{village}` (`Supervisor`).
    VillageSupervisor,
    /// A clerk or a supervisor of the village named by `{village}` (`ProjectStaff`): who run
    /// and inspect projects.
    VillageProjectStaff,
}

struct Route {
    method: Method,
    /// The path as registered; `{village}`, `{id}`, `{assignment}`, `{round}`, `{site}`,
    /// `{notice}`, `{objection}`, `{meeting}`, `{motion}` and `{candidate}` are filled from
    /// fixtures (see [`World::fill`]).
    pattern: &'static str,
    allowed: Allowed,
}

const fn route(method: Method, pattern: &'static str, allowed: Allowed) -> Route {
    Route {
        method,
        pattern,
        allowed,
    }
}

/// Every staff route and who may use it.
const ROUTES: &[Route] = &[
    route(Method::Get, "/staff", Allowed::AnyStaff),
    // Before the password change below: supervisor.a posts these and then changes its password.
    route(
        Method::Post,
        "/staff/v/{village}/funds/{fund}/entries/{entry}/post",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/funds/{fund}/entries/{entry}/reject",
        Allowed::VillageSupervisor,
    ),
    // Before the password change below: the same account posts both (`/staff/2fa` is
    // posted by another, see `staff_holding_the_needed_role_get_through_on_every_route`).
    route(
        Method::Post,
        "/staff/sessions/end-others",
        Allowed::AnyStaff,
    ),
    route(Method::Get, "/staff/2fa", Allowed::AnyStaff),
    route(Method::Post, "/staff/2fa", Allowed::AnyStaff),
    route(Method::Get, "/staff/password", Allowed::AnyStaff),
    route(Method::Post, "/staff/password", Allowed::AnyStaff),
    route(Method::Get, "/staff/audit", Allowed::AuditReader),
    route(Method::Get, "/staff/audit/export.csv", Allowed::AuditReader),
    route(Method::Get, "/staff/locks", Allowed::TownshipAdmin),
    route(Method::Post, "/staff/locks/lift", Allowed::TownshipAdmin),
    route(
        Method::Get,
        "/staff/v/{village}/locks",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/locks/lift",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/households",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/households/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/households/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/households/import",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/households/import",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/households/{id}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/households/{id}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/households/{id}/pin",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/state",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/roll",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/roll/remove",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/void",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}/paper",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/paper",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}/reconcile",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/reconcile",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}/sites",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/sites",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/sites/{site}/certify",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}/sites/{site}/forms",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/notices",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/notices/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/notices/{notice}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/{notice}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/{notice}/publish",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/{notice}/supersede",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/{notice}/objections",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/{notice}/objections/{objection}/answer",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/notices/periods",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/periods",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/notices/phone",
        Allowed::VillageClerk,
    ),
    // The council's meetings, run by the clerk. Before the account rows: the administrator
    // POSTs take council member target.a off the council, which would change the quorum.
    route(
        Method::Get,
        "/staff/v/{village}/meetings",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/meetings/{meeting}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/attendance",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/state",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/motions",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/withdraw",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/minutes",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/correction",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/meetings/{meeting}/refusal",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/council-settings",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/council-settings",
        Allowed::VillageClerk,
    ),
    // A council member's own meeting page.
    route(
        Method::Get,
        "/staff/v/{village}/council/{meeting}",
        Allowed::VillageCouncil,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/council/{meeting}/motions/{motion}/vote",
        Allowed::VillageCouncil,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/council/{meeting}/motions/{motion}/recuse",
        Allowed::VillageCouncil,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/council/{meeting}/sign",
        Allowed::VillageCouncil,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/council/{meeting}/refuse",
        Allowed::VillageCouncil,
    ),
    // Sorting a closed round's suggestions into candidate projects (clerk or council member).
    route(
        Method::Get,
        "/staff/v/{village}/rounds/{round}/candidates",
        Allowed::VillageSorter,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/candidates",
        Allowed::VillageSorter,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/candidates/shortlist",
        Allowed::VillageSorter,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/split",
        Allowed::VillageSorter,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/merge",
        Allowed::VillageSorter,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/supervision",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/supervision/rounds/{round}/remarks",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/projects",
        Allowed::VillageProjectStaff,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/projects/{project}",
        Allowed::VillageProjectStaff,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/plan",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/notice",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/start",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/progress",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/complete",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/inspections",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/inspections/{inspection}/respond",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/inspections/{inspection}/close",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/acceptance",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/status",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/projects/{project}/attachments",
        Allowed::VillageProjectStaff,
    ),
    // The ledger: the clerk's funds and entries, the supervisor's verification, the township
    // auditor's workspace.
    route(
        Method::Get,
        "/staff/v/{village}/funds",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/funds/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/funds/{fund}",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/funds/{fund}/entries",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/funds/{fund}/statement",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/funds/{fund}/verify",
        Allowed::VillageSupervisor,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/funds/{fund}/entries/{entry}/vouchers",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/funds/{fund}/vouchers/{attachment}",
        Allowed::VillageProjectStaff,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/ledger-review",
        Allowed::VillageSupervisor,
    ),
    route(Method::Get, "/staff/ledger", Allowed::AuditReader),
    route(
        Method::Get,
        "/staff/ledger/funds/{fund}",
        Allowed::AuditReader,
    ),
    route(
        Method::Get,
        "/staff/ledger/funds/{fund}/export.csv",
        Allowed::AuditReader,
    ),
    route(
        Method::Get,
        "/staff/ledger/funds/{fund}/vouchers/{attachment}",
        Allowed::AuditReader,
    ),
    route(Method::Get, "/staff/accounts", Allowed::TownshipAdmin),
    route(Method::Get, "/staff/accounts/new", Allowed::TownshipAdmin),
    route(Method::Post, "/staff/accounts/new", Allowed::TownshipAdmin),
    route(Method::Get, "/staff/accounts/{id}", Allowed::TownshipAdmin),
    route(
        Method::Post,
        "/staff/accounts/{id}/roles",
        Allowed::TownshipAdmin,
    ),
    route(
        Method::Post,
        "/staff/accounts/{id}/roles/{assignment}/remove",
        Allowed::TownshipAdmin,
    ),
    route(
        Method::Post,
        "/staff/accounts/{id}/active",
        Allowed::TownshipAdmin,
    ),
    route(
        Method::Post,
        "/staff/accounts/{id}/password",
        Allowed::TownshipAdmin,
    ),
    route(
        Method::Post,
        "/staff/accounts/{id}/2fa/reset",
        Allowed::TownshipAdmin,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/reviews",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/reviews/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/reviews/new",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/reviews/settings",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/reviews/items/{item}/reconsult",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/reviews/items/{item}/reconsult",
        Allowed::VillageClerk,
    ),
    route(
        Method::Get,
        "/staff/v/{village}/reviews/{review}",
        Allowed::VillageClerk,
    ),
    // Before `/state` closes the open review: a paper sheet goes into it while it is open.
    route(
        Method::Get,
        "/staff/v/{village}/reviews/{review}/paper",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/reviews/{review}/paper",
        Allowed::VillageClerk,
    ),
    route(
        Method::Post,
        "/staff/v/{village}/reviews/{review}/state",
        Allowed::VillageClerk,
    ),
];

// ---------------------------------------------------------------------------------------------
// The route scanner.
//
// It reads every `src/**/*.rs` file with a tiny lexer that skips comments, string and char
// literals, and tracks parenthesis depth. It understands two forms, the only ones the app uses:
//
//   .route("<path>", web::<method>()          (also `cfg.route(`; whitespace/newlines allowed)
//   web::scope("<prefix>")                    prefixes every `.route` chained on it
//   web::scope(name)                          where `name` is bound by the nearest loop before it,
//                                             `for (name, …) in [("<a>", …), ("<b>", …)]` or
//                                             `for name in ["<a>", "<b>"]`: every prefix listed
//
// A scope opened at parenthesis depth d stays active until the depth drops below d, which is
// where the `.service(` call holding it closes; nested scopes concatenate. Registration forms it
// does not understand (`web::resource(`, `#[get(...)]`-style attribute macros, `.route(` with a
// non-literal path) make the scan panic, so a route can never slip past it unseen.
// ---------------------------------------------------------------------------------------------

/// Every (method, full path) registered in the source tree.
fn registered_routes() -> BTreeSet<(Method, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(!files.is_empty(), "no source files under {}", src.display());
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source file");
        for found in scan(&text, &file.display().to_string()) {
            routes.insert(found);
        }
    }
    routes
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Reads a string literal starting at `chars[i] == '"'`; returns its content and the index after it.
fn string_literal(chars: &[char], mut i: usize) -> (String, usize) {
    debug_assert_eq!(chars[i], '"');
    i += 1;
    let mut out = String::new();
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(chars[i + 1]);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, i + 1)
}

fn starts_with_at(chars: &[char], i: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The index after the `)` closing the `(` at `chars[open]`, skipping string literals.
fn after_closing_paren(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                i = string_literal(chars, i).1;
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The values a loop variable takes, read from the nearest loop before `before` that binds
/// `name` first: `for (name, …) in [("/a", …), ("/b", …)]` or `for name in ["/a", "/b"]`.
/// `None` when that loop is not of these forms (so the caller can refuse to guess).
fn loop_literals(chars: &[char], before: usize, name: &str) -> Option<Vec<String>> {
    let name_len = name.chars().count();
    let mut k = before;
    while k > 0 {
        k -= 1;
        if !starts_with_at(chars, k, "for")
            || (k > 0 && is_ident(chars[k - 1]))
            || !chars.get(k + 3).is_some_and(|c| c.is_whitespace())
        {
            continue;
        }
        let mut j = skip_ws(chars, k + 3);
        let tuple = chars.get(j) == Some(&'(');
        if tuple {
            j = skip_ws(chars, j + 1);
        }
        if !starts_with_at(chars, j, name) || chars.get(j + name_len).is_some_and(|c| is_ident(*c))
        {
            continue;
        }
        // The loop binding `name`: find its ` in [` and read the array.
        j += name_len;
        while j < chars.len()
            && !(starts_with_at(chars, j, "in")
                && chars[j - 1].is_whitespace()
                && chars.get(j + 2).is_some_and(|c| c.is_whitespace()))
        {
            if chars[j] == '{' || chars[j] == '"' {
                return None;
            }
            j += 1;
        }
        j = skip_ws(chars, j + 2);
        if chars.get(j) != Some(&'[') {
            return None;
        }
        j += 1;
        let mut values = Vec::new();
        loop {
            j = skip_ws(chars, j);
            match chars.get(j) {
                Some(']') => return Some(values),
                Some('"') if !tuple => {
                    let (value, after) = string_literal(chars, j);
                    values.push(value);
                    j = after;
                }
                Some('(') if tuple => {
                    let first = skip_ws(chars, j + 1);
                    if chars.get(first) != Some(&'"') {
                        return None;
                    }
                    values.push(string_literal(chars, first).0);
                    j = after_closing_paren(chars, j)?;
                }
                _ => return None,
            }
            j = skip_ws(chars, j);
            match chars.get(j) {
                Some(',') => j += 1,
                Some(']') => return Some(values),
                _ => return None,
            }
        }
    }
    None
}

fn scan(text: &str, file: &str) -> Vec<(Method, String)> {
    let chars: Vec<char> = text.chars().collect();
    let line_of = |i: usize| chars[..i].iter().filter(|c| **c == '\n').count() + 1;
    let mut found = Vec::new();
    let mut depth: i64 = 0;
    // (the prefixes it stands for, depth at which the scope expression sits)
    let mut scopes: Vec<(Vec<String>, i64)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Comments.
        if starts_with_at(&chars, i, "//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if starts_with_at(&chars, i, "/*") {
            let mut nest = 0;
            while i < chars.len() {
                if starts_with_at(&chars, i, "/*") {
                    nest += 1;
                    i += 2;
                } else if starts_with_at(&chars, i, "*/") {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        // Raw strings r"…", r#"…"#, br"…" (the `b` is skipped as an identifier character).
        if c == 'r'
            && (chars.get(i + 1) == Some(&'"') || chars.get(i + 1) == Some(&'#'))
            && (i == 0
                || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
                || chars[i - 1] == 'b')
        {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                j += 1;
                while j < chars.len() && !starts_with_at(&chars, j, &close) {
                    j += 1;
                }
                i = j + close.chars().count();
                continue;
            }
        }
        if c == '"' {
            i = string_literal(&chars, i).1;
            continue;
        }
        // Char literals ('(' , '\n', '\'') but not lifetimes ('a).
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                continue;
            }
            i += 1;
            continue;
        }
        if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth -= 1;
            while scopes.last().is_some_and(|(_, d)| depth < *d) {
                scopes.pop();
            }
        }
        // A public resource (revalidated pages and downloads) needs no row; a staff one would.
        if starts_with_at(&chars, i, "web::resource(") {
            let j = skip_ws(&chars, i + "web::resource(".len());
            let path = (chars.get(j) == Some(&'"')).then(|| string_literal(&chars, j).0);
            assert!(
                path.as_deref().is_some_and(|p| !p.starts_with("/staff")),
                "{file}:{}: `web::resource(` with a staff or unreadable path registers routes in a \
                 way the authz scanner does not read; extend the scanner in tests/api/authz.rs",
                line_of(i)
            );
        }
        for unsupported in [
            "#[get(",
            "#[post(",
            "#[put(",
            "#[delete(",
            "#[patch(",
            "#[route(",
        ] {
            assert!(
                !starts_with_at(&chars, i, unsupported),
                "{file}:{}: `{unsupported}` registers routes in a way the authz scanner does not read; \
                 extend the scanner in tests/api/authz.rs",
                line_of(i)
            );
        }
        if starts_with_at(&chars, i, "web::scope(") {
            let j = skip_ws(&chars, i + "web::scope(".len());
            let prefixes = if chars.get(j) == Some(&'"') {
                vec![string_literal(&chars, j).0]
            } else {
                let name: String = chars[j..].iter().take_while(|c| is_ident(**c)).collect();
                let after = skip_ws(&chars, j + name.chars().count());
                assert!(
                    !name.is_empty() && chars.get(after) == Some(&')'),
                    "{file}:{}: web::scope without a literal prefix or a loop variable",
                    line_of(i)
                );
                loop_literals(&chars, i, &name).unwrap_or_else(|| {
                    panic!(
                        "{file}:{}: web::scope({name}): `{name}` is not bound by a loop over literal \
                         prefixes that the authz scanner reads; extend the scanner in tests/api/authz.rs",
                        line_of(i)
                    )
                })
            };
            scopes.push((prefixes, depth));
            i += "web::scope".len();
            continue;
        }
        if starts_with_at(&chars, i, ".route(") {
            let j = skip_ws(&chars, i + ".route(".len());
            assert_eq!(
                chars.get(j),
                Some(&'"'),
                "{file}:{}: .route( without a literal path",
                line_of(i)
            );
            let (path, after) = string_literal(&chars, j);
            let mut k = skip_ws(&chars, after);
            assert_eq!(
                chars.get(k),
                Some(&','),
                "{file}:{}: .route(\"{path}\" not followed by a comma",
                line_of(i)
            );
            k = skip_ws(&chars, k + 1);
            assert!(
                starts_with_at(&chars, k, "web::"),
                "{file}:{}: .route(\"{path}\", …) without web::<method>()",
                line_of(i)
            );
            let name: String = chars[k + 5..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            let method = Method::parse(&name)
                .unwrap_or_else(|| panic!("{file}:{}: route {path} uses web::{name}(), which the authz table has no column for", line_of(i)));
            let mut full = vec![String::new()];
            for (prefixes, _) in &scopes {
                full = full
                    .iter()
                    .flat_map(|outer| prefixes.iter().map(move |p| format!("{outer}{p}")))
                    .collect();
            }
            for prefix in full {
                found.push((method, format!("{prefix}{path}")));
            }
            i += ".route".len();
            continue;
        }
        i += 1;
    }
    found
}

#[test]
fn the_route_scanner_reads_scopes_and_chained_routes() {
    let text = r#"
        // .route("/commented", web::get())
        pub fn configure(cfg: &mut web::ServiceConfig) {
            let _ = ')';
            cfg.route("/a", web::get().to(a))
                .route(
                    "/a",
                    web::post().to(a),
                );
            cfg.service(
                web::scope("/s/{x}")
                    .route("", web::get().to(f(g(1))))
                    .service(web::scope("/in").route("/deep", web::post().to(d)))
                    .route("/b", web::post().to(b)),
            );
            cfg.route("/after", web::get().to(c));
            for (base, channel) in [
                ("/k/{v}", Channel::Kiosk),
                ("/p/{v}", Channel::Phone),
            ] {
                cfg.service(
                    web::scope(base)
                        .app_data(web::Data::new(channel))
                        .route("/ballot", web::post().to(e)),
                );
            }
            for outer in ["/x", "/y"] {
                cfg.service(web::scope(outer).service(web::scope("/z").route("", web::get().to(z))));
            }
        }
    "#;
    let found = scan(text, "example.rs");
    let expected = vec![
        (Method::Get, "/a".to_string()),
        (Method::Post, "/a".to_string()),
        (Method::Get, "/s/{x}".to_string()),
        (Method::Post, "/s/{x}/in/deep".to_string()),
        (Method::Post, "/s/{x}/b".to_string()),
        (Method::Get, "/after".to_string()),
        (Method::Post, "/k/{v}/ballot".to_string()),
        (Method::Post, "/p/{v}/ballot".to_string()),
        (Method::Get, "/x/z".to_string()),
        (Method::Get, "/y/z".to_string()),
    ];
    assert_eq!(found, expected);
}

#[test]
fn the_route_scanner_refuses_scope_prefixes_it_cannot_read() {
    for text in [
        // A prefix computed at run time.
        r#"fn f(cfg: &mut Cfg) { cfg.service(web::scope(&format!("/{}", x)).route("", web::get().to(g))); }"#,
        // A variable no loop binds.
        r#"fn f(cfg: &mut Cfg, base: &str) { cfg.service(web::scope(base).route("", web::get().to(g))); }"#,
        // A loop over something other than literals.
        r#"fn f(cfg: &mut Cfg) { for base in bases() { cfg.service(web::scope(base).route("", web::get().to(g))); } }"#,
        r#"fn f(cfg: &mut Cfg) { for (base, c) in [(B, 1)] { cfg.service(web::scope(base).route("", web::get().to(g))); } }"#,
    ] {
        let refused = std::panic::catch_unwind(|| scan(text, "example.rs"));
        assert!(refused.is_err(), "the scanner guessed at {text}");
    }
}

#[test]
fn every_staff_route_has_a_row_in_the_authz_table() {
    let registered: BTreeSet<(Method, String)> = registered_routes()
        .into_iter()
        .filter(|(_, path)| path == "/staff" || path.starts_with("/staff/"))
        .collect();
    let table: BTreeSet<(Method, String)> = ROUTES
        .iter()
        .map(|r| (r.method, r.pattern.to_string()))
        .collect();
    assert_eq!(
        table.len(),
        ROUTES.len(),
        "the authz table lists a route twice"
    );
    let missing: Vec<_> = registered.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "staff routes registered in src/ without a row in ROUTES (tests/api/authz.rs): {missing:?}"
    );
    let stale: Vec<_> = table.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "rows in ROUTES that no longer match a registered route: {stale:?}"
    );
    // The scanner sees the public routes too (so it is not blind).
    let all = registered_routes();
    assert!(
        all.contains(&(Method::Get, "/login".to_string())),
        "scanner missed /login: {all:?}"
    );
    assert!(
        all.contains(&(Method::Post, "/kiosk/{village}/login".to_string())),
        "{all:?}"
    );
    // Both prefixes of the household ballot scope, which loops over its bases.
    for path in [
        "/kiosk/{village}/ballot/confirm",
        "/v/{village}/ballot/confirm",
    ] {
        assert!(
            all.contains(&(Method::Post, path.to_string())),
            "scanner missed {path}: {all:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------------------------

mod household_text;
mod own_refusals;
mod reviews;
mod text;

struct World {
    app: TestApp,
    /// The village whose routes are tried.
    a: Village,
    /// Another village of the same township.
    b: Village,
    /// A household of `a` and one of `b`.
    household_a: i64,
    household_b: i64,
    /// The staff account the administrator pages work on (`{id}` under /staff/accounts): a
    /// supervisor and council member of `a`, and the id of its council-member assignment.
    target: i64,
    target_assignment: i64,
    /// A village in a second township, which has an administrator of its own (`admin.t2`).
    other_township_village: i64,
    other_township: i64,
    /// Collection rounds, sites, ballots and paper typings (see [`collection_fixtures`]).
    rounds: Rounds,
    /// Notices and objections (see [`notice_fixtures`]).
    notices: Notices,
    /// Council meetings and motions (see [`council_fixtures`]).
    council: Council,
    /// Candidate projects of the closed round (see [`sorting_fixtures`]).
    sorting: Sorting,
    /// Satisfaction reviews of `a` (see [`reviews::review_fixtures`]).
    reviews: reviews::Reviews,
    /// Projects of village a in each status a route acts on.
    projects: projects::Projects,
    /// Village `a`'s fund and its pending entries (see [`ledger_fixtures`]).
    ledger: Ledger,
}

/// A fund of village `a` with two pending allocations recorded by clerk.a: one the
/// supervisor posts, one they reject; the first carries a voucher (a PNG).
#[derive(Default, Clone, Copy)]
struct Ledger {
    fund: i64,
    to_post: i64,
    to_reject: i64,
    voucher: i64,
}

fn ledger_fixtures(w: &World) -> Ledger {
    use minyi::ledger::domain::{EntryKind, HashAlgorithm};
    use minyi::ledger::store::{self, NewEntry, NewFund};
    use minyi::money::Money;
    let clerk = w.staff_id("clerk.a");
    w.app.with_conn(|c| {
        let fund = store::insert_fund(
            c,
            &NewFund {
                village_id: w.a.id,
                year: 2026,
                name: "2026年村级公共服务和社会管理专项资金",
                source: "县财政",
                allocation: Money::from_fen(10_000_000),
                algorithm: HashAlgorithm::Sha256,
                created_by: clerk,
            },
        )
        .expect("fund");
        let mut entry = |voucher: &str| {
            store::insert_entry(
                c,
                &NewEntry {
                    fund_id: fund,
                    kind: EntryKind::Allocation,
                    voucher,
                    date: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
                    payee: "本村",
                    description: "第一批资金",
                    amount: Money::from_fen(5_000_000),
                    project_id: None,
                    reverses_id: None,
                    recorded_by: clerk,
                    recorded_at: minyi::db::now(),
                },
            )
            .expect("entry")
        };
        let (to_post, to_reject) = (entry("拨-1"), entry("拨-2"));
        let png = b"\x89PNG\r\n\x1a\n voucher";
        let voucher = minyi::attachments::store::save(
            c,
            w.app.dir.path(),
            w.a.id,
            clerk,
            "拨款凭证.png",
            png,
        )
        .expect("voucher file");
        diesel::sql_query(format!(
            "INSERT INTO ledger_vouchers (entry_id, attachment_id) VALUES ({to_post}, {voucher})"
        ))
        .execute(c)
        .expect("voucher link");
        Ledger {
            to_post,
            to_reject,
            voucher,
            fund,
        }
    })
}

/// Households of village `a` made for the round pages (`0001` is `household_a`).
/// On the open round's roll, with a kiosk ballot: the one `/void` voids.
const VOTER: &str = "0003";
/// On the roll, typed twice on paper (serial [`MISMATCHED_SERIAL`]) with differing typings.
const TYPED: &str = "0004";
/// On the roll, no ballot: the one `/paper` types in (serial [`FRESH_SERIAL`]).
const PAPER: &str = "0005";
/// Registered after the round opened, so not on its roll: the one `/roll` adds.
const LATE: &str = "0002";
/// On the open round's roll, no ballot: the one `/roll/remove` takes off (moved away).
const LEAVER: &str = "0007";
const MISMATCHED_SERIAL: &str = "P-0001";
const FRESH_SERIAL: &str = "P-0002";

/// The collection fixtures. Every POST route has what it needs to succeed once for clerk.a.
#[derive(Default)]
struct Rounds {
    /// Village `a`'s open round, with double entry: its roll holds `0001`, VOTER, TYPED and
    /// PAPER; VOTER has a kiosk ballot; TYPED's two typings wait in `mismatch`.
    open: i64,
    /// A closed round of village `a` (`/state` publishes it), with the kiosk ballots of
    /// `0001` and VOTER whose suggestions are sorted (see [`Sorting`]).
    closed: i64,
    /// An open round of village `b`, with a site of its own.
    other_village: i64,
    /// An uncertified site of the open round, and the site of `b`'s round.
    site: i64,
    other_site: i64,
    /// clerk.group's typing of TYPED's paper, in state `mismatch` (what `/reconcile` chooses:
    /// clerk.a may, not having typed it).
    mismatch_entry: i64,
    /// Household ids of VOTER, TYPED, PAPER and LATE.
    voter: i64,
    typed: i64,
    paper: i64,
    late: i64,
}

fn valid_round(title: &str, double_entry: bool) -> minyi::collection::domain::ValidRound {
    let now = minyi::db::now();
    minyi::collection::domain::ValidRound {
        title: title.to_string(),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(7),
        min_suggestions: 1,
        max_suggestions: 3,
        categories: minyi::collection::domain::DEFAULT_CATEGORIES
            .iter()
            .map(|c| c.to_string())
            .collect(),
        double_entry,
    }
}

fn suggestion(title: &str) -> minyi::collection::ballot::Suggestion {
    minyi::collection::ballot::Suggestion {
        category: "道路交通".to_string(),
        title: title.to_string(),
        details: "雨天积水，出行不便".to_string(),
        place: "村口".to_string(),
        cost_fen: Some(2_000_000),
    }
}

/// Builds [`Rounds`] through the stores, as the app would have: rounds created and opened
/// (which freezes the roll), a ballot cast, two differing typings of one paper, sites.
fn collection_fixtures(w: &World) -> Rounds {
    use minyi::collection::ballot_store::{self as ballots, Casting, Written};
    use minyi::collection::domain::RoundState;
    use minyi::collection::paper::Typing;
    use minyi::collection::paper_store;
    use minyi::collection::store as rounds;
    use minyi::db::DbError;

    let clerk = w.staff_id("clerk.a");
    let second_clerk = w.staff_id("clerk.group");
    let voter = w.app.household(&w.a, VOTER, "234567");
    let typed = w.app.household(&w.a, TYPED, "345678");
    let paper = w.app.household(&w.a, PAPER, "456789");
    w.app.household(&w.a, LEAVER, "567891");
    let group = w.a.groups[0];
    let made = w.app.with_conn(|c| {
        diesel::Connection::transaction::<_, DbError, _>(c, |c| {
            let now = minyi::db::now();
            let opened = |c: &mut minyi::db::DbConn, village: i64, title: &str, double_entry| {
                let id = rounds::create(c, village, &valid_round(title, double_entry), clerk)?;
                let round = rounds::get(c, village, id)?.expect("round just created");
                assert!(rounds::open(c, &round, now)?, "round {id} opens");
                Ok::<_, DbError>(id)
            };
            // One open round per village (the database keeps it): last year's round is
            // collected and closed before this year's opens.
            let closed = opened(c, w.a.id, "2026年度民主征集", false)?;
            let other_village = opened(c, w.b.id, "乙村征集", false)?;
            // The closed round's ballots, cast while it was open.
            for (household, titles) in [
                (w.household_a, &SORTED_BY_FIRST[..]),
                (voter, &SORTED_BY_VOTER[..]),
            ] {
                let cast = Casting {
                    round_id: closed,
                    household_id: household,
                    group_id: group,
                    channel: minyi::collection::ballot::BallotChannel::Kiosk,
                    paper_serial: None,
                    site_id: None,
                    entered_by: None,
                };
                let list: Vec<_> = titles.iter().map(|t| suggestion(t)).collect();
                let written = ballots::write(c, &cast, 0, &list)?;
                assert!(
                    matches!(written, Written::Stored { .. }),
                    "kiosk ballot in the closed round: {written:?}"
                );
            }
            assert!(rounds::advance(
                c,
                closed,
                RoundState::Open,
                RoundState::Closed,
                now
            )?);
            let open = opened(c, w.a.id, "2027年度民主征集", true)?;
            let mut site_of = |round: i64, name: &str| {
                assert!(
                    paper_store::create_site(c, round, name)?.is_some(),
                    "site {name}"
                );
                let sites = paper_store::sites(c, round)?;
                Ok::<_, DbError>(sites.last().expect("the new site").0.id)
            };
            let site = site_of(open, "村委会")?;
            let other_site = site_of(other_village, "乙村村委会")?;
            let cast = Casting {
                round_id: open,
                household_id: voter,
                group_id: group,
                channel: minyi::collection::ballot::BallotChannel::Kiosk,
                paper_serial: None,
                site_id: None,
                entered_by: None,
            };
            let written = ballots::write(c, &cast, 0, &[suggestion("修村口的路")])?;
            assert!(
                matches!(written, Written::Stored { .. }),
                "kiosk ballot: {written:?}"
            );
            let mut entries = Vec::new();
            for (who, title) in [(clerk, "修村口的路"), (second_clerk, "修村口的桥")] {
                let typing = Typing {
                    household_number: TYPED.to_string(),
                    suggestions: vec![suggestion(title)],
                };
                let content = serde_json::to_string(&typing).expect("typing as JSON");
                let id = paper_store::add_entry(
                    c,
                    open,
                    typed,
                    MISMATCHED_SERIAL,
                    Some(site),
                    who,
                    &content,
                )?
                .expect("a first typing by this clerk");
                entries.push(id);
            }
            let moved = paper_store::set_entries_state(
                c,
                open,
                MISMATCHED_SERIAL,
                minyi::collection::paper::EntryState::Waiting,
                minyi::collection::paper::EntryState::Mismatch,
            )?;
            assert_eq!(moved, 2, "both typings in mismatch");
            // The second clerk's typing: clerk.a (who reconciles) may not choose their own.
            Ok((open, closed, other_village, site, other_site, entries[1]))
        })
        .expect("collection fixtures")
    });
    let (open, closed, other_village, site, other_site, mismatch_entry) = made;
    // After opening, so not on the frozen roll.
    let late = w.app.household(&w.a, LATE, "567890");
    Rounds {
        open,
        closed,
        other_village,
        site,
        other_site,
        mismatch_entry,
        voter,
        typed,
        paper,
        late,
    }
}

/// What `0001` and VOTER suggested in the closed round (kiosk ballots, see [`suggestion`]).
const SORTED_BY_FIRST: [&str; 2] = ["修村口的路", "装路灯"];
const SORTED_BY_VOTER: [&str; 3] = ["修村口的路", "清理河道", "修桥"];
/// The title of the candidate `/candidates` creates, and of the one `/split` splits off.
const NEW_CANDIDATE: &str = "修建村口小桥";
const SPLIT_CANDIDATE: &str = "修村口的路（北段）";

/// The sorting fixtures, on the closed round of `a` ([`Rounds::closed`]): its five counted
/// suggestions, three open candidates holding four of them, and candidates of other rounds.
#[derive(Default)]
struct Sorting {
    /// The closed round's suggestions: the road of `0001` and of VOTER, `0001`'s street lamps,
    /// VOTER's river and VOTER's bridge.
    road_first: i64,
    road_voter: i64,
    lamps: i64,
    river: i64,
    /// In no candidate: the candidate `/candidates` creates takes it.
    bridge: i64,
    /// Holds both roads; `/split` moves VOTER's road to a new candidate.
    to_split: i64,
    /// Holds the lamps; `/merge` merges `from` (holding the river) into it.
    into: i64,
    from: i64,
    /// A closed round of `a` other than [`Rounds::closed`], and a temporary candidate of it.
    other_round: i64,
    other_round_candidate: i64,
    /// A temporary candidate of a closed round of `b`.
    other_village_candidate: i64,
}

/// Builds [`Sorting`] through the stores, in one transaction, as the app would have.
fn sorting_fixtures(w: &World) -> Sorting {
    use minyi::collection::domain::RoundState;
    use minyi::collection::store as rounds;
    use minyi::council::candidate_store::{self as candidates, AttachError};
    use minyi::council::sorting::ValidCandidate;
    use minyi::db::{DbConn, DbError};

    /// An open candidate of the round holding `suggestions` (temporary without any).
    fn candidate(
        c: &mut DbConn,
        (village, round): (i64, i64),
        title: &str,
        suggestions: Vec<i64>,
        staff: i64,
    ) -> Result<i64, DbError> {
        let temporary = suggestions.is_empty();
        let valid = ValidCandidate {
            title: title.to_string(),
            description: String::new(),
            category: "道路交通".to_string(),
            group_id: None,
            rough_cost_fen: None,
            suggestions,
        };
        candidates::create(c, village, round, &valid, temporary, staff).map_err(|e| match e {
            AttachError::Db(e) => e,
            other => panic!("candidate {title}: {other:?}"),
        })
    }

    /// A closed round of the village without ballots. The village's own round is open and only
    /// one round per village may be (the database keeps it), so this one goes from draft
    /// straight to closed: it has no roll and nothing to count.
    fn closed_round(c: &mut DbConn, village: i64, title: &str, clerk: i64) -> Result<i64, DbError> {
        let now = minyi::db::now();
        let id = rounds::create(c, village, &valid_round(title, false), clerk)?;
        assert!(
            rounds::advance(c, id, RoundState::Draft, RoundState::Closed, now)?,
            "round {id} closes"
        );
        Ok(id)
    }

    let clerk = w.staff_id("clerk.a");
    let clerk_b = w.staff_id("clerk.b");
    let round = (w.a.id, w.rounds.closed);
    w.app.with_conn(|c| {
        diesel::Connection::transaction::<_, DbError, _>(c, |c| {
            let counted = candidates::counted(c, w.rounds.closed)?;
            assert_eq!(
                counted.len(),
                5,
                "the closed round's suggestions: {counted:?}"
            );
            let find = |household: i64, title: &str| {
                counted
                    .iter()
                    .find(|s| s.household_id == household && s.title == title)
                    .map(|s| s.id)
                    .unwrap_or_else(|| panic!("suggestion {title} of household {household}"))
            };
            let road_first = find(w.household_a, SORTED_BY_FIRST[0]);
            let lamps = find(w.household_a, SORTED_BY_FIRST[1]);
            let road_voter = find(w.rounds.voter, SORTED_BY_VOTER[0]);
            let river = find(w.rounds.voter, SORTED_BY_VOTER[1]);
            let bridge = find(w.rounds.voter, SORTED_BY_VOTER[2]);
            let to_split = candidate(c, round, "修村口的路", vec![road_first, road_voter], clerk)?;
            let into = candidate(c, round, "安装路灯", vec![lamps], clerk)?;
            let from = candidate(c, round, "清理河道", vec![river], clerk)?;
            let other_round = closed_round(c, w.a.id, "2025年度民主征集", clerk)?;
            let other_round_candidate =
                candidate(c, (w.a.id, other_round), "修缮祠堂", Vec::new(), clerk)?;
            let b_round = closed_round(c, w.b.id, "乙村2026年度征集", clerk_b)?;
            let other_village_candidate =
                candidate(c, (w.b.id, b_round), "乙村修路", Vec::new(), clerk_b)?;
            Ok(Sorting {
                road_first,
                road_voter,
                lamps,
                river,
                bridge,
                to_split,
                into,
                from,
                other_round,
                other_round_candidate,
                other_village_candidate,
            })
        })
        .expect("sorting fixtures")
    })
}

/// The household of village `a` that the clerk files an objection for (on-behalf). Made for the
/// notice pages, so no other POST changes it (`0001` is moved away by the household update).
const OBJECTOR: &str = "0006";

/// The notice fixtures. Published notices never change (a trigger refuses it), so each POST
/// route works on a notice of its own.
#[derive(Default)]
struct Notices {
    /// A draft of village `a`: `/{notice}` (update) changes its text; also the page GET shows.
    draft: i64,
    /// A draft of village `a` that `/publish` publishes.
    to_publish: i64,
    /// A published notice of village `a` with no successor: `/supersede` starts its new version.
    published: i64,
    /// A published notice of village `a` in its period, with `objection` (unanswered, filed in
    /// writing for `household_a`): `/objections` files another, `/answer` answers `objection`.
    in_period: i64,
    objection: i64,
    /// A published notice of village `b` in its period, with an unanswered objection of its own.
    other_village: i64,
    other_objection: i64,
    /// The household id of [`OBJECTOR`].
    objector: i64,
}

/// What every fixture notice says (only the title differs).
const NOTICE_KIND: minyi::notices::domain::Kind = minyi::notices::domain::Kind::Plan;
const NOTICE_BODY: &str = "村口道路硬化，长三百米，预算二十万元。";
const NOTICE_SUBJECT: &str = "project:1";

/// Builds [`Notices`] through the store, in one transaction, as the app would have.
fn notice_fixtures(w: &World) -> Notices {
    use minyi::db::{DbConn, DbError};
    use minyi::notices::store::{self as notices, Draft, Filing};

    fn notice(
        c: &mut DbConn,
        village_id: i64,
        created_by: i64,
        title: &str,
        published: bool,
    ) -> Result<i64, DbError> {
        let id = notices::create_draft(
            c,
            &Draft {
                village_id,
                kind: NOTICE_KIND,
                title,
                body: NOTICE_BODY,
                subject: Some(NOTICE_SUBJECT),
                supersedes: None,
                created_by,
            },
        )?;
        if published {
            let notice = notices::publish(c, id, minyi::db::now())?;
            assert!(
                notice.is_some_and(|n| n.is_published()),
                "notice {id} publishes"
            );
        }
        Ok(id)
    }

    fn file(c: &mut DbConn, notice_id: i64, household_id: i64, clerk: i64) -> Result<i64, DbError> {
        notices::file(
            c,
            &Filing {
                notice_id,
                household_id,
                channel: minyi::notices::states::ObjectionChannel::Written,
                body: "路线经过我家承包地，事先没有商量",
                recorded_by: Some(clerk),
            },
            minyi::db::now(),
        )
    }

    let clerk = w.staff_id("clerk.a");
    let clerk_b = w.staff_id("clerk.b");
    let objector = w.app.household(&w.a, OBJECTOR, "678901");
    w.app.with_conn(|c| {
        diesel::Connection::transaction::<_, DbError, _>(c, |c| {
            let draft = notice(c, w.a.id, clerk, "村道硬化实施方案（草稿）", false)?;
            let to_publish = notice(c, w.a.id, clerk, "村道硬化实施方案（待发布）", false)?;
            let published = notice(c, w.a.id, clerk, "村道硬化实施方案", true)?;
            let in_period = notice(c, w.a.id, clerk, "路灯安装实施方案", true)?;
            let objection = file(c, in_period, w.household_a, clerk)?;
            let other_village = notice(c, w.b.id, clerk_b, "乙村实施方案", true)?;
            let other_objection = file(c, other_village, w.household_b, clerk_b)?;
            Ok(Notices {
                draft,
                to_publish,
                published,
                in_period,
                objection,
                other_village,
                other_objection,
                objector,
            })
        })
        .expect("notice fixtures")
    })
}

/// The council fixtures. Closed motions and locked minutes never change (triggers refuse it),
/// so each POST route works on a meeting or motion of its own, in the state it needs.
///
/// Village `a`'s council is council.a, council.a2 and target.a. Wherever attendance is taken,
/// council.a and council.a2 are recorded present: 2 of 3, quorate at the default 2/3.
#[derive(Default)]
struct Council {
    /// Staff ids of council.a (who votes, recuses and signs) and council.a2.
    member: i64,
    second: i64,
    /// How many members village `a`'s council has (target.a included).
    members: i32,
    /// An open, quorate meeting of `a`: the GET pages show it, `/motions` puts a motion to it,
    /// and it holds the motions below.
    open: i64,
    /// A draft motion of `open` (`/open` opens it).
    draft: i64,
    /// Open motions of `open`: `/close` closes `to_close`, `/hands` records council.a2's
    /// raised hand on `hands`, council.a votes on `to_vote` and recuses from `to_recuse`.
    to_close: i64,
    hands: i64,
    to_vote: i64,
    to_recuse: i64,
    /// An open motion of `open` that `/withdraw` withdraws.
    to_withdraw: i64,
    /// A scheduled meeting (`/state` opens it) with a draft motion of its own, `elsewhere`.
    scheduled: i64,
    elsewhere: i64,
    /// A scheduled meeting with no attendance yet (`/attendance` records it).
    unrecorded: i64,
    /// A closed meeting without minutes (`/minutes` writes them).
    closed: i64,
    /// A closed meeting with minutes nobody has signed yet. `/sign` is council.a's signature;
    /// council.a2, also present, has not signed, so the minutes stay unlocked.
    signing: i64,
    /// The SHA-256 of `signing`'s minutes, which the signature form carries.
    signing_hash: String,
    /// A closed meeting with minutes nobody has answered yet. `/refuse` is council.a's refusal
    /// to sign; council.a2, also present, has not answered, so the minutes stay unlocked.
    refusing: i64,
    /// A closed meeting whose minutes are signed, locked and published (`/correction`).
    locked: i64,
    /// An open meeting of village `b` (council.b present) with an open motion.
    other_meeting: i64,
    other_motion: i64,
}

/// The title of the meeting `/meetings` convenes.
const NEW_MEETING: &str = "第三次议事会";
/// The text of the motion `/motions` puts, the reason of council.a's recusal and the clerk's
/// notes in the minutes `/minutes` writes.
const NEW_MOTION: &str = "关于修建村口道路的议题";
const RECUSAL_REASON: &str = "本人亲属承包该项工程";
const MINUTES_NOTES: &str = "会议按时召开，秩序良好。";

/// Builds [`Council`] through the council store, in one transaction, as the app would have.
fn council_fixtures(w: &World) -> Council {
    use minyi::council::domain::MotionKind;
    use minyi::council::states::{AttendanceStatus, MeetingState};
    use minyi::council::store::{self as council, NewMeeting};
    use minyi::council::tally::Rule;
    use minyi::db::{DbConn, DbError};

    /// A meeting of the village, moved to `state`, with `present` recorded present (attendance
    /// is taken before a meeting closes).
    fn meeting(
        c: &mut DbConn,
        village_id: i64,
        convened_by: i64,
        title: &str,
        state: &str,
        present: &[i64],
    ) -> Result<i64, DbError> {
        let id = council::create_meeting(
            c,
            &NewMeeting {
                group_id: None,
                village_id,
                title,
                place: "村部会议室",
                starts_at: minyi::db::now() + chrono::TimeDelta::days(1),
                quorum: (2, 3),
                convened_by,
                agenda: "",
            },
        )?;
        if state != "scheduled" {
            assert!(
                council::set_meeting_state(c, id, MeetingState::Scheduled, MeetingState::Open)?,
                "meeting {id} opens"
            );
        }
        for member in present {
            council::set_attendance(c, id, *member, AttendanceStatus::Present, convened_by)?;
        }
        if state == "closed" {
            assert!(
                council::set_meeting_state(c, id, MeetingState::Open, MeetingState::Closed)?,
                "meeting {id} closes"
            );
        }
        Ok(id)
    }

    /// A motion with the default rule, opened when `members` is given (the council's size).
    fn motion(
        c: &mut DbConn,
        meeting: i64,
        text: &str,
        members: Option<i32>,
    ) -> Result<i64, DbError> {
        let id = council::create_motion(
            c,
            meeting,
            MotionKind::General,
            text,
            &Rule::MAJORITY_OF_ALL,
            None,
        )?;
        if let Some(members) = members {
            assert!(
                minyi::council::motion_store::mark_open(c, id, members)?,
                "motion {id} opens"
            );
            // Its roll, as opening takes it: the council now and who is present now.
            use minyi::db::schema::meetings as mt;
            let (village, group): (i64, Option<i64>) = mt::table
                .find(meeting)
                .select((mt::village_id, mt::group_id))
                .first(c)?;
            let council_now = council::members(c, village, group)?;
            let present = council::present(c, meeting)?;
            minyi::council::snapshot::take_roll(
                c,
                id,
                &council_now,
                &present,
                &Default::default(),
            )?;
        }
        Ok(id)
    }

    let clerk = w.staff_id("clerk.a");
    let clerk_b = w.staff_id("clerk.b");
    let member = w.staff_id("council.a");
    let second = w.staff_id("council.a2");
    let member_b = w.staff_id("council.b");
    let present = [member, second];
    w.app.with_conn(|c| {
        diesel::Connection::transaction::<_, DbError, _>(c, |c| {
            let size = |c: &mut DbConn, village: i64| {
                council::members(c, village, None)
                    .map(|m| i32::try_from(m.len()).expect("council size"))
            };
            let members = size(c, w.a.id)?;
            assert_eq!(
                members, 3,
                "council.a, council.a2 and target.a sit on a's council"
            );
            let open = meeting(c, w.a.id, clerk, "第一次议事会", "open", &present)?;
            let draft = motion(c, open, "关于安装路灯的议题", None)?;
            let to_close = motion(c, open, "关于修缮祠堂的议题", Some(members))?;
            let hands = motion(c, open, "关于清理河道的议题", Some(members))?;
            let to_vote = motion(c, open, "关于硬化村道的议题", Some(members))?;
            let to_recuse = motion(c, open, "关于新建桥梁的议题", Some(members))?;
            let to_withdraw = motion(c, open, "关于重复提交的议题", Some(members))?;
            let scheduled = meeting(c, w.a.id, clerk, "第二次议事会", "scheduled", &[])?;
            let elsewhere = motion(c, scheduled, "关于修建广场的议题", None)?;
            let unrecorded = meeting(c, w.a.id, clerk, "临时议事会", "scheduled", &[])?;
            let closed = meeting(c, w.a.id, clerk, "上月议事会", "closed", &present)?;
            let signing = meeting(c, w.a.id, clerk, "上季度议事会", "closed", &present)?;
            let officers = minyi::council::minutes::Officers {
                chair: (present[0], "主持人".into()),
                recorder: (clerk, "记录人".into()),
            };
            let held = council::meeting(c, w.a.id, signing)?.expect("the signing meeting");
            let body = minyi::council::minutes::generate(c, &held, &officers, "")?;
            assert!(
                council::save_minutes(c, signing, &body, &officers, "")?,
                "minutes of meeting {signing}"
            );
            let signing_hash = minyi::council::domain::minutes_hash(&body);
            let refusing = meeting(c, w.a.id, clerk, "上半年议事会", "closed", &present)?;
            let held = council::meeting(c, w.a.id, refusing)?.expect("the refusing meeting");
            let body = minyi::council::minutes::generate(c, &held, &officers, "")?;
            assert!(
                council::save_minutes(c, refusing, &body, &officers, "")?,
                "minutes of meeting {refusing}"
            );
            let locked = meeting(c, w.a.id, clerk, "去年议事会", "closed", &present)?;
            let held = council::meeting(c, w.a.id, locked)?.expect("the locked meeting");
            let body = minyi::council::minutes::generate(c, &held, &officers, "")?;
            assert!(
                council::save_minutes(c, locked, &body, &officers, "")?,
                "minutes of meeting {locked}"
            );
            assert!(
                council::lock(c, locked, &minyi::council::domain::minutes_hash(&body))?,
                "locked {locked}"
            );
            let draft_notice = minyi::notices::store::Draft {
                village_id: w.a.id,
                kind: minyi::notices::domain::Kind::CouncilResult,
                title: "议事会决议：去年议事会",
                body: &body,
                subject: Some(&format!("meeting:{locked}")),
                supersedes: None,
                created_by: clerk,
            };
            minyi::notices::store::create_published(c, &draft_notice, minyi::db::now())?;
            let other_meeting = meeting(c, w.b.id, clerk_b, "乙村议事会", "open", &[member_b])?;
            let b_members = size(c, w.b.id)?;
            let other_motion = motion(c, other_meeting, "乙村的议题", Some(b_members))?;
            Ok(Council {
                member,
                second,
                members,
                open,
                draft,
                to_close,
                hands,
                to_vote,
                to_recuse,
                to_withdraw,
                scheduled,
                elsewhere,
                unrecorded,
                closed,
                signing,
                signing_hash,
                refusing,
                locked,
                other_meeting,
                other_motion,
            })
        })
        .expect("council fixtures")
    })
}

/// Staff accounts made for these tests: (username, role, scope). Some hold a role over a
/// scope the administrator pages would not hand out (a clerk of a group, an auditor or an
/// administrator of one village); the guards must refuse them all the same.
fn accounts(w: &World) -> Vec<(&'static str, Role, Scope)> {
    let t = w.a.township_id;
    vec![
        ("clerk.a", Role::Clerk, Scope::Village(w.a.id)),
        ("clerk.b", Role::Clerk, Scope::Village(w.b.id)),
        ("clerk.group", Role::Clerk, Scope::Group(w.a.groups[0])),
        ("council.a", Role::CouncilMember, Scope::Village(w.a.id)),
        ("council.a2", Role::CouncilMember, Scope::Village(w.a.id)),
        ("council.b", Role::CouncilMember, Scope::Village(w.b.id)),
        (
            "council.group",
            Role::CouncilMember,
            Scope::Group(w.a.groups[0]),
        ),
        ("supervisor.a", Role::Supervisor, Scope::Village(w.a.id)),
        // Writes as a supervisor (supervisor.a's password is changed by an earlier POST).
        ("supervisor.a2", Role::Supervisor, Scope::Village(w.a.id)),
        ("auditor.a", Role::Auditor, Scope::Village(w.a.id)),
        ("auditor.t", Role::Auditor, Scope::Township(t)),
        ("admin.t", Role::Admin, Scope::Township(t)),
        ("admin.a", Role::Admin, Scope::Village(w.a.id)),
        ("admin.t2", Role::Admin, Scope::Township(w.other_township)),
        (
            "clerk.t2",
            Role::Clerk,
            Scope::Village(w.other_township_village),
        ),
    ]
}

/// The accounts that must be refused on a route allowed to `allowed`.
fn wrong_accounts(allowed: Allowed) -> &'static [&'static str] {
    match allowed {
        Allowed::AnyStaff => &[],
        Allowed::AuditReader => &[
            "clerk.a",
            "council.a",
            "council.group",
            "supervisor.a",
            "auditor.a",
        ],
        Allowed::VillageClerk => &[
            "clerk.b",
            "clerk.group",
            "clerk.t2",
            "council.a",
            "council.b",
            "council.group",
            "supervisor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
        Allowed::TownshipAdmin => &[
            "clerk.a",
            "council.a",
            "council.b",
            "supervisor.a",
            "auditor.t",
            "auditor.a",
            "admin.a",
        ],
        Allowed::VillageCouncil => &[
            "clerk.a",
            "clerk.group",
            "council.b",
            "council.group",
            "supervisor.a",
            "auditor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
        Allowed::VillageSorter => &[
            "clerk.b",
            "clerk.group",
            "clerk.t2",
            "council.b",
            "council.group",
            "supervisor.a",
            "auditor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
        Allowed::VillageSupervisor => &[
            "clerk.a",
            "clerk.b",
            "council.a",
            "council.group",
            "auditor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
        Allowed::VillageProjectStaff => &[
            "clerk.b",
            "clerk.group",
            "clerk.t2",
            "council.a",
            "council.b",
            "council.group",
            "auditor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
    }
}

/// The accounts that must get through on a route allowed to `allowed`.
fn right_accounts(allowed: Allowed) -> &'static [&'static str] {
    match allowed {
        Allowed::AnyStaff => &[
            "clerk.a",
            "clerk.b",
            "clerk.group",
            "clerk.t2",
            "council.a",
            "council.a2",
            "council.b",
            "council.group",
            "supervisor.a",
            "auditor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
            "admin.t2",
        ],
        Allowed::AuditReader => &["auditor.t", "admin.t"],
        Allowed::VillageClerk => &["clerk.a"],
        Allowed::TownshipAdmin => &["admin.t"],
        // The first one votes, recuses and signs in the POSTs.
        Allowed::VillageCouncil => &["council.a", "council.a2"],
        // The council member writes in the POSTs (the clerk's writes are tried elsewhere).
        Allowed::VillageSorter => &["council.a", "clerk.a", "council.a2"],
        Allowed::VillageSupervisor => &["supervisor.a2", "supervisor.a"],
        Allowed::VillageProjectStaff => &["clerk.a", "supervisor.a"],
    }
}

async fn world() -> World {
    use minyi::villages::store as places;
    let app = spawn_app().await;
    let a = app.village("authza");
    let b = app.village("authzb");
    let household_a = app.household(&a, "0001", "123456");
    let household_b = app.household(&b, "0001", "123456");
    let (other_township, other_township_village) = app.with_conn(|c| {
        let t2 = places::create_township(c, "t2", "第二镇").expect("township t2");
        let v = places::create_village(c, t2, "authzc", "authzc村").expect("village in t2");
        (t2, v)
    });
    // Sign-in locks for the lift routes: an account nobody signs in with, and a 户号 of village
    // a that a guesser tried (the key exists whether or not the household does).
    app.staff("locked.a", Role::Supervisor, Scope::Village(a.id));
    app.with_conn(|c| {
        use minyi::auth::{store, throttle::Policy};
        for key in [
            "staff:locked.a".to_string(),
            format!("household:{}:0099", a.id),
        ] {
            for _ in 0..Policy::PER_ACCOUNT.max_failures {
                store::count(c, &key, minyi::db::now(), Policy::PER_ACCOUNT).expect("lock");
            }
        }
    });
    let target = app.staff("target.a", Role::Supervisor, Scope::Village(a.id));
    let target_assignment = app.with_conn(|c| {
        use minyi::db::schema::role_assignments::dsl as ra;
        minyi::accounts::store::assign(c, target, Role::CouncilMember, Scope::Village(a.id))
            .expect("assign");
        ra::role_assignments
            .filter(ra::staff_id.eq(target).and(ra::role.eq("council_member")))
            .select(ra::id)
            .first::<i64>(c)
            .expect("assignment id")
    });
    let mut w = World {
        app,
        a,
        b,
        household_a,
        household_b,
        target,
        target_assignment,
        other_township_village,
        other_township,
        rounds: Rounds::default(),
        notices: Notices::default(),
        council: Council::default(),
        sorting: Sorting::default(),
        reviews: reviews::Reviews::default(),
        projects: projects::Projects::default(),
        ledger: Ledger::default(),
    };
    for (name, role, scope) in accounts(&w) {
        w.app.staff(name, role, scope);
    }
    w.rounds = collection_fixtures(&w);
    w.notices = notice_fixtures(&w);
    w.council = council_fixtures(&w);
    w.sorting = sorting_fixtures(&w);
    let clerk = w.staff_id("clerk.a");
    w.reviews = reviews::review_fixtures(&w.app, &w.a, clerk);
    w.projects = projects::fixtures(&w.app, &w.a.code, w.council.draft, clerk);
    w.ledger = ledger_fixtures(&w);
    w
}

/// The ids `{round}`, `{site}`, `{notice}`, `{objection}`, `{meeting}`, `{motion}` and
/// `{candidate}` are filled with.
#[derive(Clone, Copy)]
struct Places {
    round: i64,
    site: i64,
    notice: i64,
    objection: i64,
    meeting: i64,
    motion: i64,
    candidate: i64,
}

impl World {
    /// Fills a pattern: `{village}` with `village`, `{id}` with `id` (a household under
    /// /staff/v/…, a staff account under /staff/accounts), `{assignment}` with the target's,
    /// and the other placeholders with what the route works on (see [`World::places`]).
    fn fill(&self, pattern: &str, village: &str, id: i64) -> String {
        self.fill_at(pattern, village, id, self.places(pattern))
    }

    /// [`World::fill`] with the `{round}` and `{site}` given.
    fn fill_round(&self, pattern: &str, village: &str, id: i64, round: i64, site: i64) -> String {
        let places = Places {
            round,
            site,
            ..self.places(pattern)
        };
        self.fill_at(pattern, village, id, places)
    }

    /// [`World::fill`] under village `a` with the `{notice}` and `{objection}` given.
    fn fill_notice(&self, pattern: &str, notice: i64, objection: i64) -> String {
        let places = Places {
            notice,
            objection,
            ..self.places(pattern)
        };
        self.fill_at(pattern, &self.a.code, self.household_a, places)
    }

    /// [`World::fill`] under village `a` with the `{round}` and `{candidate}` given.
    fn fill_candidate(&self, pattern: &str, round: i64, candidate: i64) -> String {
        let places = Places {
            round,
            candidate,
            ..self.places(pattern)
        };
        self.fill_at(pattern, &self.a.code, self.household_a, places)
    }

    /// [`World::fill`] with the `{meeting}` and `{motion}` given.
    fn fill_council(&self, pattern: &str, village: &str, meeting: i64, motion: i64) -> String {
        let places = Places {
            meeting,
            motion,
            ..self.places(pattern)
        };
        self.fill_at(pattern, village, self.household_a, places)
    }

    /// What a route works on: `{round}` is the closed round for `/state` (publishing it is the
    /// move it allows) and the sorting routes, else the open one; `{candidate}` the candidate of
    /// [`Sorting`] made for the route; `{site}` the open round's site; `{notice}` the
    /// notice of [`Notices`] made for the route; `{objection}` the in-period notice's objection;
    /// `{meeting}` and `{motion}` the meeting and motion of [`Council`] made for the route.
    fn places(&self, pattern: &str) -> Places {
        let c = &self.council;
        let meeting = if pattern.ends_with("/{meeting}/attendance") {
            c.unrecorded
        } else if pattern.ends_with("/meetings/{meeting}/state") {
            c.scheduled
        } else if pattern.ends_with("/{meeting}/minutes") {
            c.closed
        } else if pattern.ends_with("/{meeting}/sign") {
            c.signing
        } else if pattern.ends_with("/{meeting}/refuse") {
            c.refusing
        } else if pattern.ends_with("/{meeting}/refusal") {
            // `/minutes` has written `closed`'s minutes by now; nobody has signed them.
            c.closed
        } else if pattern.ends_with("/{meeting}/correction") {
            c.locked
        } else {
            c.open
        };
        let motion = if pattern.ends_with("/{motion}/close") {
            c.to_close
        } else if pattern.ends_with("/{motion}/hands") {
            c.hands
        } else if pattern.ends_with("/{motion}/vote") {
            c.to_vote
        } else if pattern.ends_with("/{motion}/recuse") {
            c.to_recuse
        } else if pattern.ends_with("/{motion}/withdraw") {
            c.to_withdraw
        } else {
            c.draft
        };
        let n = &self.notices;
        let notice = if pattern.ends_with("/publish") {
            n.to_publish
        } else if pattern.ends_with("/supersede") {
            n.published
        } else if pattern.contains("/{notice}/objections") {
            n.in_period
        } else {
            n.draft
        };
        let candidate = if pattern.ends_with("/merge") {
            self.sorting.into
        } else {
            self.sorting.to_split
        };
        Places {
            round: if pattern.ends_with("/state") || pattern.contains("/candidates") {
                self.rounds.closed
            } else {
                self.rounds.open
            },
            site: self.rounds.site,
            notice,
            objection: n.objection,
            meeting,
            motion,
            candidate,
        }
    }

    fn fill_at(&self, pattern: &str, village: &str, id: i64, places: Places) -> String {
        let path = pattern
            .replace("{village}", village)
            .replace("{id}", &id.to_string())
            .replace("{assignment}", &self.target_assignment.to_string())
            .replace("{round}", &places.round.to_string())
            .replace("{site}", &places.site.to_string())
            .replace("{notice}", &places.notice.to_string())
            .replace("{objection}", &places.objection.to_string())
            .replace("{meeting}", &places.meeting.to_string())
            .replace("{motion}", &places.motion.to_string())
            .replace("{candidate}", &places.candidate.to_string())
            .replace("{review}", &self.reviews.open.to_string())
            .replace("{item}", &self.reviews.flagged_item.to_string())
            .replace("{project}", &self.projects.project(pattern).to_string())
            .replace(
                "{inspection}",
                &self.projects.inspection(pattern).to_string(),
            )
            .replace("{fund}", &self.ledger.fund.to_string())
            .replace("{attachment}", &self.ledger.voucher.to_string())
            .replace(
                "{entry}",
                &if pattern.ends_with("/reject") {
                    self.ledger.to_reject
                } else {
                    self.ledger.to_post
                }
                .to_string(),
            );
        assert!(
            !path.contains('{'),
            "{pattern}: a placeholder World::fill does not know"
        );
        path
    }

    fn staff_id(&self, username: &str) -> i64 {
        use minyi::db::schema::staff::dsl as s;
        self.app.with_conn(|c| {
            s::staff
                .filter(s::username.eq(username))
                .select(s::id)
                .first::<i64>(c)
                .unwrap_or_else(|e| panic!("staff {username}: {e}"))
        })
    }

    /// The route filled with the fixtures' own ids: village `a`, its household, the target account.
    fn path_a(&self, route: &Route) -> String {
        let id = if route.pattern.starts_with("/staff/accounts") {
            self.target
        } else {
            self.household_a
        };
        self.fill(route.pattern, &self.a.code, id)
    }

    async fn signed_in(&self, username: &str) -> Browser {
        let browser = self.app.browser();
        browser.login_staff(username).await;
        browser
    }

    /// Form fields that would write something if the request were let through.
    fn fields(&self, route: &Route) -> Vec<(&'static str, String)> {
        let group = self.a.groups[0].to_string();
        match route.pattern {
            "/staff/password" => vec![
                ("current", STAFF_PASSWORD.to_string()),
                ("new", "Another-pass-2027".to_string()),
                ("repeat", "Another-pass-2027".to_string()),
            ],
            "/staff/v/{village}/households/new" => vec![
                ("number", "0901".to_string()),
                ("head_name", "王秀英".to_string()),
                ("members", "4".to_string()),
                ("group", group),
            ],
            "/staff/v/{village}/households/import" => {
                vec![(
                    "rows",
                    "户号,户主姓名,人口,小组\n0902,李四,2,一组\n".to_string(),
                )]
            }
            "/staff/v/{village}/households/{id}" => vec![
                ("number", "0001".to_string()),
                ("head_name", "改了名".to_string()),
                ("members", "7".to_string()),
                ("group", group),
                ("status", "moved".to_string()),
            ],
            "/staff/v/{village}/households/{id}/pin" => vec![],
            "/staff/accounts/new" => vec![
                ("username", "newbie.a".to_string()),
                ("display_name", "新来的".to_string()),
                ("email", String::new()),
                ("role", "clerk".to_string()),
                ("scope", format!("v:{}", self.a.id)),
            ],
            "/staff/accounts/{id}/roles" => {
                vec![
                    ("role", "clerk".to_string()),
                    ("scope", format!("v:{}", self.a.id)),
                ]
            }
            "/staff/accounts/{id}/roles/{assignment}/remove" => vec![],
            "/staff/accounts/{id}/active" => vec![("active", "false".to_string())],
            "/staff/accounts/{id}/password" => vec![],
            "/staff/accounts/{id}/2fa/reset" => {
                vec![("reason", "验证器和恢复码都丢了".to_string())]
            }
            // The locks `world` sets up.
            "/staff/locks/lift" => vec![("name", "locked.a".to_string())],
            "/staff/v/{village}/locks/lift" => vec![("name", "0099".to_string())],
            "/staff/sessions/end-others" => vec![],
            // The code of the secret its GET left waiting (any code where there is none).
            "/staff/2fa" => {
                let id = self.staff_id("council.group");
                let waiting = self
                    .app
                    .with_conn(|c| minyi::auth::two_factor::enrolment(c, id).expect("enrolment"));
                let code = waiting
                    .and_then(|w| minyi::auth::totp::base32_decode(&w.secret))
                    .map(|secret| {
                        minyi::auth::totp::code_at(&secret, chrono::Utc::now().timestamp())
                    })
                    .unwrap_or_else(|| "000000".to_string());
                vec![("code", code)]
            }
            "/staff/v/{village}/rounds/new" => {
                let now = minyi::db::now();
                vec![
                    ("title", "2028年度民主征集".to_string()),
                    ("year", "2028".to_string()),
                    ("opens_at", minyi::time::to_local_input(now)),
                    (
                        "closes_at",
                        minyi::time::to_local_input(now + chrono::TimeDelta::days(14)),
                    ),
                    ("min_suggestions", "1".to_string()),
                    ("max_suggestions", "5".to_string()),
                    (
                        "categories",
                        minyi::collection::domain::DEFAULT_CATEGORIES.join("\n"),
                    ),
                    ("double_entry", String::new()),
                ]
            }
            "/staff/v/{village}/reviews/new" => {
                let now = minyi::db::now();
                vec![
                    ("year", "2026".to_string()),
                    ("half", "second".to_string()),
                    ("opens_at", minyi::time::to_local_input(now)),
                    (
                        "closes_at",
                        minyi::time::to_local_input(now + chrono::TimeDelta::days(14)),
                    ),
                    ("free_items", "村务公开工作".to_string()),
                ]
            }
            "/staff/v/{village}/reviews/settings" => {
                vec![("formula", "satisfied_only".to_string())]
            }
            "/staff/v/{village}/reviews/items/{item}/reconsult" => vec![
                ("held_on", "2026-08-01".to_string()),
                ("method", "入户走访".to_string()),
                ("heard", "公开栏更新不及时".to_string()),
                ("changes", "每月 5 日前更新".to_string()),
            ],
            "/staff/v/{village}/reviews/{review}/paper" => {
                let mut fields = vec![("number", "0001".to_string())];
                for id in &self.reviews.open_items {
                    let name: &'static str = Box::leak(format!("rating-{id}").into_boxed_str());
                    fields.push((name, "basic".to_string()));
                }
                fields
            }
            "/staff/v/{village}/reviews/{review}/state" => vec![("action", "close".to_string())],
            // Fills `{round}` with the closed round: publishing it is the move it allows.
            "/staff/v/{village}/rounds/{round}/state" => vec![("action", "publish".to_string())],
            "/staff/v/{village}/rounds/{round}/roll" => vec![
                ("number", LATE.to_string()),
                ("reason", "开放后迁入本村，补登记".to_string()),
            ],
            "/staff/v/{village}/rounds/{round}/roll/remove" => vec![
                ("number", LEAVER.to_string()),
                ("reason", "全家迁往县城，户籍已迁出".to_string()),
            ],
            "/staff/v/{village}/rounds/{round}/void" => vec![
                ("number", VOTER.to_string()),
                ("reason", "户主说选票是别人代投的".to_string()),
            ],
            "/staff/v/{village}/rounds/{round}/paper" => vec![
                ("number", PAPER.to_string()),
                ("serial", FRESH_SERIAL.to_string()),
                ("site", self.rounds.site.to_string()),
                ("category", "照明".to_string()),
                ("title", "装路灯".to_string()),
                ("details", "二组到小学一段没有路灯".to_string()),
                ("place", "二组".to_string()),
                ("cost", "8000".to_string()),
                // A blank second row, as the form sends it.
                ("category", "道路交通".to_string()),
                ("title", String::new()),
                ("details", String::new()),
                ("place", String::new()),
                ("cost", String::new()),
            ],
            "/staff/v/{village}/rounds/{round}/reconcile" => {
                vec![("entry", self.rounds.mismatch_entry.to_string())]
            }
            "/staff/v/{village}/rounds/{round}/sites" => vec![("name", "二组活动室".to_string())],
            "/staff/v/{village}/rounds/{round}/sites/{site}/certify" => vec![
                ("issued", "20".to_string()),
                ("returned", "18".to_string()),
                ("spoiled", "1".to_string()),
                ("custodian_one", "李明".to_string()),
                ("custodian_two", "王芳".to_string()),
                ("staff_custodian_one", "张文书".to_string()),
                ("staff_custodian_two", "刘干事".to_string()),
            ],
            "/staff/v/{village}/notices/new" => vec![
                ("kind", "fund_statement".to_string()),
                ("title", "2027年一季度资金使用情况".to_string()),
                ("body", "一季度支出三万二千元，明细见附表。".to_string()),
                ("subject", "fund:2".to_string()),
            ],
            // The draft's own kind: the update keeps the kind it was created with.
            "/staff/v/{village}/notices/{notice}" => vec![
                ("kind", NOTICE_KIND.as_str().to_string()),
                ("title", "村道硬化实施方案（修改稿）".to_string()),
                (
                    "body",
                    "村口道路硬化，长三百五十米，预算二十二万元。".to_string(),
                ),
                ("subject", "project:2".to_string()),
            ],
            "/staff/v/{village}/notices/{notice}/publish" => vec![],
            "/staff/v/{village}/notices/{notice}/supersede" => vec![],
            "/staff/v/{village}/notices/{notice}/objections" => vec![
                ("number", OBJECTOR.to_string()),
                ("channel", "oral".to_string()),
                ("body", "路灯位置离学校太远，建议调整".to_string()),
            ],
            "/staff/v/{village}/notices/{notice}/objections/{objection}/answer" => vec![
                (
                    "answer",
                    "经村民代表会议研究，线路调整为沿村界走向。".to_string(),
                ),
                ("upheld", "on".to_string()),
            ],
            // A kind no fixture notice and no other POST uses, so no period here changes them.
            "/staff/v/{village}/notices/periods" => vec![
                ("kind", "review_result".to_string()),
                ("days", "15".to_string()),
            ],
            "/staff/v/{village}/notices/phone" => vec![("phone", "0571-8888 1234".to_string())],
            "/staff/v/{village}/supervision/rounds/{round}/remarks" => {
                vec![("body", "作废理由写得清楚，名册变动有据。".to_string())]
            }
            "/staff/v/{village}/meetings" => vec![
                ("title", NEW_MEETING.to_string()),
                ("place", "村部会议室".to_string()),
                ("starts_at", "2026-12-01T09:00".to_string()),
                ("quorum", "2/3".to_string()),
            ],
            "/staff/v/{village}/meetings/{meeting}/attendance" => vec![
                ("member", self.council.member.to_string()),
                ("value", "present".to_string()),
                ("member", self.council.second.to_string()),
                ("value", "present".to_string()),
            ],
            // Fills `{meeting}` with the scheduled meeting.
            "/staff/v/{village}/meetings/{meeting}/state" => vec![("action", "open".to_string())],
            "/staff/v/{village}/meetings/{meeting}/motions" => vec![
                ("kind", "general".to_string()),
                ("text", NEW_MOTION.to_string()),
                ("base", "all_members".to_string()),
                ("fraction", "1/2".to_string()),
                ("strict", "on".to_string()),
                ("min_yes", "1".to_string()),
            ],
            "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open" => vec![],
            "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close" => vec![],
            "/staff/v/{village}/meetings/{meeting}/motions/{motion}/withdraw" => {
                vec![("reason", "与第二项议题重复".to_string())]
            }
            "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands" => vec![
                ("member", self.council.second.to_string()),
                ("value", "yes".to_string()),
            ],
            "/staff/v/{village}/meetings/{meeting}/minutes" => vec![
                ("notes", MINUTES_NOTES.to_string()),
                ("chair", self.council.second.to_string()),
            ],
            "/staff/v/{village}/council-settings" => vec![
                ("quorum", "2/3".to_string()),
                ("base", "all_members".to_string()),
                ("fraction", "1/2".to_string()),
                ("strict", "on".to_string()),
                ("min_yes", "1".to_string()),
            ],
            "/staff/v/{village}/meetings/{meeting}/correction" => {
                vec![("text", "第二项议题的表决时间应为上午十时。".to_string())]
            }
            "/staff/v/{village}/council/{meeting}/motions/{motion}/vote" => {
                vec![("choice", "yes".to_string())]
            }
            "/staff/v/{village}/council/{meeting}/motions/{motion}/recuse" => {
                vec![("reason", RECUSAL_REASON.to_string())]
            }
            // council.a2, present at `closed`, has not signed: the clerk records the refusal.
            "/staff/v/{village}/meetings/{meeting}/refusal" => vec![
                ("member", self.council.second.to_string()),
                ("reason", "记录与事实不符".to_string()),
            ],
            "/staff/v/{village}/council/{meeting}/sign" => vec![
                ("password", STAFF_PASSWORD.to_string()),
                ("minutes_hash", self.council.signing_hash.clone()),
            ],
            "/staff/v/{village}/council/{meeting}/refuse" => {
                vec![("reason", "记录漏写了我的反对意见".to_string())]
            }
            "/staff/v/{village}/rounds/{round}/candidates" => vec![
                ("title", NEW_CANDIDATE.to_string()),
                ("description", "村口小河上修一座便桥".to_string()),
                ("category", "道路交通".to_string()),
                ("group", group),
                ("cost", "50000".to_string()),
                ("suggestion", self.sorting.bridge.to_string()),
            ],
            "/staff/v/{village}/rounds/{round}/candidates/shortlist" => vec![],
            // Fills `{candidate}` with the candidate holding both roads.
            "/staff/v/{village}/rounds/{round}/candidates/{candidate}/split" => vec![
                ("title", SPLIT_CANDIDATE.to_string()),
                ("suggestion", self.sorting.road_voter.to_string()),
            ],
            // Fills `{candidate}` with the one holding the lamps.
            "/staff/v/{village}/rounds/{round}/candidates/{candidate}/merge" => {
                vec![("from", self.sorting.from.to_string())]
            }
            "/staff/v/{village}/funds/new" => vec![
                ("year", "2027".to_string()),
                ("name", "2027年村级公共服务和社会管理专项资金".to_string()),
                ("source", "县财政".to_string()),
                ("allocation", "200000".to_string()),
                ("algorithm", "sm3".to_string()),
            ],
            "/staff/v/{village}/funds/{fund}/entries" => vec![
                ("kind", "allocation".to_string()),
                ("voucher", "拨-9".to_string()),
                ("date", "2026-04-01".to_string()),
                ("payee", "本村".to_string()),
                ("description", "第二批资金".to_string()),
                ("amount", "50000".to_string()),
            ],
            "/staff/v/{village}/funds/{fund}/statement" => vec![("month", "2026-03".to_string())],
            "/staff/v/{village}/funds/{fund}/entries/{entry}/post" => vec![],
            // A multipart upload: a url-encoded form carries no file (uploads: `ledger_vouchers`).
            "/staff/v/{village}/funds/{fund}/entries/{entry}/vouchers" => vec![],
            "/staff/v/{village}/funds/{fund}/entries/{entry}/reject" => {
                vec![("reason", "凭证不全".to_string())]
            }
            other => projects::fields(other).unwrap_or_else(|| {
                panic!("no form fields written for POST {other}; add them to World::fields")
            }),
        }
    }

    /// What a POST could change: households, staff accounts and their roles, collection rounds
    /// with their rolls, ballots, paper typings and sites, notices and objections, council
    /// meetings with their attendance, motions, recusals, votes, minutes and signatures,
    /// candidate projects with their source suggestions, projects, audit rows.
    fn snapshot(&self) -> Snapshot {
        use minyi::db::schema::attendance::dsl as at;
        use minyi::db::schema::ballots::dsl as b;
        use minyi::db::schema::candidate_suggestions::dsl as cls;
        use minyi::db::schema::candidates::dsl as cd;
        use minyi::db::schema::collection_rounds::dsl as cr;
        use minyi::db::schema::collection_sites::dsl as cs;
        use minyi::db::schema::households::dsl as h;
        use minyi::db::schema::meetings::dsl as mt;
        use minyi::db::schema::minute_signatures::dsl as ms;
        use minyi::db::schema::minutes::dsl as mn;
        use minyi::db::schema::motions::dsl as mo;
        use minyi::db::schema::notice_periods::dsl as np;
        use minyi::db::schema::notices::dsl as n;
        use minyi::db::schema::objections::dsl as o;
        use minyi::db::schema::paper_entries::dsl as pe;
        use minyi::db::schema::projects::dsl as pr;
        use minyi::db::schema::recusals::dsl as rc;
        use minyi::db::schema::role_assignments::dsl as ra;
        use minyi::db::schema::round_roll::dsl as rr;
        use minyi::db::schema::staff::dsl as s;
        use minyi::db::schema::suggestions::dsl as sg;
        use minyi::db::schema::votes::dsl as vt;
        self.app.with_conn(|c| Snapshot {
            rounds: cr::collection_rounds
                .order(cr::id)
                .select((cr::id, cr::village_id, cr::title, cr::state, cr::roll_size))
                .load(c)
                .expect("rounds"),
            roll: rr::round_roll
                .order((rr::round_id, rr::household_id))
                .select((rr::round_id, rr::household_id, rr::added_reason))
                .load(c)
                .expect("roll"),
            ballots: b::ballots
                .order(b::id)
                .select((
                    b::id,
                    b::round_id,
                    b::household_id,
                    b::channel,
                    b::paper_serial,
                    b::version,
                    b::void_reason,
                ))
                .load(c)
                .expect("ballots"),
            suggestions: sg::suggestions.count().get_result(c).expect("suggestions"),
            entries: pe::paper_entries
                .order(pe::id)
                .select((pe::id, pe::paper_serial, pe::entered_by, pe::state))
                .load(c)
                .expect("paper entries"),
            sites: cs::collection_sites
                .order(cs::id)
                .select((
                    cs::id,
                    cs::round_id,
                    cs::name,
                    cs::papers_issued,
                    cs::custodian_one,
                ))
                .load(c)
                .expect("sites"),
            notices: n::notices
                .order(n::id)
                .select((
                    n::id,
                    n::village_id,
                    n::kind,
                    n::title,
                    n::body,
                    n::subject,
                    n::state,
                    n::published_at,
                    n::content_hash,
                    n::supersedes_id,
                ))
                .load(c)
                .expect("notices"),
            periods: np::notice_periods
                .order((np::village_id, np::kind))
                .select((np::village_id, np::kind, np::days))
                .load(c)
                .expect("notice periods"),
            objections: o::objections
                .order(o::id)
                .select((
                    o::id,
                    o::notice_id,
                    o::household_id,
                    o::channel,
                    o::body,
                    o::recorded_by,
                    o::answer,
                    o::upheld,
                    o::answered_by,
                    o::answered_at,
                ))
                .load(c)
                .expect("objections"),
            meetings: mt::meetings
                .order(mt::id)
                .select((
                    mt::id,
                    mt::village_id,
                    mt::title,
                    mt::state,
                    mt::quorum_numerator,
                    mt::quorum_denominator,
                ))
                .load(c)
                .expect("meetings"),
            attendance: at::attendance
                .order((at::meeting_id, at::staff_id))
                .select((at::meeting_id, at::staff_id, at::status, at::recorded_by))
                .load(c)
                .expect("attendance"),
            motions: mo::motions
                .order(mo::id)
                .select((
                    mo::id,
                    mo::meeting_id,
                    mo::kind,
                    mo::text,
                    mo::state,
                    mo::members_at_open,
                    mo::passed,
                    mo::outcome_zh,
                ))
                .load(c)
                .expect("motions"),
            recusals: rc::recusals
                .order((rc::motion_id, rc::staff_id))
                .select((rc::motion_id, rc::staff_id, rc::reason))
                .load(c)
                .expect("recusals"),
            votes: vt::votes
                .order((vt::motion_id, vt::staff_id))
                .select((vt::motion_id, vt::staff_id, vt::choice, vt::recorded_by))
                .load(c)
                .expect("votes"),
            minutes: mn::minutes
                .order(mn::meeting_id)
                .select((
                    mn::meeting_id,
                    mn::body,
                    mn::clerk_notes,
                    mn::content_hash,
                    mn::locked_at,
                ))
                .load(c)
                .expect("minutes"),
            signatures: ms::minute_signatures
                .order((ms::meeting_id, ms::staff_id))
                .select((ms::meeting_id, ms::staff_id))
                .load(c)
                .expect("minute signatures"),
            candidates: cd::candidates
                .order(cd::id)
                .select((
                    cd::id,
                    cd::village_id,
                    cd::round_id,
                    cd::title,
                    cd::category,
                    cd::group_id,
                    cd::rough_cost_fen,
                    cd::temporary,
                    cd::state,
                    cd::merged_into,
                ))
                .load(c)
                .expect("candidates"),
            sources: cls::candidate_suggestions
                .order(cls::suggestion_id)
                .select((cls::suggestion_id, cls::candidate_id))
                .load(c)
                .expect("candidate suggestions"),
            projects: pr::projects
                .order(pr::id)
                .select((
                    pr::id,
                    pr::village_id,
                    pr::candidate_id,
                    pr::title,
                    pr::status,
                ))
                .load(c)
                .expect("projects"),
            households: h::households
                .order(h::id)
                .select((
                    h::id,
                    h::number,
                    h::head_name,
                    h::members,
                    h::status,
                    h::pin_hash,
                ))
                .load(c)
                .expect("households"),
            staff: s::staff
                .order(s::id)
                .select((s::id, s::username, s::password_hash, s::active))
                .load(c)
                .expect("staff"),
            roles: ra::role_assignments
                .order(ra::id)
                .select((ra::id, ra::staff_id, ra::role))
                .load(c)
                .expect("role assignments"),
            audit: self.app.audit_actions(),
        })
    }
}

/// A ballot: (id, round, household, channel, paper serial, version, void reason).
type BallotRow = (i64, i64, i64, String, Option<String>, i32, Option<String>);
/// A collection site: (id, round, name, papers issued, first custodian).
type SiteRow = (i64, i64, String, Option<i32>, Option<String>);
/// A notice: (id, village, kind, title, body, subject, state, published at, content hash,
/// supersedes).
type NoticeRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<chrono::NaiveDateTime>,
    Option<String>,
    Option<i64>,
);
/// An objection: (id, notice, household, channel, body, recorded by, answer, upheld,
/// answered by, answered at).
type ObjectionRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<bool>,
    Option<i64>,
    Option<chrono::NaiveDateTime>,
);

/// A meeting: (id, village, title, state, quorum numerator, quorum denominator).
type MeetingRow = (i64, i64, String, String, i32, i32);
/// A motion: (id, meeting, kind, text, state, members when opened, passed, outcome in Chinese).
type MotionRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<i32>,
    Option<bool>,
    Option<String>,
);
/// A candidate: (id, village, round, title, category, group, rough cost, temporary, state,
/// merged into).
type CandidateRow = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    Option<i64>,
    Option<i64>,
    bool,
    String,
    Option<i64>,
);
/// Minutes: (meeting, body, clerk's notes, content hash, locked at).
type MinutesRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<chrono::NaiveDateTime>,
);

#[derive(Debug, PartialEq)]
struct Snapshot {
    households: Vec<(i64, String, String, i32, String, String)>,
    staff: Vec<(i64, String, String, bool)>,
    roles: Vec<(i64, i64, String)>,
    /// (id, village, title, state, roll size)
    rounds: Vec<(i64, i64, String, String, Option<i32>)>,
    /// (round, household, reason of a late addition)
    roll: Vec<(i64, i64, Option<String>)>,
    ballots: Vec<BallotRow>,
    suggestions: i64,
    /// (id, serial, clerk, state)
    entries: Vec<(i64, String, i64, String)>,
    sites: Vec<SiteRow>,
    notices: Vec<NoticeRow>,
    /// (village, kind, days)
    periods: Vec<(i64, String, i32)>,
    objections: Vec<ObjectionRow>,
    meetings: Vec<MeetingRow>,
    /// (meeting, member, status, recorded by)
    attendance: Vec<(i64, i64, String, i64)>,
    motions: Vec<MotionRow>,
    /// (motion, member, reason)
    recusals: Vec<(i64, i64, String)>,
    /// (motion, member, choice, recorded by the clerk)
    votes: Vec<(i64, i64, String, Option<i64>)>,
    minutes: Vec<MinutesRow>,
    /// (meeting, member)
    signatures: Vec<(i64, i64)>,
    candidates: Vec<CandidateRow>,
    /// (suggestion, candidate)
    sources: Vec<(i64, i64)>,
    /// (id, village, candidate, title, status)
    projects: Vec<(i64, i64, i64, String, String)>,
    audit: Vec<(String, String, String)>,
}

impl Snapshot {
    fn assert_same_as(&self, before: &Snapshot, what: &str) {
        assert_eq!(
            self.households, before.households,
            "{what}: households changed"
        );
        assert_eq!(self.staff, before.staff, "{what}: staff accounts changed");
        assert_eq!(self.roles, before.roles, "{what}: role assignments changed");
        assert_eq!(self.rounds, before.rounds, "{what}: rounds changed");
        assert_eq!(self.roll, before.roll, "{what}: a roll changed");
        assert_eq!(self.ballots, before.ballots, "{what}: ballots changed");
        assert_eq!(
            self.suggestions, before.suggestions,
            "{what}: suggestions written"
        );
        assert_eq!(
            self.entries, before.entries,
            "{what}: paper typings changed"
        );
        assert_eq!(self.sites, before.sites, "{what}: sites changed");
        assert_eq!(self.notices, before.notices, "{what}: notices changed");
        assert_eq!(
            self.periods, before.periods,
            "{what}: notice periods changed"
        );
        assert_eq!(
            self.objections, before.objections,
            "{what}: objections changed"
        );
        assert_eq!(self.meetings, before.meetings, "{what}: meetings changed");
        assert_eq!(
            self.attendance, before.attendance,
            "{what}: attendance changed"
        );
        assert_eq!(self.motions, before.motions, "{what}: motions changed");
        assert_eq!(self.recusals, before.recusals, "{what}: recusals changed");
        assert_eq!(self.votes, before.votes, "{what}: votes changed");
        assert_eq!(self.minutes, before.minutes, "{what}: minutes changed");
        assert_eq!(
            self.signatures, before.signatures,
            "{what}: minute signatures changed"
        );
        assert_eq!(
            self.candidates, before.candidates,
            "{what}: candidates changed"
        );
        assert_eq!(
            self.sources, before.sources,
            "{what}: candidates' source suggestions changed"
        );
        assert_eq!(self.projects, before.projects, "{what}: projects changed");
        let new_rows = &self.audit[before.audit.len().min(self.audit.len())..];
        let writes: Vec<_> = new_rows
            .iter()
            // Sign-ins, and the record of the refusal itself (`web::refusals`), are not writes.
            .filter(|(action, _, _)| !action.ends_with(".login") && action != "request.refused")
            .collect();
        assert!(writes.is_empty(), "{what}: audit rows written: {writes:?}");
        assert!(
            self.audit.starts_with(&before.audit),
            "{what}: earlier audit rows changed"
        );
    }
}

/// What the allowed POST on a route answers (its handler's success response) and the one audit
/// action it writes (`None`: the handler writes no audit row).
fn expected_write(pattern: &str) -> (u16, Option<&'static str>) {
    match pattern {
        "/staff/password" => (200, Some("staff.password")),
        "/staff/v/{village}/households/new" => (200, Some("household.create")),
        "/staff/v/{village}/households/import" => (200, Some("household.import")),
        "/staff/v/{village}/households/{id}" => (303, Some("household.update")),
        "/staff/v/{village}/households/{id}/pin" => (200, Some("household.reset_pin")),
        "/staff/v/{village}/rounds/new" => (303, Some("round.create")),
        "/staff/v/{village}/rounds/{round}/state" => (303, Some("round.publish")),
        "/staff/v/{village}/rounds/{round}/roll" => (303, Some("round.roll_add")),
        "/staff/v/{village}/rounds/{round}/roll/remove" => (303, Some("round.roll_remove")),
        "/staff/v/{village}/rounds/{round}/void" => (303, Some("ballot.void")),
        // A double-entry round: the first typing is kept and waits for a second clerk.
        "/staff/v/{village}/rounds/{round}/paper" => (200, Some("paper.entry")),
        "/staff/v/{village}/rounds/{round}/reconcile" => (303, Some("paper.reconcile")),
        "/staff/v/{village}/rounds/{round}/sites" => (303, Some("site.create")),
        "/staff/v/{village}/rounds/{round}/sites/{site}/certify" => (303, Some("site.certify")),
        "/staff/accounts/new" => (200, Some("staff.create")),
        "/staff/accounts/{id}/roles" => (303, Some("staff.add_role")),
        "/staff/accounts/{id}/roles/{assignment}/remove" => (303, Some("staff.remove_role")),
        "/staff/accounts/{id}/active" => (303, Some("staff.deactivate")),
        "/staff/accounts/{id}/password" => (200, Some("staff.reset_password")),
        "/staff/accounts/{id}/2fa/reset" => (303, Some("staff.reset_2fa")),
        "/staff/sessions/end-others" => (303, Some("staff.end_sessions")),
        "/staff/2fa" => (200, Some("staff.two_factor_enrol")),
        "/staff/locks/lift" | "/staff/v/{village}/locks/lift" => (303, Some("login.lock_lift")),
        "/staff/v/{village}/notices/new" => (303, Some("notice.draft")),
        // Saving a draft's text writes no audit row (see the handler `update`).
        "/staff/v/{village}/notices/{notice}" => (303, Some("notice.edit")),
        "/staff/v/{village}/notices/{notice}/publish" => (303, Some("notice.publish")),
        // The new version is a draft.
        "/staff/v/{village}/notices/{notice}/supersede" => (303, Some("notice.draft")),
        "/staff/v/{village}/notices/{notice}/objections" => (303, Some("objection.file")),
        "/staff/v/{village}/notices/{notice}/objections/{objection}/answer" => {
            (303, Some("objection.answer"))
        }
        "/staff/v/{village}/notices/periods" => (303, Some("notice.period")),
        "/staff/v/{village}/notices/phone" => (303, Some("village.supervision_phone")),
        "/staff/v/{village}/supervision/rounds/{round}/remarks" => {
            (303, Some("supervision.remark"))
        }
        "/staff/v/{village}/meetings" => (303, Some("meeting.create")),
        "/staff/v/{village}/meetings/{meeting}/attendance" => (303, Some("meeting.attendance")),
        "/staff/v/{village}/meetings/{meeting}/state" => (303, Some("meeting.state")),
        "/staff/v/{village}/meetings/{meeting}/motions" => (303, Some("motion.create")),
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open" => (303, Some("motion.open")),
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close" => {
            (303, Some("motion.close"))
        }
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/withdraw" => {
            (303, Some("motion.close"))
        }
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands" => {
            (303, Some("vote.record"))
        }
        "/staff/v/{village}/meetings/{meeting}/minutes" => (303, Some("minutes.write")),
        "/staff/v/{village}/meetings/{meeting}/correction" => (303, Some("minutes.correct")),
        "/staff/v/{village}/meetings/{meeting}/refusal" => (303, Some("minutes.refusal")),
        "/staff/v/{village}/council-settings" => (303, Some("council.settings")),
        "/staff/v/{village}/council/{meeting}/motions/{motion}/vote" => (303, Some("vote.cast")),
        "/staff/v/{village}/council/{meeting}/motions/{motion}/recuse" => {
            (303, Some("motion.recuse"))
        }
        // council.a2, also present, has not signed: no minutes.lock row, no notice.
        "/staff/v/{village}/council/{meeting}/sign" => (303, Some("minutes.sign")),
        // council.a2, also present, has not answered: no minutes.lock row, no notice.
        "/staff/v/{village}/council/{meeting}/refuse" => (303, Some("minutes.refusal")),
        "/staff/v/{village}/rounds/{round}/candidates" => (303, Some("candidate.create")),
        // To the public notice.
        "/staff/v/{village}/rounds/{round}/candidates/shortlist" => {
            (303, Some("shortlist.publish"))
        }
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/split" => {
            (303, Some("candidate.split"))
        }
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/merge" => {
            (303, Some("candidate.merge"))
        }
        "/staff/v/{village}/reviews/new" => (303, Some("review.create")),
        "/staff/v/{village}/reviews/settings" => (303, Some("review.settings")),
        "/staff/v/{village}/reviews/items/{item}/reconsult" => (303, Some("review.reconsult")),
        "/staff/v/{village}/reviews/{review}/paper" => (303, Some("review.paper")),
        "/staff/v/{village}/reviews/{review}/state" => (303, Some("review.close")),
        "/staff/v/{village}/funds/new" => (303, Some("fund.create")),
        "/staff/v/{village}/funds/{fund}/entries" => (303, Some("ledger.record")),
        // A notice draft of kind fund_statement; its own audit row is the statement's.
        "/staff/v/{village}/funds/{fund}/statement" => (303, Some("ledger.statement")),
        "/staff/v/{village}/funds/{fund}/entries/{entry}/post" => (303, Some("ledger.post")),
        "/staff/v/{village}/funds/{fund}/entries/{entry}/vouchers" => {
            (422, Some("request.refused"))
        }
        "/staff/v/{village}/funds/{fund}/entries/{entry}/reject" => (303, Some("ledger.reject")),
        other => projects::expected_write(other).unwrap_or_else(|| {
            panic!("no expected outcome for POST {other}; add it to expected_write")
        }),
    }
}

/// Whether a page shows the text of an i18n key, in any locale.
fn shows(page: &Page, key: &str) -> bool {
    minyi::i18n::Locale::ALL
        .iter()
        .any(|locale| page.body.contains(&locale.t(key)))
}

/// Audit rows written since `before`, other than sign-ins.
fn writes_since(before: &Snapshot, now: &Snapshot) -> Vec<(String, String, String)> {
    now.audit[before.audit.len()..]
        .iter()
        .filter(|(action, _, _)| !action.ends_with(".login"))
        .cloned()
        .collect()
}

async fn post_fields(browser: &Browser, path: &str, fields: &[(&'static str, String)]) -> Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &borrowed).await
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn anonymous_gets_go_to_login_and_anonymous_posts_are_refused() {
    let w = world().await;
    let before = w.snapshot();
    let anonymous = w.app.browser();
    for route in ROUTES {
        let path = w.path_a(route);
        match route.method {
            Method::Get => {
                let page = anonymous.get(&path).await;
                assert_eq!(page.status, 303, "anonymous GET {path}: {}", page.body);
                let location = page.location.unwrap_or_default();
                assert!(
                    location.starts_with("/login?next="),
                    "anonymous GET {path} went to {location}"
                );
                let next = percent_decode(&location["/login?next=".len()..]);
                assert_eq!(
                    next, path,
                    "GET {path}: the login page should come back here"
                );
            }
            Method::Post => {
                let page = post_fields(&anonymous, &path, &w.fields(route)).await;
                assert_eq!(
                    page.status, 403,
                    "anonymous POST {path} (valid CSRF token): {}",
                    page.body
                );
            }
        }
    }
    w.snapshot().assert_same_as(&before, "anonymous requests");
}

#[actix_web::test]
async fn a_signed_in_household_is_no_staff_member() {
    let w = world().await;
    let phone = w.app.browser();
    let login = phone
        .post(
            &format!("/v/{}/login", w.a.code),
            &[("number", "0001"), ("pin", "123456")],
        )
        .await;
    assert_eq!(login.status, 303, "household login: {}", login.body);
    let before = w.snapshot();
    for route in ROUTES {
        let path = w.path_a(route);
        match route.method {
            Method::Get => {
                let page = phone.get(&path).await;
                assert_eq!(page.status, 303, "household GET {path}: {}", page.body);
                let location = page.location.unwrap_or_default();
                assert!(
                    location.starts_with("/login?next="),
                    "household GET {path} went to {location}"
                );
            }
            Method::Post => {
                let page = post_fields(&phone, &path, &w.fields(route)).await;
                assert_eq!(page.status, 403, "household POST {path}: {}", page.body);
            }
        }
    }
    w.snapshot().assert_same_as(&before, "household requests");
}

#[actix_web::test]
async fn staff_without_the_needed_role_are_refused_on_every_route() {
    let w = world().await;
    let before = w.snapshot();
    let mut tried = 0;
    for (name, _, _) in accounts(&w) {
        let browser = w.signed_in(name).await;
        for route in ROUTES
            .iter()
            .filter(|r| wrong_accounts(r.allowed).contains(&name))
        {
            let path = w.path_a(route);
            let page = match route.method {
                Method::Get => browser.get(&path).await,
                Method::Post => post_fields(&browser, &path, &w.fields(route)).await,
            };
            assert_eq!(
                page.status, 403,
                "{name}: {:?} {path} should be refused: {}",
                route.method, page.body
            );
            tried += 1;
        }
    }
    // Every route except the any-staff ones was tried with several wrong roles.
    let restricted = ROUTES
        .iter()
        .filter(|r| r.allowed != Allowed::AnyStaff)
        .count();
    assert!(tried >= restricted * 4, "only {tried} refusals tried");
    w.snapshot().assert_same_as(&before, "wrong-role requests");
}

#[actix_web::test]
async fn staff_holding_the_needed_role_get_through_on_every_route() {
    let w = world().await;
    // GETs: every allowed account sees the page.
    for route in ROUTES.iter().filter(|r| r.method == Method::Get) {
        for name in right_accounts(route.allowed) {
            let browser = w.signed_in(name).await;
            let path = w.path_a(route);
            let page = browser.get(&path).await;
            assert_eq!(page.status, 200, "{name}: GET {path}: {}", page.body);
        }
    }
    // POSTs: the guard lets the request through to the handler, which writes, answers as it
    // does on success and leaves exactly its audit row.
    let before = w.snapshot();
    for route in ROUTES.iter().filter(|r| r.method == Method::Post) {
        let name = match route.allowed {
            // Changing one's own password is for every staff member, not only clerks. Not
            // council.a, who signs in again later to vote and sign minutes with the password.
            // Enrolling a second factor changes how the account signs in: another account.
            Allowed::AnyStaff if route.pattern == "/staff/2fa" => "council.group",
            Allowed::AnyStaff => "supervisor.a",
            _ => right_accounts(route.allowed)[0],
        };
        let browser = w.signed_in(name).await;
        let path = w.path_a(route);
        let (status, action) = expected_write(route.pattern);
        let earlier = w.snapshot();
        let page = post_fields(&browser, &path, &w.fields(route)).await;
        assert_eq!(
            page.status, status,
            "{name}: POST {path} should succeed: {}",
            page.body
        );
        let written: Vec<(String, String)> = writes_since(&earlier, &w.snapshot())
            .into_iter()
            .map(|(action, _, outcome)| (action, outcome))
            .collect();
        // A refusal (4xx) is audited as refused, like every refused POST.
        let outcome = if status >= 400 { "denied" } else { "ok" };
        let expected: Vec<(String, String)> = action
            .map(|action| (action.to_string(), outcome.to_string()))
            .into_iter()
            .collect();
        assert_eq!(written, expected, "{name}: POST {path}: audit rows");
        if route.pattern.ends_with("/shortlist") {
            let location = page.location.clone().unwrap_or_default();
            let public = format!("/v/{}/notices/", w.a.code);
            assert!(
                location
                    .strip_prefix(&public)
                    .is_some_and(|id| id.parse::<i64>().is_ok()),
                "POST {path}: to the public notice, not {location}"
            );
        }
        if route.pattern.ends_with("/rounds/{round}/paper") {
            assert!(
                shows(&page, "paper.done.waiting"),
                "POST {path}: no word that the typing waits for a second clerk: {}",
                page.body
            );
        }
    }
    let after = w.snapshot();
    assert_eq!(
        after.households.len(),
        before.households.len() + 2,
        "one household registered, one imported"
    );
    assert_eq!(
        after.staff.len(),
        before.staff.len() + 1,
        "one account created"
    );
    let target_active = after.staff.iter().find(|s| s.0 == w.target).map(|s| s.3);
    assert_eq!(
        target_active,
        Some(false),
        "the target account was deactivated"
    );
    let actions: BTreeSet<&str> = after.audit.iter().map(|(a, _, _)| a.as_str()).collect();
    for action in [
        "staff.password",
        "household.create",
        "household.import",
        "household.update",
        "household.reset_pin",
        "staff.create",
        "staff.add_role",
        "staff.remove_role",
        "staff.deactivate",
        "staff.reset_password",
        "round.create",
        "round.publish",
        "round.roll_add",
        "ballot.void",
        "paper.entry",
        "paper.reconcile",
        "site.create",
        "site.certify",
        "notice.draft",
        "notice.publish",
        "objection.file",
        "objection.answer",
        "notice.period",
        "meeting.create",
        "meeting.attendance",
        "meeting.state",
        "motion.create",
        "motion.open",
        "motion.close",
        "vote.record",
        "vote.cast",
        "motion.recuse",
        "minutes.write",
        "minutes.sign",
        "candidate.create",
        "candidate.split",
        "candidate.merge",
        "shortlist.publish",
    ] {
        assert!(
            actions.contains(action),
            "no {action} audit row after the allowed POSTs: {actions:?}"
        );
    }
    // What the collection POSTs did.
    let r = &w.rounds;
    let new_rounds: Vec<_> = after
        .rounds
        .iter()
        .filter(|round| !before.rounds.iter().any(|b| b.0 == round.0))
        .collect();
    assert_eq!(new_rounds.len(), 1, "one round created: {new_rounds:?}");
    assert_eq!(
        (
            new_rounds[0].1,
            new_rounds[0].2.as_str(),
            new_rounds[0].3.as_str()
        ),
        (w.a.id, "2028年度民主征集", "draft")
    );
    let closed = after.rounds.iter().find(|round| round.0 == r.closed);
    assert_eq!(closed.map(|round| round.3.as_str()), Some("published"));
    let late = after
        .roll
        .iter()
        .find(|(round, household, _)| *round == r.open && *household == r.late);
    assert_eq!(
        late.and_then(|l| l.2.as_deref()),
        Some("开放后迁入本村，补登记"),
        "the late household is on the roll with its reason"
    );
    let ballot_of = |household: i64| -> Vec<_> {
        after
            .ballots
            .iter()
            .filter(|b| b.1 == r.open && b.2 == household)
            .collect()
    };
    let voter = ballot_of(r.voter);
    assert_eq!(voter.len(), 1, "{voter:?}");
    assert_eq!(
        voter[0].6.as_deref(),
        Some("户主说选票是别人代投的"),
        "the voter's ballot is voided with the reason"
    );
    let typed = ballot_of(r.typed);
    assert_eq!(typed.len(), 1, "the reconciled paper was posted: {typed:?}");
    assert_eq!(
        (
            typed[0].3.as_str(),
            typed[0].4.as_deref(),
            typed[0].6.as_deref()
        ),
        ("paper", Some(MISMATCHED_SERIAL), None)
    );
    assert!(
        ballot_of(r.paper).is_empty(),
        "a first typing under double entry posts no ballot yet"
    );
    let clerk = w.staff_id("clerk.a");
    let states = |serial: &str| -> Vec<(i64, String)> {
        after
            .entries
            .iter()
            .filter(|e| e.1 == serial)
            .map(|e| (e.2, e.3.clone()))
            .collect()
    };
    assert_eq!(states(FRESH_SERIAL), vec![(clerk, "waiting".to_string())]);
    assert!(
        states(MISMATCHED_SERIAL)
            .iter()
            .all(|(_, state)| state == "resolved"),
        "{:?}",
        states(MISMATCHED_SERIAL)
    );
    let site = after.sites.iter().find(|site| site.0 == r.site);
    assert_eq!(
        site.map(|site| (site.3, site.4.as_deref())),
        Some((Some(20), Some("李明"))),
        "the site's certificate is signed"
    );
    assert!(
        after
            .sites
            .iter()
            .any(|site| site.1 == r.open && site.2 == "二组活动室"),
        "a site was created: {:?}",
        after.sites
    );
    // What the notice POSTs did.
    let n = &w.notices;
    let audited = |action: &str, subject: String| {
        after
            .audit
            .iter()
            .any(|row| row.0 == action && row.1 == subject && row.2 == "ok")
    };
    let notice = |id: i64| {
        after
            .notices
            .iter()
            .find(|row| row.0 == id)
            .unwrap_or_else(|| panic!("notice {id} is gone"))
    };
    // The shortlist's notice is looked at with the sorting POSTs, the correction's here.
    let correction: Vec<&NoticeRow> = after
        .notices
        .iter()
        .filter(|row| !before.notices.iter().any(|b| b.0 == row.0) && row.2 == "council_result")
        .collect();
    assert_eq!(correction.len(), 1, "one correction notice: {correction:?}");
    assert!(
        correction[0].4.contains("第二项议题的表决时间应为上午十时"),
        "{correction:?}"
    );
    assert!(
        correction[0].9.is_some(),
        "the correction supersedes the published minutes"
    );
    assert!(audited(
        "minutes.correct",
        format!("meeting:{}", w.council.locked)
    ));
    let new_notices: Vec<&NoticeRow> = after
        .notices
        .iter()
        .filter(|row| {
            !before.notices.iter().any(|b| b.0 == row.0)
                && row.2 != "shortlist"
                && row.2 != "council_result"
                // Posted by publishing a round's results (`/rounds/{round}/state`).
                && row.2 != "collection_result"
                // The ledger's monthly statement, drafted by its own route.
                && !row.4.contains("账链末端哈希")
                // Published by the projects' routes (`/notice`, `/acceptance`).
                && !(row.6 == "published"
                    && row
                        .5
                        .as_deref()
                        .is_some_and(|s| s.starts_with("project:") || s.starts_with("acceptance:")))
        })
        .collect();
    assert_eq!(
        new_notices.len(),
        2,
        "a draft and a new version: {new_notices:?}"
    );
    let drafted = new_notices
        .iter()
        .find(|row| row.9.is_none())
        .expect("the new draft");
    assert_eq!(
        (
            drafted.1,
            drafted.2.as_str(),
            drafted.3.as_str(),
            drafted.4.as_str(),
            drafted.5.as_deref(),
            drafted.6.as_str()
        ),
        (
            w.a.id,
            "fund_statement",
            "2027年一季度资金使用情况",
            "一季度支出三万二千元，明细见附表。",
            Some("fund:2"),
            "draft"
        )
    );
    assert!(audited("notice.draft", format!("notice:{}", drafted.0)));
    let version = new_notices
        .iter()
        .find(|row| row.9 == Some(n.published))
        .expect("the new version of the published notice");
    let old = notice(n.published);
    assert_eq!(
        (
            version.1,
            &version.2,
            &version.3,
            &version.4,
            &version.5,
            version.6.as_str()
        ),
        (w.a.id, &old.2, &old.3, &old.4, &old.5, "draft"),
        "the new version starts as a draft with the old content"
    );
    assert!(audited("notice.draft", format!("notice:{}", version.0)));
    assert_eq!(
        before.notices.iter().find(|row| row.0 == n.published),
        Some(old),
        "the superseded notice is unchanged"
    );
    let edited = notice(n.draft);
    assert_eq!(
        (
            edited.2.as_str(),
            edited.3.as_str(),
            edited.4.as_str(),
            edited.5.as_deref(),
            edited.6.as_str()
        ),
        (
            NOTICE_KIND.as_str(),
            "村道硬化实施方案（修改稿）",
            "村口道路硬化，长三百五十米，预算二十二万元。",
            Some("project:2"),
            "draft"
        ),
        "the draft's text was saved"
    );
    let published = notice(n.to_publish);
    assert_eq!(published.6, "published");
    assert!(
        published.7.is_some() && published.8.as_ref().is_some_and(|h| h.len() == 64),
        "published with a time and a SHA-256: {published:?}"
    );
    assert!(audited(
        "notice.publish",
        format!("notice:{}", n.to_publish)
    ));
    let new_objections: Vec<&ObjectionRow> = after
        .objections
        .iter()
        .filter(|row| !before.objections.iter().any(|b| b.0 == row.0))
        .collect();
    assert_eq!(new_objections.len(), 1, "{new_objections:?}");
    let filed = new_objections[0];
    let clerk = w.staff_id("clerk.a");
    assert_eq!(
        (
            filed.1,
            filed.2,
            filed.3.as_str(),
            filed.4.as_str(),
            filed.5,
            filed.9
        ),
        (
            n.in_period,
            n.objector,
            "oral",
            "路灯位置离学校太远，建议调整",
            Some(clerk),
            None
        ),
        "the oral objection is recorded by the clerk, unanswered"
    );
    assert!(audited("objection.file", format!("objection:{}", filed.0)));
    let answered = after
        .objections
        .iter()
        .find(|row| row.0 == n.objection)
        .expect("the fixture objection");
    assert_eq!(
        (answered.6.as_deref(), answered.7, answered.8),
        (
            Some("经村民代表会议研究，线路调整为沿村界走向。"),
            Some(true),
            Some(clerk)
        ),
        "the objection is answered and upheld"
    );
    assert!(answered.9.is_some(), "answered_at is set");
    assert!(audited(
        "objection.answer",
        format!("objection:{}", n.objection)
    ));
    assert_eq!(
        after.periods,
        vec![(w.a.id, "review_result".to_string(), 15)],
        "the village's period for review results is set"
    );
    assert!(audited("notice.period", format!("village:{}", w.a.id)));
    // What the council POSTs did.
    let c = &w.council;
    let new_meetings: Vec<&MeetingRow> = after
        .meetings
        .iter()
        .filter(|row| !before.meetings.iter().any(|b| b.0 == row.0))
        .collect();
    assert_eq!(
        new_meetings.len(),
        1,
        "one meeting convened: {new_meetings:?}"
    );
    let convened = new_meetings[0];
    assert_eq!(
        (
            convened.1,
            convened.2.as_str(),
            convened.3.as_str(),
            convened.4,
            convened.5
        ),
        (w.a.id, NEW_MEETING, "scheduled", 2, 3)
    );
    assert!(audited("meeting.create", format!("meeting:{}", convened.0)));
    let attendance: Vec<(i64, &str, i64)> = after
        .attendance
        .iter()
        .filter(|row| row.0 == c.unrecorded)
        .map(|row| (row.1, row.2.as_str(), row.3))
        .collect();
    let mut taken = vec![(c.member, "present", clerk), (c.second, "present", clerk)];
    taken.sort();
    assert_eq!(attendance, taken, "attendance taken by the clerk");
    assert!(audited(
        "meeting.attendance",
        format!("meeting:{}", c.unrecorded)
    ));
    let scheduled = after.meetings.iter().find(|row| row.0 == c.scheduled);
    assert_eq!(scheduled.map(|row| row.3.as_str()), Some("open"));
    assert!(audited("meeting.state", format!("meeting:{}", c.scheduled)));
    let new_motions: Vec<&MotionRow> = after
        .motions
        .iter()
        .filter(|row| !before.motions.iter().any(|b| b.0 == row.0))
        .collect();
    assert_eq!(new_motions.len(), 1, "one motion put: {new_motions:?}");
    let put = new_motions[0];
    assert_eq!(
        (put.1, put.2.as_str(), put.3.as_str(), put.4.as_str(), put.5),
        (c.open, "general", NEW_MOTION, "draft", None)
    );
    assert!(audited("motion.create", format!("motion:{}", put.0)));
    let motion = |id: i64| {
        after
            .motions
            .iter()
            .find(|row| row.0 == id)
            .unwrap_or_else(|| panic!("motion {id} is gone"))
    };
    let opened = motion(c.draft);
    assert_eq!(
        (opened.4.as_str(), opened.5),
        ("open", Some(c.members)),
        "opened with the council's size as its base"
    );
    assert!(audited("motion.open", format!("motion:{}", c.draft)));
    // Nobody voted on it: no yes vote of three members does not pass.
    let closed = motion(c.to_close);
    assert_eq!((closed.4.as_str(), closed.6), ("closed", Some(false)));
    assert!(
        closed.7.as_ref().is_some_and(|words| !words.is_empty()),
        "the outcome in words: {closed:?}"
    );
    assert!(audited("motion.close", format!("motion:{}", c.to_close)));
    let new_votes: Vec<&(i64, i64, String, Option<i64>)> = after
        .votes
        .iter()
        .filter(|row| !before.votes.contains(row))
        .collect();
    assert_eq!(
        new_votes,
        vec![
            &(c.hands, c.second, "yes".to_string(), Some(clerk)),
            &(c.to_vote, c.member, "yes".to_string(), None)
        ],
        "council.a2's raised hand, recorded by the clerk, and council.a's own vote"
    );
    assert!(audited("vote.record", format!("motion:{}", c.hands)));
    assert!(audited("vote.cast", format!("motion:{}", c.to_vote)));
    let new_recusals: Vec<&(i64, i64, String)> = after
        .recusals
        .iter()
        .filter(|row| !before.recusals.contains(row))
        .collect();
    assert_eq!(
        new_recusals,
        vec![&(c.to_recuse, c.member, RECUSAL_REASON.to_string())]
    );
    assert!(audited("motion.recuse", format!("motion:{}", c.to_recuse)));
    let minutes_of = |meeting: i64| after.minutes.iter().find(|row| row.0 == meeting);
    let written = minutes_of(c.closed).expect("the closed meeting's minutes");
    assert_eq!(
        (written.2.as_str(), written.3.as_deref(), written.4),
        (MINUTES_NOTES, None, None),
        "minutes written with the clerk's notes, unlocked"
    );
    assert!(
        written.1.contains("上月议事会") && written.1.contains(MINUTES_NOTES),
        "the minutes name the meeting and hold the notes: {}",
        written.1
    );
    assert!(audited("minutes.write", format!("meeting:{}", c.closed)));
    let new_signatures: Vec<&(i64, i64)> = after
        .signatures
        .iter()
        .filter(|row| !before.signatures.contains(row))
        .collect();
    assert_eq!(new_signatures, vec![&(c.signing, c.member)]);
    let signed = minutes_of(c.signing).expect("the signed meeting's minutes");
    assert_eq!(
        (signed.3.as_deref(), signed.4),
        (None, None),
        "one of the two members present signed: the minutes stay unlocked"
    );
    assert!(audited("minutes.sign", format!("meeting:{}", c.signing)));
    // What the sorting POSTs did, on the closed round.
    let so = &w.sorting;
    let member = w.staff_id("council.a");
    let new_candidates: Vec<&CandidateRow> = after
        .candidates
        .iter()
        .filter(|row| !before.candidates.iter().any(|b| b.0 == row.0))
        .collect();
    let new_candidate = |title: &str| {
        *new_candidates
            .iter()
            .find(|row| row.3 == title)
            .unwrap_or_else(|| panic!("no new candidate {title}: {new_candidates:?}"))
    };
    assert_eq!(new_candidates.len(), 2, "{new_candidates:?}");
    let created = new_candidate(NEW_CANDIDATE);
    assert_eq!(
        (
            created.1,
            created.2,
            created.4.as_str(),
            created.5,
            created.6,
            created.7,
            created.8.as_str(),
            created.9
        ),
        (
            w.a.id,
            Some(r.closed),
            "道路交通",
            Some(w.a.groups[0]),
            Some(5_000_000),
            false,
            "candidate",
            None
        ),
        "the candidate created from the bridge suggestion"
    );
    assert!(audited(
        "candidate.create",
        format!("candidate:{}", created.0)
    ));
    let split_off = new_candidate(SPLIT_CANDIDATE);
    assert_eq!(
        (split_off.1, split_off.2, split_off.7, split_off.8.as_str()),
        (w.a.id, Some(r.closed), false, "candidate"),
        "the candidate split off"
    );
    assert!(audited(
        "candidate.split",
        format!("candidate:{}", so.to_split)
    ));
    let merged = after.candidates.iter().find(|row| row.0 == so.from);
    assert_eq!(
        merged.map(|row| (row.8.as_str(), row.9)),
        Some(("merged", Some(so.into))),
        "the merged candidate is kept, marked merged into the other"
    );
    assert!(audited("candidate.merge", format!("candidate:{}", so.into)));
    let mut sources = vec![
        (so.road_first, so.to_split),
        (so.road_voter, split_off.0),
        (so.lamps, so.into),
        (so.river, so.into),
        (so.bridge, created.0),
    ];
    sources.sort();
    assert_eq!(after.sources, sources, "every suggestion in its candidate");
    let ids =
        |rows: &[(i64, i64, i64, String, String)]| rows.iter().map(|r| r.0).collect::<Vec<i64>>();
    assert_eq!(
        ids(&after.projects),
        ids(&before.projects),
        "sorting approves no project (the projects' routes move their fixtures on)"
    );
    let statuses: Vec<&str> = after.projects.iter().map(|r| r.4.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "plan_drafted",
            "in_notice",
            "in_progress",
            "suspended",
            "completed",
            "accepted"
        ],
        "each project route moved its project"
    );
    let shortlists: Vec<&NoticeRow> = after
        .notices
        .iter()
        .filter(|row| !before.notices.iter().any(|b| b.0 == row.0) && row.2 == "shortlist")
        .collect();
    assert_eq!(shortlists.len(), 1, "{shortlists:?}");
    let shortlist = shortlists[0];
    let subject = format!("round:{}", r.closed);
    assert_eq!(
        (shortlist.1, shortlist.5.as_deref(), shortlist.6.as_str()),
        (w.a.id, Some(subject.as_str()), "published"),
        "the shortlist is published about the round"
    );
    assert!(
        shortlist.4.contains(NEW_CANDIDATE) && shortlist.4.contains("清理河道"),
        "the shortlist lists the open candidates: {}",
        shortlist.4
    );
    assert!(audited(
        "shortlist.publish",
        format!("notice:{}", shortlist.0)
    ));
    // council.a, a council member and no clerk, wrote them all.
    let by_member: i64 = w.app.with_conn(|c| {
        use minyi::db::schema::audit_events::dsl as ae;
        ae::audit_events
            .filter(
                ae::action
                    .like("candidate.%")
                    .or(ae::action.eq("shortlist.publish")),
            )
            .filter(ae::actor.eq(format!("staff:{member}")))
            .count()
            .get_result(c)
            .expect("audit rows of council.a")
    });
    assert_eq!(by_member, 4, "the sorting rows name council.a");
}

#[actix_web::test]
async fn posts_without_a_valid_csrf_token_are_refused_and_write_nothing() {
    let w = world().await;
    // For each POST route, a session allowed to use it, and a real token of another session.
    let mut sessions = Vec::new();
    for name in ["clerk.a", "admin.t", "council.a", "supervisor.a2"] {
        let browser = w.signed_in(name).await;
        let other = w.signed_in(name).await;
        let foreign_token = other.csrf().await;
        assert_ne!(
            foreign_token,
            browser.csrf().await,
            "two sessions share a CSRF token"
        );
        sessions.push((name, browser, foreign_token));
    }
    let before = w.snapshot();
    let mut tried = 0;
    for route in ROUTES.iter().filter(|r| r.method == Method::Post) {
        let allowed = right_accounts(route.allowed);
        let (name, browser, foreign_token) = sessions
            .iter()
            .find(|(name, _, _)| allowed.contains(name))
            .unwrap_or_else(|| panic!("no session in this test may use {}", route.pattern));
        let path = w.path_a(route);
        let fields = w.fields(route);
        let base: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();

        let page = browser.post_raw(&path, &base).await;
        assert_eq!(
            page.status, 403,
            "{name}: POST {path} without a csrf field: {}",
            page.body
        );

        for (label, token) in [
            ("a made-up", "0".repeat(64)),
            ("an empty", String::new()),
            ("another session's", foreign_token.clone()),
        ] {
            let mut with_token = vec![("csrf", token.as_str())];
            with_token.extend_from_slice(&base);
            let page = browser.post_raw(&path, &with_token).await;
            assert_eq!(
                page.status, 403,
                "{name}: POST {path} with {label} token: {}",
                page.body
            );
        }
        tried += 1;
    }
    assert_eq!(
        tried,
        ROUTES.iter().filter(|r| r.method == Method::Post).count()
    );
    w.snapshot()
        .assert_same_as(&before, "POSTs without a valid token");
    // The same sessions with their own tokens are let through (so the refusals above were the
    // token's, not the role's).
    let (_, clerk, _) = &sessions[0];
    let pin = w.fill(
        "/staff/v/{village}/households/{id}/pin",
        &w.a.code,
        w.household_a,
    );
    let page = post_fields(clerk, &pin, &[]).await;
    assert_eq!(
        page.status, 200,
        "PIN reset with the session's own token: {}",
        page.body
    );
    let (_, admin, _) = &sessions[1];
    let reset = w.fill("/staff/accounts/{id}/password", &w.a.code, w.target);
    let page = post_fields(admin, &reset, &[]).await;
    assert_eq!(
        page.status, 200,
        "password reset with the session's own token: {}",
        page.body
    );
    let (_, member, _) = &sessions[2];
    let recuse = ROUTES
        .iter()
        .find(|route| route.pattern.ends_with("/recuse"))
        .expect("the recuse route");
    let path = w.path_a(recuse);
    let page = post_fields(member, &path, &w.fields(recuse)).await;
    assert_eq!(
        page.status, 303,
        "recusal with the session's own token: {}",
        page.body
    );
}

#[actix_web::test]
async fn unknown_villages_households_of_another_village_and_foreign_accounts_are_not_found() {
    let w = world().await;
    let clerk = w.signed_in("clerk.a").await;
    let member = w.signed_in("council.a").await;
    let before = w.snapshot();
    // An unknown village code, on every clerk and council-member route.
    for route in ROUTES
        .iter()
        .filter(|r| matches!(r.allowed, Allowed::VillageClerk | Allowed::VillageCouncil))
    {
        let browser = if route.allowed == Allowed::VillageCouncil {
            &member
        } else {
            &clerk
        };
        let path = w.fill(route.pattern, "nosuchvillage", w.household_a);
        let page = match route.method {
            Method::Get => browser.get(&path).await,
            Method::Post => post_fields(browser, &path, &w.fields(route)).await,
        };
        assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
    }
    // A household of village b, reached through village a's pages; and an id nobody has.
    for id in [w.household_b, 987_654] {
        for route in ROUTES
            .iter()
            .filter(|r| r.allowed == Allowed::VillageClerk && r.pattern.contains("{id}"))
        {
            let path = w.fill(route.pattern, &w.a.code, id);
            let page = match route.method {
                Method::Get => clerk.get(&path).await,
                Method::Post => post_fields(&clerk, &path, &w.fields(route)).await,
            };
            assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
        }
    }
    // An id that is not a number at all.
    let page = clerk
        .get(&format!("/staff/v/{}/households/abc", w.a.code))
        .await;
    assert_eq!(page.status, 404, "GET with a non-numeric id: {}", page.body);

    // Accounts: an administrator of another township does not see this township's staff, and
    // nobody reaches an account id that does not exist.
    let account_routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|r| r.allowed == Allowed::TownshipAdmin && r.pattern.contains("{id}"))
        .collect();
    assert!(account_routes.len() >= 5);
    for (admin, id) in [("admin.t2", w.target), ("admin.t", 987_654)] {
        let browser = w.signed_in(admin).await;
        for route in &account_routes {
            let path = w.fill(route.pattern, &w.a.code, id);
            let page = match route.method {
                Method::Get => browser.get(&path).await,
                Method::Post => post_fields(&browser, &path, &w.fields(route)).await,
            };
            assert_eq!(
                page.status, 404,
                "{admin}: {:?} {path}: {}",
                route.method, page.body
            );
        }
    }
    // An assignment id that belongs to another account.
    let admin = w.signed_in("admin.t").await;
    let clerk_a = w.app.with_conn(|c| {
        use minyi::db::schema::staff::dsl as s;
        s::staff
            .filter(s::username.eq("clerk.a"))
            .select(s::id)
            .first::<i64>(c)
            .expect("clerk.a")
    });
    let path = format!(
        "/staff/accounts/{clerk_a}/roles/{}/remove",
        w.target_assignment
    );
    let page = admin.post(&path, &[]).await;
    assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    w.snapshot()
        .assert_same_as(&before, "requests for unknown places");
}

#[actix_web::test]
async fn unknown_rounds_and_rounds_of_another_village_are_not_found_and_unknown_sites_refused() {
    let w = world().await;
    let r = &w.rounds;
    let clerk = w.signed_in("clerk.a").await;
    // The round of village b is there, under b's own pages (so a 404 below is about the path).
    let clerk_b = w.signed_in("clerk.b").await;
    let own = clerk_b
        .get(&format!("/staff/v/{}/rounds/{}", w.b.code, r.other_village))
        .await;
    assert_eq!(own.status, 200, "clerk.b on b's round: {}", own.body);
    let before = w.snapshot();
    let round_routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|route| route.pattern.contains("{round}"))
        .collect();
    assert_eq!(round_routes.len(), 19, "every route under a round");
    // The supervisors' remark is asked as a supervisor of a, the rest as a's clerk.
    let supervisor = w.signed_in("supervisor.a").await;
    // b's round reached through a's pages, and a round id nobody has.
    for round in [r.other_village, 987_654] {
        for route in &round_routes {
            let path = w.fill_round(route.pattern, &w.a.code, w.household_a, round, r.site);
            let who = if route.allowed == Allowed::VillageSupervisor {
                &supervisor
            } else {
                &clerk
            };
            let page = match route.method {
                Method::Get => who.get(&path).await,
                Method::Post => post_fields(who, &path, &w.fields(route)).await,
            };
            assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
        }
    }
    for path in [
        format!("/staff/v/{}/rounds/abc", w.a.code),
        format!("/staff/v/{}/rounds/abc/sites", w.a.code),
    ] {
        let page = clerk.get(&path).await;
        assert_eq!(page.status, 404, "GET {path}: {}", page.body);
    }
    // Certifying a site this round does not have (none by that id; b's round's site) is not
    // found: the round's command looks the site up among the round's own, under its lock.
    let certify = ROUTES
        .iter()
        .find(|route| route.pattern.ends_with("/certify"))
        .expect("the certify route");
    for site in [987_654, r.other_site] {
        let path = w.fill_round(certify.pattern, &w.a.code, w.household_a, r.open, site);
        let page = post_fields(&clerk, &path, &w.fields(certify)).await;
        assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    }
    let path = format!("/staff/v/{}/rounds/{}/sites/abc/certify", w.a.code, r.open);
    let page = post_fields(&clerk, &path, &w.fields(certify)).await;
    assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    w.snapshot()
        .assert_same_as(&before, "requests for unknown rounds and sites");
    // The same form on the round's own site signs it (so the refusals above were the site's).
    let path = w.path_a(certify);
    let page = post_fields(&clerk, &path, &w.fields(certify)).await;
    assert_eq!(page.status, 303, "POST {path}: {}", page.body);
}

#[actix_web::test]
async fn the_clerk_moves_rounds_through_their_states_each_move_audited() {
    let w = world().await;
    let clerk = w.signed_in("clerk.a").await;
    let state_of = |round: i64| {
        w.snapshot()
            .rounds
            .into_iter()
            .find(|r| r.0 == round)
            .map(|r| (r.3, r.4))
    };
    let state_path = |round: i64| {
        w.fill_round(
            "/staff/v/{village}/rounds/{round}/state",
            &w.a.code,
            0,
            round,
            w.rounds.site,
        )
    };
    let move_round = |round: i64, action: &'static str| {
        let path = state_path(round);
        let browser = &clerk;
        async move {
            let page = browser.post(&path, &[("action", action)]).await;
            (path, page)
        }
    };

    // A move the state machine does not allow (publishing an open round, opening it again) or
    // does not know is refused and writes nothing.
    let open = w.rounds.open;
    let before = w.snapshot();
    for (action, status) in [("publish", 409), ("open", 409), ("reopen", 400)] {
        let (path, page) = move_round(open, action).await;
        assert_eq!(
            page.status, status,
            "{action} on an open round: {}",
            page.body
        );
        assert_eq!(page.location, None, "POST {path}");
    }
    w.snapshot()
        .assert_same_as(&before, "moves the round cannot make");

    // Close and publish the open round; create a round and open it.
    let mut steps = vec![
        (open, "close", "closed", "round.close"),
        (open, "publish", "published", "round.publish"),
    ];
    let earlier = w.snapshot();
    let new_round = ROUTES
        .iter()
        .find(|r| r.method == Method::Post && r.pattern.ends_with("/rounds/new"))
        .expect("the new-round route");
    let page = post_fields(&clerk, &w.path_a(new_round), &w.fields(new_round)).await;
    assert_eq!(page.status, 303, "new round: {}", page.body);
    let location = page.location.unwrap_or_default();
    let prefix = format!("/staff/v/{}/rounds/", w.a.code);
    let created: i64 = location
        .strip_prefix(&prefix)
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("new round went to {location}"));
    assert_eq!(state_of(created), Some(("draft".to_string(), None)));
    let written = writes_since(&earlier, &w.snapshot());
    assert_eq!(
        written,
        vec![(
            "round.create".to_string(),
            format!("round:{created}"),
            "ok".to_string()
        )]
    );
    steps.push((created, "open", "open", "round.open"));
    // A round with unsettled paper does not close: settle the fixture's mismatched paper.
    let settled = post_fields(
        &clerk,
        &format!("/staff/v/{}/rounds/{open}/reconcile", w.a.code),
        &[("entry", w.rounds.mismatch_entry.to_string())],
    )
    .await;
    assert_eq!(settled.status, 303, "reconcile: {}", settled.body);
    for (round, action, state, audit) in steps {
        let earlier = w.snapshot();
        let (path, page) = move_round(round, action).await;
        assert_eq!(page.status, 303, "{action} POST {path}: {}", page.body);
        assert_eq!(
            page.location.as_deref(),
            Some(path.trim_end_matches("/state")),
            "{action}: back to the round page"
        );
        assert_eq!(
            state_of(round).map(|s| s.0),
            Some(state.to_string()),
            "{action}"
        );
        let written = writes_since(&earlier, &w.snapshot());
        assert_eq!(
            written,
            vec![(
                audit.to_string(),
                format!("round:{round}"),
                "ok".to_string()
            )],
            "{action} on round {round}"
        );
    }
    // Opening froze the roll: the village's active households at that moment.
    let active: i64 = w.app.with_conn(|c| {
        use minyi::db::schema::households::dsl as h;
        h::households
            .filter(h::village_id.eq(w.a.id).and(h::status.eq("active")))
            .count()
            .get_result(c)
            .expect("active households")
    });
    assert_eq!(
        state_of(created).and_then(|s| s.1).map(i64::from),
        Some(active),
        "roll size of the opened round"
    );
}

#[actix_web::test]
async fn unknown_notices_and_notices_of_another_village_are_not_found() {
    let w = world().await;
    let n = &w.notices;
    let clerk = w.signed_in("clerk.a").await;
    // b's notice is there, under b's own pages (so a 404 below is about the path).
    let clerk_b = w.signed_in("clerk.b").await;
    let own = clerk_b
        .get(&format!(
            "/staff/v/{}/notices/{}",
            w.b.code, n.other_village
        ))
        .await;
    assert_eq!(own.status, 200, "clerk.b on b's notice: {}", own.body);
    let before = w.snapshot();
    let notice_routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|route| route.pattern.contains("{notice}"))
        .collect();
    assert_eq!(notice_routes.len(), 6, "every route under a notice");
    // b's notice (with b's objection) reached through a's pages, and a notice id nobody has.
    for (notice, objection) in [(n.other_village, n.other_objection), (987_654, n.objection)] {
        for route in &notice_routes {
            let path = w.fill_notice(route.pattern, notice, objection);
            let page = match route.method {
                Method::Get => clerk.get(&path).await,
                Method::Post => post_fields(&clerk, &path, &w.fields(route)).await,
            };
            assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
        }
    }
    for path in [
        format!("/staff/v/{}/notices/abc", w.a.code),
        format!("/staff/v/{}/notices/new/publish", w.a.code),
    ] {
        let page = post_fields(&clerk, &path, &[]).await;
        assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    }
    let page = clerk
        .get(&format!("/staff/v/{}/notices/abc", w.a.code))
        .await;
    assert_eq!(page.status, 404, "GET with a non-numeric id: {}", page.body);
    // Answering, under a's own notice, b's objection or one nobody has is refused.
    let answer = ROUTES
        .iter()
        .find(|route| route.pattern.ends_with("/answer"))
        .expect("the answer route");
    for objection in [n.other_objection, 987_654] {
        let path = w.fill_notice(answer.pattern, n.in_period, objection);
        let page = post_fields(&clerk, &path, &w.fields(answer)).await;
        assert!(
            page.status == 404 || page.status == 409,
            "POST {path}: {} {}",
            page.status,
            page.body
        );
    }
    w.snapshot()
        .assert_same_as(&before, "requests for unknown notices and objections");
    // The same answer to the notice's own objection goes through (so the refusals above were
    // the objection's).
    let path = w.path_a(answer);
    let page = post_fields(&clerk, &path, &w.fields(answer)).await;
    assert_eq!(page.status, 303, "POST {path}: {}", page.body);
}

#[actix_web::test]
async fn published_notices_are_never_edited_published_twice_or_superseded_twice() {
    let w = world().await;
    let n = &w.notices;
    let clerk = w.signed_in("clerk.a").await;
    let route = |suffix: &str| {
        ROUTES
            .iter()
            .find(|r| r.method == Method::Post && r.pattern.ends_with(suffix))
            .unwrap_or_else(|| panic!("no POST route ending in {suffix}"))
    };
    let update = route("/notices/{notice}");
    let publish = route("/publish");
    let supersede = route("/supersede");
    let answer = route("/answer");
    // Refused with 409 and nothing written.
    let refused = |what: String, path: String, fields: Vec<(&'static str, String)>| {
        let clerk = &clerk;
        let w = &w;
        async move {
            let before = w.snapshot();
            let page = post_fields(clerk, &path, &fields).await;
            assert_eq!(page.status, 409, "{what}: POST {path}: {}", page.body);
            w.snapshot().assert_same_as(&before, &what);
        }
    };
    // Succeeds with 303 and exactly this audit row.
    let done = |path: String, fields: Vec<(&'static str, String)>, action: &'static str| {
        let clerk = &clerk;
        let w = &w;
        async move {
            let before = w.snapshot();
            let page = post_fields(clerk, &path, &fields).await;
            assert_eq!(page.status, 303, "POST {path}: {}", page.body);
            let written: Vec<String> = writes_since(&before, &w.snapshot())
                .into_iter()
                .map(|row| row.0)
                .collect();
            assert_eq!(written, vec![action.to_string()], "POST {path}");
        }
    };

    // Editing a published notice, in its period or not.
    for notice in [n.published, n.in_period] {
        refused(
            format!("editing published notice {notice}"),
            w.fill_notice(update.pattern, notice, n.objection),
            w.fields(update),
        )
        .await;
    }
    // Publishing a published notice.
    refused(
        "publishing a published notice".to_string(),
        w.fill_notice(publish.pattern, n.published, n.objection),
        vec![],
    )
    .await;
    // Publishing a draft twice: the second time finds it published.
    let path = w.fill_notice(publish.pattern, n.to_publish, n.objection);
    done(path.clone(), vec![], "notice.publish").await;
    refused("publishing twice".to_string(), path.clone(), vec![]).await;
    // ... and the published draft can no longer be edited.
    refused(
        "editing a notice just published".to_string(),
        w.fill_notice(update.pattern, n.to_publish, n.objection),
        w.fields(update),
    )
    .await;
    // Superseding a draft, and superseding the same notice twice.
    refused(
        "superseding a draft".to_string(),
        w.fill_notice(supersede.pattern, n.draft, n.objection),
        vec![],
    )
    .await;
    let path = w.fill_notice(supersede.pattern, n.published, n.objection);
    done(path.clone(), vec![], "notice.draft").await;
    // Asked again (a replay, a second clerk), it lands on the new version the first created
    // and writes nothing: a notice has one new version.
    let before = w.snapshot();
    let again = post_fields(&clerk, &path, &[]).await;
    assert_eq!(
        again.status, 303,
        "superseding twice: POST {path}: {}",
        again.body
    );
    w.snapshot().assert_same_as(&before, "superseding twice");
    // Answering an objection twice.
    let path = w.fill_notice(answer.pattern, n.in_period, n.objection);
    done(path.clone(), w.fields(answer), "objection.answer").await;
    refused("answering twice".to_string(), path, w.fields(answer)).await;
}

#[actix_web::test]
async fn unknown_meetings_and_motions_and_meetings_of_another_village_are_not_found() {
    let w = world().await;
    let c = &w.council;
    // b's meeting is there, under b's own pages, for b's clerk and b's council member (so a
    // 404 below is about the path).
    for (name, pattern) in [
        ("clerk.b", "/staff/v/{village}/meetings/{meeting}"),
        ("council.b", "/staff/v/{village}/council/{meeting}"),
    ] {
        let browser = w.signed_in(name).await;
        let path = w.fill_council(pattern, &w.b.code, c.other_meeting, c.other_motion);
        let page = browser.get(&path).await;
        assert_eq!(
            page.status, 200,
            "{name} on b's meeting: GET {path}: {}",
            page.body
        );
    }
    let clerk = w.signed_in("clerk.a").await;
    let member = w.signed_in("council.a").await;
    // A route's request by the account allowed on it (the clerk, or council.a).
    let request = |route: &Route, path: String| {
        let browser = if route.allowed == Allowed::VillageCouncil {
            &member
        } else {
            &clerk
        };
        let method = route.method;
        let fields = match method {
            Method::Get => Vec::new(),
            Method::Post => w.fields(route),
        };
        async move {
            let page = match method {
                Method::Get => browser.get(&path).await,
                Method::Post => post_fields(browser, &path, &fields).await,
            };
            (path, page)
        }
    };
    let before = w.snapshot();
    let meeting_routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|route| route.pattern.contains("{meeting}"))
        .collect();
    assert_eq!(meeting_routes.len(), 16, "every route under a meeting");
    // b's meeting (with b's motion) reached through a's pages, and a meeting id nobody has.
    for (meeting, motion) in [(c.other_meeting, c.other_motion), (987_654, c.to_vote)] {
        for route in &meeting_routes {
            let path = w.fill_council(route.pattern, &w.a.code, meeting, motion);
            let (path, page) = request(route, path).await;
            assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
        }
    }
    // Under a's own open meeting: b's motion, a motion of another meeting of a, and a motion id
    // nobody has.
    let motion_routes: Vec<&Route> = meeting_routes
        .iter()
        .copied()
        .filter(|route| route.pattern.contains("{motion}"))
        .collect();
    assert_eq!(motion_routes.len(), 6, "every route on a motion");
    for motion in [c.other_motion, c.elsewhere, 987_654] {
        for route in &motion_routes {
            let path = w.fill_council(route.pattern, &w.a.code, c.open, motion);
            let (path, page) = request(route, path).await;
            assert_eq!(page.status, 404, "{:?} {path}: {}", route.method, page.body);
        }
    }
    // Ids that are not numbers at all.
    let (code, open) = (&w.a.code, c.open);
    for (browser, path) in [
        (&clerk, format!("/staff/v/{code}/meetings/abc")),
        (&member, format!("/staff/v/{code}/council/abc")),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 404, "GET {path}: {}", page.body);
    }
    for (browser, path) in [
        (&clerk, format!("/staff/v/{code}/meetings/abc/minutes")),
        (
            &clerk,
            format!("/staff/v/{code}/meetings/{open}/motions/abc/open"),
        ),
        (
            &member,
            format!("/staff/v/{code}/council/{open}/motions/abc/vote"),
        ),
    ] {
        let page = post_fields(browser, &path, &[]).await;
        assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    }
    w.snapshot()
        .assert_same_as(&before, "requests for unknown meetings and motions");
    // The same requests on a's own meetings and motions go through (so the refusals above were
    // the path's).
    for route in &meeting_routes {
        if route.method == Method::Post && !route.pattern.contains("{motion}") {
            continue;
        }
        let (path, page) = request(route, w.path_a(route)).await;
        let status = match route.method {
            Method::Get => 200,
            Method::Post => expected_write(route.pattern).0,
        };
        assert_eq!(
            page.status, status,
            "{:?} {path}: {}",
            route.method, page.body
        );
    }
}

/// The sorting routes of [`ROUTES`].
fn sorting_routes() -> Vec<&'static Route> {
    let routes: Vec<&Route> = ROUTES
        .iter()
        .filter(|route| route.allowed == Allowed::VillageSorter)
        .collect();
    assert_eq!(routes.len(), 5, "every sorting route");
    routes
}

#[actix_web::test]
async fn unknown_candidates_and_candidates_of_another_round_or_village_are_not_found() {
    let w = world().await;
    let so = &w.sorting;
    let closed = w.rounds.closed;
    // The other round's candidate is there, on its own round's page, and b's on b's (so a 404
    // below is about the path).
    let member = w.signed_in("council.a").await;
    let page = member
        .get(&format!(
            "/staff/v/{}/rounds/{}/candidates",
            w.a.code, so.other_round
        ))
        .await;
    assert_eq!(page.status, 200, "the other round's page: {}", page.body);
    assert!(page.body.contains("修缮祠堂"), "{}", page.body);
    let member_b = w.signed_in("council.b").await;
    let b_round: i64 = w.app.with_conn(|c| {
        use minyi::db::schema::candidates::dsl as cd;
        cd::candidates
            .filter(cd::id.eq(so.other_village_candidate))
            .select(cd::round_id)
            .first::<Option<i64>>(c)
            .expect("b's candidate")
            .expect("b's candidate has a round")
    });
    let page = member_b
        .get(&format!(
            "/staff/v/{}/rounds/{b_round}/candidates",
            w.b.code
        ))
        .await;
    assert_eq!(page.status, 200, "b's round's page: {}", page.body);
    assert!(page.body.contains("乙村修路"), "{}", page.body);

    let candidate_routes: Vec<&Route> = sorting_routes()
        .into_iter()
        .filter(|route| route.pattern.contains("{candidate}"))
        .collect();
    assert_eq!(candidate_routes.len(), 2, "split and merge");
    let before = w.snapshot();
    let others = [
        so.other_round_candidate,
        so.other_village_candidate,
        987_654,
    ];
    // Under the closed round: a candidate of another round of a, one of b, one nobody has.
    for candidate in others {
        for route in &candidate_routes {
            let path = w.fill_candidate(route.pattern, closed, candidate);
            let page = post_fields(&member, &path, &w.fields(route)).await;
            assert_eq!(page.status, 404, "POST {path}: {}", page.body);
        }
    }
    // Merging one of those into a candidate of the round.
    let merge = candidate_routes
        .iter()
        .find(|route| route.pattern.ends_with("/merge"))
        .expect("the merge route");
    let path = w.path_a(merge);
    for from in others {
        let page = post_fields(&member, &path, &[("from", from.to_string())]).await;
        assert_eq!(page.status, 404, "POST {path} from {from}: {}", page.body);
    }
    // Ids that are not numbers.
    let base = format!("/staff/v/{}/rounds/{closed}/candidates", w.a.code);
    for path in [format!("{base}/abc/split"), format!("{base}/abc/merge")] {
        let page = post_fields(&member, &path, &[("from", so.from.to_string())]).await;
        assert_eq!(page.status, 404, "POST {path}: {}", page.body);
    }
    let page = member
        .get(&format!("/staff/v/{}/rounds/abc/candidates", w.a.code))
        .await;
    assert_eq!(
        page.status, 404,
        "GET with a non-numeric round: {}",
        page.body
    );
    w.snapshot()
        .assert_same_as(&before, "requests for unknown candidates");
    // The same forms on the round's own candidates go through (so the refusals above were the
    // candidate's).
    for route in &candidate_routes {
        let path = w.path_a(route);
        let page = post_fields(&member, &path, &w.fields(route)).await;
        assert_eq!(
            page.status,
            expected_write(route.pattern).0,
            "POST {path}: {}",
            page.body
        );
    }
}

#[actix_web::test]
async fn suggestions_of_a_round_still_open_are_not_sorted() {
    let w = world().await;
    let before = w.snapshot();
    for name in ["clerk.a", "council.a"] {
        let browser = w.signed_in(name).await;
        for route in sorting_routes() {
            let path = w.fill_candidate(route.pattern, w.rounds.open, w.sorting.to_split);
            let page = match route.method {
                Method::Get => browser.get(&path).await,
                Method::Post => post_fields(&browser, &path, &w.fields(route)).await,
            };
            assert_eq!(
                page.status, 409,
                "{name}: {:?} {path} on an open round: {}",
                route.method, page.body
            );
        }
    }
    w.snapshot()
        .assert_same_as(&before, "sorting requests on an open round");
    // The closed round's page lists its candidates and the suggestion in none.
    let clerk = w.signed_in("clerk.a").await;
    let path = w.fill_candidate(
        "/staff/v/{village}/rounds/{round}/candidates",
        w.rounds.closed,
        w.sorting.to_split,
    );
    let page = clerk.get(&path).await;
    assert_eq!(page.status, 200, "GET {path}: {}", page.body);
    for title in ["修村口的路", "安装路灯", "清理河道", "修桥"] {
        assert!(
            page.body.contains(title),
            "GET {path}: no {title}: {}",
            page.body
        );
    }
}
