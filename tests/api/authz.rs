//! Integration tests: authorization of every staff route.
//!
//! [`ROUTES`] is the table of every route under `/staff` with the roles allowed on it. A scan of
//! the source (`src/**/*.rs`) keeps the table honest: a new staff route without a row here makes
//! `every_staff_route_has_a_row_in_the_authz_table` fail. The other tests walk the table:
//! anonymous requests, staff holding the wrong role, forms without a valid CSRF token, unknown
//! villages, households of another village and accounts of another township.

use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, Page, STAFF_PASSWORD, TestApp, Village, spawn_app};

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
}

struct Route {
    method: Method,
    /// The path as registered; `{village}`, `{id}` and `{assignment}` are filled from fixtures
    /// (see [`World::fill`]).
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
    route(Method::Get, "/staff/password", Allowed::AnyStaff),
    route(Method::Post, "/staff/password", Allowed::AnyStaff),
    route(Method::Get, "/staff/audit", Allowed::AuditReader),
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
];

// ---------------------------------------------------------------------------------------------
// The route scanner.
//
// It reads every `src/**/*.rs` file with a tiny lexer that skips comments, string and char
// literals, and tracks parenthesis depth. It understands two forms, the only ones the app uses:
//
//   .route("<path>", web::<method>()          (also `cfg.route(`; whitespace/newlines allowed)
//   web::scope("<prefix>")                    prefixes every `.route` chained on it
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
    let mut j = i;
    for c in word.chars() {
        if chars.get(j) != Some(&c) {
            return false;
        }
        j += 1;
    }
    true
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

fn scan(text: &str, file: &str) -> Vec<(Method, String)> {
    let chars: Vec<char> = text.chars().collect();
    let line_of = |i: usize| chars[..i].iter().filter(|c| **c == '\n').count() + 1;
    let mut found = Vec::new();
    let mut depth: i64 = 0;
    // (prefix, depth at which the scope expression sits)
    let mut scopes: Vec<(String, i64)> = Vec::new();
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
        for unsupported in [
            "web::resource(",
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
            assert_eq!(
                chars.get(j),
                Some(&'"'),
                "{file}:{}: web::scope without a literal prefix",
                line_of(i)
            );
            let (prefix, _) = string_literal(&chars, j);
            scopes.push((prefix, depth));
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
            let prefix: String = scopes.iter().map(|(p, _)| p.as_str()).collect();
            found.push((method, format!("{prefix}{path}")));
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
    ];
    assert_eq!(found, expected);
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
}

// ---------------------------------------------------------------------------------------------
// Fixtures.
// ---------------------------------------------------------------------------------------------

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
        ("supervisor.a", Role::Supervisor, Scope::Village(w.a.id)),
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
        Allowed::AuditReader => &["clerk.a", "council.a", "supervisor.a", "auditor.a"],
        Allowed::VillageClerk => &[
            "clerk.b",
            "clerk.group",
            "clerk.t2",
            "council.a",
            "supervisor.a",
            "auditor.t",
            "admin.t",
            "admin.a",
        ],
        Allowed::TownshipAdmin => &[
            "clerk.a",
            "council.a",
            "supervisor.a",
            "auditor.t",
            "auditor.a",
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
    let w = World {
        app,
        a,
        b,
        household_a,
        household_b,
        target,
        target_assignment,
        other_township_village,
        other_township,
    };
    for (name, role, scope) in accounts(&w) {
        w.app.staff(name, role, scope);
    }
    w
}

impl World {
    /// Fills a pattern: `{village}` with `village`, `{id}` with `id` (a household under
    /// /staff/v/…, a staff account under /staff/accounts), `{assignment}` with the target's.
    fn fill(&self, pattern: &str, village: &str, id: i64) -> String {
        pattern
            .replace("{village}", village)
            .replace("{id}", &id.to_string())
            .replace("{assignment}", &self.target_assignment.to_string())
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
            other => panic!("no form fields written for POST {other}; add them to World::fields"),
        }
    }

    /// What a POST could change: households, staff accounts and their roles, audit rows.
    fn snapshot(&self) -> Snapshot {
        use minyi::db::schema::households::dsl as h;
        use minyi::db::schema::role_assignments::dsl as ra;
        use minyi::db::schema::staff::dsl as s;
        self.app.with_conn(|c| Snapshot {
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

#[derive(Debug, PartialEq)]
struct Snapshot {
    households: Vec<(i64, String, String, i32, String, String)>,
    staff: Vec<(i64, String, String, bool)>,
    roles: Vec<(i64, i64, String)>,
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
        let new_rows = &self.audit[before.audit.len().min(self.audit.len())..];
        let writes: Vec<_> = new_rows
            .iter()
            .filter(|(action, _, _)| !action.ends_with(".login"))
            .collect();
        assert!(writes.is_empty(), "{what}: audit rows written: {writes:?}");
        assert!(
            self.audit.starts_with(&before.audit),
            "{what}: earlier audit rows changed"
        );
    }
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
    // POSTs: the guard lets the request through to the handler, which writes.
    let before = w.snapshot();
    for route in ROUTES.iter().filter(|r| r.method == Method::Post) {
        let name = match route.allowed {
            // Changing one's own password is for every staff member, not only clerks.
            Allowed::AnyStaff => "council.a",
            _ => right_accounts(route.allowed)[0],
        };
        let browser = w.signed_in(name).await;
        let path = w.path_a(route);
        let page = post_fields(&browser, &path, &w.fields(route)).await;
        assert!(
            page.status == 200 || page.status == 303,
            "{name}: POST {path} should be accepted, got {}: {}",
            page.status,
            page.body
        );
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
    let actions: BTreeSet<String> = after.audit.into_iter().map(|(a, _, _)| a).collect();
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
    ] {
        assert!(
            actions.contains(action),
            "no {action} audit row after the allowed POSTs: {actions:?}"
        );
    }
}

#[actix_web::test]
async fn posts_without_a_valid_csrf_token_are_refused_and_write_nothing() {
    let w = world().await;
    // For each POST route, a session allowed to use it, and a real token of another session.
    let mut sessions = Vec::new();
    for name in ["clerk.a", "admin.t"] {
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
}

#[actix_web::test]
async fn unknown_villages_households_of_another_village_and_foreign_accounts_are_not_found() {
    let w = world().await;
    let clerk = w.signed_in("clerk.a").await;
    let before = w.snapshot();
    // An unknown village code, on every clerk route.
    for route in ROUTES.iter().filter(|r| r.allowed == Allowed::VillageClerk) {
        let path = w.fill(route.pattern, "nosuchvillage", w.household_a);
        let page = match route.method {
            Method::Get => clerk.get(&path).await,
            Method::Post => post_fields(&clerk, &path, &w.fields(route)).await,
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
