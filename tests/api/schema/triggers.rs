//! The schema's triggers, which keep the promises of docs/promises.md: SQLite and PostgreSQL
//! must have the same triggers on the same tables, each firing at the same time on the same
//! operation. Only PostgreSQL has TRUNCATE, so its TRUNCATE guards are allowed on that side
//! alone, and only those named in [`PG_ONLY_TRUNCATE_GUARDS`]. Every trigger is also listed in
//! docs/promises.md, so a new one cannot go undocumented.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use minyi::db::{DbConn, migrations};

/// PostgreSQL's statement triggers refusing TRUNCATE, which SQLite has no statement for.
const PG_ONLY_TRUNCATE_GUARDS: &[&str] = &[
    "audit_events_no_truncate",
    "ballots_no_truncate",
    "funds_no_truncate",
    "ledger_entries_no_truncate",
    "meeting_roll_no_truncate",
    "minute_refusals_no_truncate",
    "minute_signatures_no_truncate",
    "minutes_no_truncate",
    "motion_roll_no_truncate",
    "motion_tallies_no_truncate",
    "motions_no_truncate",
    "notices_no_truncate",
    "objections_no_truncate",
    "review_answers_no_truncate",
    "review_flags_no_truncate",
    "review_items_no_truncate",
    "review_participation_no_truncate",
    "review_reconsultations_no_truncate",
    "review_roll_no_truncate",
    "reviews_no_truncate",
    "round_roll_no_truncate",
    "ledger_vouchers_no_truncate",
    "roll_removals_no_truncate",
    "round_group_tallies_no_truncate",
    "round_category_tallies_no_truncate",
    "suggestions_no_truncate",
    "votes_no_truncate",
    "project_plans_no_truncate",
    "plan_budget_lines_no_truncate",
    "plan_funding_no_truncate",
    "plan_participants_no_truncate",
    "project_progress_no_truncate",
    "project_inspections_no_truncate",
    "project_acceptances_no_truncate",
    "acceptance_participants_no_truncate",
    "progress_attachments_no_truncate",
    "inspection_attachments_no_truncate",
    "acceptance_attachments_no_truncate",
];

/// Table → its triggers, each as "name TIMING EVENT" (e.g. `votes_no_update BEFORE UPDATE`).
type Triggers = BTreeMap<String, BTreeSet<String>>;

#[derive(QueryableByName)]
struct SqliteTrigger {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Reads `CREATE TRIGGER name BEFORE|AFTER|INSTEAD OF INSERT|UPDATE|DELETE ...` from the
/// trigger's stored SQL.
fn sqlite_triggers(conn: &mut diesel::SqliteConnection) -> Triggers {
    let rows: Vec<SqliteTrigger> = diesel::sql_query(
        "SELECT tbl_name AS table_name, name, sql FROM sqlite_master WHERE type = 'trigger'",
    )
    .load(conn)
    .expect("sqlite_master triggers");
    let mut triggers = Triggers::new();
    for row in rows {
        let words: Vec<String> = row
            .sql
            .split_whitespace()
            .skip(3)
            .take(3)
            .map(str::to_ascii_uppercase)
            .collect();
        let (timing, event) = match words.as_slice() {
            [instead, of, event] if instead == "INSTEAD" && of == "OF" => ("INSTEAD OF", event),
            [timing, event, ..] => (timing.as_str(), event),
            _ => panic!("unreadable trigger {}: {}", row.name, row.sql),
        };
        triggers
            .entry(row.table_name)
            .or_default()
            .insert(format!("{} {timing} {event}", row.name));
    }
    triggers
}

#[derive(QueryableByName)]
struct PgTrigger {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    tgtype: i32,
}

/// Reads pg_trigger (not the internal triggers of foreign keys), decoding `tgtype`'s bits:
/// 2 before, 64 instead of, else after; 4 insert, 16 update, 8 delete, 32 truncate. Returns the
/// row and statement triggers on INSERT/UPDATE/DELETE, and the TRUNCATE guards apart.
fn pg_triggers(conn: &mut diesel::PgConnection) -> (Triggers, BTreeSet<String>) {
    let rows: Vec<PgTrigger> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, t.tgname::text AS name, t.tgtype::int4 AS tgtype \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
    )
    .load(conn)
    .expect("pg_trigger");
    let mut triggers = Triggers::new();
    let mut truncate_guards = BTreeSet::new();
    for row in rows {
        let timing = match row.tgtype {
            t if t & 64 != 0 => "INSTEAD OF",
            t if t & 2 != 0 => "BEFORE",
            _ => "AFTER",
        };
        let events: Vec<&str> = [
            (4, "INSERT"),
            (16, "UPDATE"),
            (8, "DELETE"),
            (32, "TRUNCATE"),
        ]
        .into_iter()
        .filter(|(bit, _)| row.tgtype & bit != 0)
        .map(|(_, event)| event)
        .collect();
        if events == ["TRUNCATE"] {
            truncate_guards.insert(row.name);
            continue;
        }
        triggers.entry(row.table_name).or_default().insert(format!(
            "{} {timing} {}",
            row.name,
            events.join(" OR ")
        ));
    }
    (triggers, truncate_guards)
}

fn migrated_sqlite(dir: &Path) -> Triggers {
    let mut conn = super::fresh_sqlite(dir);
    sqlite_triggers(super::sqlite_of(&mut conn))
}

#[test]
fn sqlite_and_postgres_have_the_same_triggers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = migrated_sqlite(dir.path());
    assert!(!sqlite.is_empty(), "no triggers in the SQLite migrations");
    let Some(url) = crate::helpers::fresh_database(dir.path()) else {
        println!("MINYI_TEST_DATABASE_URL is unset: SQLite's triggers compared with nothing");
        return;
    };
    let pool = minyi::db::connect(&url).expect("postgres pool");
    let mut conn = pool.get().expect("postgres connection");
    migrations::run_pending(&mut conn).expect("migrate postgres");
    let DbConn::Pg(pg) = &mut *conn else {
        panic!("expected a PostgreSQL connection for {url}")
    };
    let (postgres, truncate_guards) = pg_triggers(pg);
    let tables: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for table in tables {
        assert_eq!(
            postgres.get(table),
            sqlite.get(table),
            "triggers on `{table}`: PostgreSQL (left) and SQLite (right)"
        );
    }
    let allowed: BTreeSet<String> = PG_ONLY_TRUNCATE_GUARDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        truncate_guards, allowed,
        "PostgreSQL's TRUNCATE guards (left) and the allow-list (right)"
    );
    println!(
        "SQLite and PostgreSQL have the same {} triggers, and {} TRUNCATE guards",
        sqlite.values().map(BTreeSet::len).sum::<usize>(),
        truncate_guards.len()
    );
}

#[test]
fn every_trigger_is_listed_in_docs_promises() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/promises.md"))
            .expect("read docs/promises.md");
    let names = migrated_sqlite(dir.path())
        .into_values()
        .flatten()
        .map(|t| t.split(' ').next().expect("a name").to_string())
        .chain(PG_ONLY_TRUNCATE_GUARDS.iter().map(|s| s.to_string()));
    let missing: Vec<String> = names
        .filter(|name| !doc.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "triggers not listed in docs/promises.md: {missing:?}"
    );
}
