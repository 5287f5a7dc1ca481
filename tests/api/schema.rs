//! Integration tests: the database schema. The SQLite and PostgreSQL migration folders must yield
//! the same tables and columns as `src/db/schema.rs` (the hand-written diesel table definitions),
//! and the audit log must be append-only in the database itself. The backends' triggers are
//! compared in [`triggers`].
//!
//! Types are compared in one vocabulary: `int8`, `int4`, `text`, `bool`, `timestamp`, `date`, with a
//! trailing `?` on nullable columns. SQLite's `id INTEGER PRIMARY KEY` is the 64-bit rowid, so it
//! counts as a non-null `int8`, like PostgreSQL's `BIGINT GENERATED ALWAYS AS IDENTITY`.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use minyi::db::{DbConn, migrations};

use crate::helpers::spawn_app;

mod triggers;

/// Every table of `src/db/schema.rs` with its columns in order, as "name type" ("type?" when
/// nullable). Keep in step with schema.rs and both migration folders.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "supervisor_remarks",
        &[
            "id int8",
            "round_id int8",
            "staff_id int8",
            "staff_name text",
            "body text",
            "created_at timestamp",
        ],
    ),
    (
        "townships",
        &["id int8", "code text", "name text", "created_at timestamp"],
    ),
    (
        "villages",
        &[
            "id int8",
            "township_id int8",
            "code text",
            "name text",
            "created_at timestamp",
            "supervision_phone text",
        ],
    ),
    (
        "village_groups",
        &[
            "id int8",
            "village_id int8",
            "name text",
            "created_at timestamp",
        ],
    ),
    (
        "households",
        &[
            "id int8",
            "village_id int8",
            "group_id int8",
            "number text",
            "head_name text",
            "members int4",
            "status text",
            "pin_hash text",
            "created_at timestamp",
            "updated_at timestamp",
        ],
    ),
    (
        "staff",
        &[
            "id int8",
            "username text",
            "display_name text",
            "email text?",
            "password_hash text",
            "active bool",
            "created_at timestamp",
            "must_change_password bool",
            "must_enrol_second_factor bool",
        ],
    ),
    (
        "role_assignments",
        &[
            "id int8",
            "staff_id int8",
            "role text",
            "township_id int8?",
            "village_id int8?",
            "group_id int8?",
            "created_at timestamp",
            "term_ends_at timestamp?",
        ],
    ),
    (
        "login_throttle",
        &[
            "throttle_key text",
            "failures int4",
            "window_started_at timestamp",
            "locked_until timestamp?",
        ],
    ),
    (
        "audit_events",
        &[
            "id int8",
            "occurred_at timestamp",
            "actor text",
            "action text",
            "subject text",
            "township_id int8?",
            "address text?",
            "outcome text",
            "detail text",
            "prev_hash text?",
            "hash text?",
        ],
    ),
    (
        "audit_chain_head",
        &["id int8", "appended int8", "last_hash text"],
    ),
    ("session_epochs", &["principal text", "epoch int8"]),
    (
        "staff_totp",
        &[
            "staff_id int8",
            "secret text",
            "confirmed_at timestamp?",
            "last_step int8",
        ],
    ),
    (
        "staff_recovery_codes",
        &[
            "id int8",
            "staff_id int8",
            "code_hash text",
            "used_at timestamp?",
        ],
    ),
    (
        "outbox",
        &[
            "id int8",
            "recipient text",
            "subject text",
            "body text",
            "created_at timestamp",
            "attempts int4",
            "next_attempt_at timestamp",
            "sent_at timestamp?",
            "gave_up_at timestamp?",
            "last_error text?",
        ],
    ),
    (
        "form_submissions",
        &[
            "token text",
            "form text",
            "result_path text",
            "created_at timestamp",
        ],
    ),
    (
        "collection_rounds",
        &[
            "id int8",
            "village_id int8",
            "title text",
            "year int4",
            "opens_at timestamp",
            "closes_at timestamp",
            "min_suggestions int4",
            "max_suggestions int4",
            "categories text",
            "double_entry bool",
            "state text",
            "roll_size int4?",
            "roll_hash text?",
            "opened_at timestamp?",
            "closed_at timestamp?",
            "published_at timestamp?",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "roll_removals",
        &[
            "round_id int8",
            "household_id int8",
            "reason text",
            "removed_by int8",
            "removed_at timestamp",
        ],
    ),
    (
        "round_category_tallies",
        &["round_id int8", "category text", "suggestions int8"],
    ),
    (
        "round_group_tallies",
        &[
            "round_id int8",
            "group_id int8",
            "roll int8",
            "ballots int8",
        ],
    ),
    (
        "round_roll",
        &[
            "round_id int8",
            "household_id int8",
            "group_id int8",
            "added_reason text?",
            "added_by int8?",
            "added_at timestamp",
        ],
    ),
    (
        "collection_sites",
        &[
            "id int8",
            "round_id int8",
            "name text",
            "papers_issued int4?",
            "papers_returned int4?",
            "papers_spoiled int4?",
            "custodian_one text?",
            "custodian_two text?",
            "certified_by int8?",
            "certified_at timestamp?",
            "created_at timestamp",
            "staff_custodian_one text?",
            "staff_custodian_two text?",
        ],
    ),
    (
        "ballots",
        &[
            "id int8",
            "round_id int8",
            "household_id int8",
            "group_id int8",
            "channel text",
            "receipt text",
            "version int4",
            "paper_serial text?",
            "site_id int8?",
            "entered_by int8?",
            "voided_at timestamp?",
            "voided_by int8?",
            "void_reason text?",
            "created_at timestamp",
            "updated_at timestamp",
        ],
    ),
    (
        "suggestions",
        &[
            "id int8",
            "ballot_id int8",
            "version int4",
            "position int4",
            "category text",
            "title text",
            "details text",
            "place text",
            "cost_fen int8?",
            "created_at timestamp",
        ],
    ),
    (
        "paper_entries",
        &[
            "id int8",
            "round_id int8",
            "household_id int8",
            "paper_serial text",
            "site_id int8?",
            "entered_by int8",
            "content text",
            "state text",
            "created_at timestamp",
        ],
    ),
    (
        "notice_periods",
        &["village_id int8", "kind text", "days int4"],
    ),
    (
        "notices",
        &[
            "id int8",
            "village_id int8",
            "kind text",
            "title text",
            "body text",
            "subject text?",
            "period_days int4",
            "state text",
            "published_at timestamp?",
            "period_ends_at timestamp?",
            "content_hash text?",
            "supersedes_id int8?",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "objections",
        &[
            "id int8",
            "notice_id int8",
            "household_id int8",
            "channel text",
            "body text",
            "recorded_by int8?",
            "filed_at timestamp",
            "answer_due_at timestamp",
            "answer text?",
            "upheld bool?",
            "answered_by int8?",
            "answered_at timestamp?",
            "reminded_at timestamp?",
        ],
    ),
    (
        "meetings",
        &[
            "id int8",
            "village_id int8",
            "group_id int8?",
            "title text",
            "place text",
            "starts_at timestamp",
            "state text",
            "quorum_numerator int4",
            "quorum_denominator int4",
            "convened_by int8",
            "created_at timestamp",
            "agenda text",
        ],
    ),
    (
        "attendance",
        &[
            "meeting_id int8",
            "staff_id int8",
            "status text",
            "recorded_by int8",
            "recorded_at timestamp",
        ],
    ),
    (
        "motions",
        &[
            "id int8",
            "meeting_id int8",
            "kind text",
            "text text",
            "rule_base text",
            "rule_numerator int4",
            "rule_denominator int4",
            "rule_strict bool",
            "rule_min_yes int4",
            "state text",
            "members_at_open int4?",
            "opened_at timestamp?",
            "closed_at timestamp?",
            "passed bool?",
            "outcome_zh text?",
            "outcome_en text?",
            "created_at timestamp",
            "candidate_id int8?",
        ],
    ),
    (
        "recusals",
        &[
            "motion_id int8",
            "staff_id int8",
            "reason text",
            "declared_at timestamp",
        ],
    ),
    (
        "votes",
        &[
            "motion_id int8",
            "staff_id int8",
            "choice text",
            "recorded_by int8?",
            "cast_at timestamp",
        ],
    ),
    (
        "minutes",
        &[
            "meeting_id int8",
            "body text",
            "clerk_notes text",
            "content_hash text?",
            "locked_at timestamp?",
            "created_at timestamp",
            "chair_id int8?",
            "chair_name text?",
            "recorder_id int8?",
            "recorder_name text?",
        ],
    ),
    (
        "minute_signatures",
        &["meeting_id int8", "staff_id int8", "signed_at timestamp"],
    ),
    (
        "attendance_changes",
        &[
            "id int8",
            "meeting_id int8",
            "staff_id int8",
            "status text",
            "recorded_by int8",
            "recorded_at timestamp",
        ],
    ),
    (
        "minute_refusals",
        &[
            "meeting_id int8",
            "staff_id int8",
            "reason text",
            "recorded_by int8",
            "recorded_at timestamp",
        ],
    ),
    (
        "candidates",
        &[
            "id int8",
            "village_id int8",
            "round_id int8?",
            "title text",
            "description text",
            "category text",
            "group_id int8?",
            "rough_cost_fen int8?",
            "temporary bool",
            "state text",
            "merged_into int8?",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "candidate_suggestions",
        &["suggestion_id int8", "candidate_id int8"],
    ),
    (
        "council_settings",
        &[
            "village_id int8",
            "quorum_numerator int4",
            "quorum_denominator int4",
            "rule_base text",
            "rule_numerator int4",
            "rule_denominator int4",
            "rule_strict bool",
            "rule_min_yes int4",
        ],
    ),
    (
        "motion_roll",
        &[
            "motion_id int8",
            "staff_id int8",
            "display_name text",
            "present_at_open bool",
            "present_at_close bool?",
            "recused bool",
            "recusal_reason text?",
        ],
    ),
    (
        "motion_tallies",
        &[
            "motion_id int8",
            "result text",
            "members int4",
            "present int4",
            "quorum_needed int4",
            "recused int4",
            "yes int4",
            "no int4",
            "abstain int4",
            "base int4",
            "needed int4",
            "withdrawn_reason text?",
            "closed_by int8",
            "recorded_at timestamp",
        ],
    ),
    (
        "meeting_roll",
        &[
            "meeting_id int8",
            "staff_id int8",
            "display_name text",
            "status text",
        ],
    ),
    (
        "projects",
        &[
            "id int8",
            "village_id int8",
            "candidate_id int8",
            "title text",
            "status text",
            "approved_by_motion int8",
            "created_at timestamp",
            "category text",
            "suspended_from text?",
            "status_reason text?",
            "status_changed_at timestamp",
        ],
    ),
    (
        "project_plans",
        &[
            "id int8",
            "project_id int8",
            "version int4",
            "method text",
            "starts_on date",
            "ends_on date",
            "contractor_selection text?",
            "total_fen int8",
            "state text",
            "motion_id int8?",
            "notice_id int8?",
            "created_by int8",
            "created_at timestamp",
            "decided_at timestamp?",
        ],
    ),
    (
        "plan_budget_lines",
        &[
            "plan_id int8",
            "position int4",
            "item text",
            "quantity_hundredths int8",
            "unit text",
            "unit_price_fen int8",
            "amount_fen int8",
        ],
    ),
    (
        "plan_funding",
        &["plan_id int8", "source text", "amount_fen int8"],
    ),
    (
        "plan_participants",
        &["plan_id int8", "position int4", "role text", "name text"],
    ),
    (
        "attachments",
        &[
            "id int8",
            "village_id int8",
            "sha256 text",
            "content_type text",
            "size_bytes int8",
            "file_name text",
            "uploaded_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "review_settings",
        &["village_id int8", "formula text", "updated_at timestamp"],
    ),
    (
        "reviews",
        &[
            "id int8",
            "village_id int8",
            "year int4",
            "half text",
            "opens_at timestamp",
            "closes_at timestamp",
            "state text",
            "formula text",
            "roll_size int4?",
            "notice_id int8?",
            "created_by int8",
            "created_at timestamp",
            "opened_at timestamp?",
            "closed_at timestamp?",
            "published_at timestamp?",
        ],
    ),
    (
        "review_items",
        &[
            "id int8",
            "review_id int8",
            "position int4",
            "kind text",
            "project_id int8?",
            "motion_id int8?",
            "title text",
            "carried_from int8?",
        ],
    ),
    ("review_roll", &["review_id int8", "household_id int8"]),
    (
        "review_participation",
        &[
            "review_id int8",
            "household_id int8",
            "channel text",
            "entered_by int8?",
            "responded_at timestamp",
        ],
    ),
    (
        "review_answers",
        &[
            "id text",
            "item_id int8",
            "rating text",
            "comment text?",
            "answered_on date",
        ],
    ),
    (
        "review_flags",
        &[
            "item_id int8",
            "review_id int8",
            "favourable int4",
            "valid int4",
            "flagged_at timestamp",
        ],
    ),
    (
        "review_reconsultations",
        &[
            "item_id int8",
            "held_on date",
            "method text",
            "heard text",
            "changes text",
            "recorded_by int8",
            "recorded_at timestamp",
        ],
    ),
    (
        "project_progress",
        &[
            "id int8",
            "project_id int8",
            "reported_on date",
            "percent int4",
            "body text",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "project_inspections",
        &[
            "id int8",
            "project_id int8",
            "inspected_on date",
            "place text",
            "findings text",
            "result text",
            "follow_up text",
            "created_by int8",
            "created_at timestamp",
            "response text?",
            "responded_by int8?",
            "responded_at timestamp?",
            "closed_by int8?",
            "closed_at timestamp?",
        ],
    ),
    (
        "project_acceptances",
        &[
            "id int8",
            "project_id int8",
            "accepted_on date",
            "result text",
            "reasons text",
            "notice_id int8?",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "acceptance_participants",
        &[
            "acceptance_id int8",
            "position int4",
            "role text",
            "name text",
        ],
    ),
    (
        "progress_attachments",
        &["progress_id int8", "attachment_id int8"],
    ),
    (
        "inspection_attachments",
        &["inspection_id int8", "attachment_id int8"],
    ),
    (
        "acceptance_attachments",
        &["acceptance_id int8", "attachment_id int8"],
    ),
    (
        "funds",
        &[
            "id int8",
            "village_id int8",
            "year int4",
            "name text",
            "source text",
            "allocation_fen int8",
            "hash_algorithm text",
            "created_by int8",
            "created_at timestamp",
        ],
    ),
    (
        "ledger_entries",
        &[
            "id int8",
            "fund_id int8",
            "kind text",
            "state text",
            "voucher text",
            "entry_date date",
            "payee text",
            "description text",
            "amount_fen int8",
            "project_id int8?",
            "reverses_id int8?",
            "recorded_by int8",
            "recorded_at timestamp",
            "decided_by int8?",
            "decided_at timestamp?",
            "reject_reason text?",
            "seq int8?",
            "prev_hash text?",
            "hash text?",
        ],
    ),
    ("ledger_vouchers", &["entry_id int8", "attachment_id int8"]),
];

/// Table name → columns ("name type[?]") in order.
type Tables = BTreeMap<String, Vec<String>>;

fn expected() -> Tables {
    EXPECTED
        .iter()
        .map(|(table, columns)| {
            (
                table.to_string(),
                columns.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

/// Reads the `diesel::table!` blocks of src/db/schema.rs and the per-part files beside it in
/// src/db/schema/: `name (key) {` then `column -> Type,`.
fn schema_rs() -> Tables {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    let mut files = vec![root.join("schema.rs")];
    let mut parts: Vec<_> = std::fs::read_dir(root.join("schema"))
        .expect("read src/db/schema/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    parts.sort();
    files.extend(parts);
    let text: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read a schema file"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut tables = Tables::new();
    let mut current: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line == "diesel::table! {" {
            continue;
        }
        if let Some(table) = &current {
            if line == "}" {
                current = None;
                continue;
            }
            assert!(
                !line.starts_with("#["),
                "schema.rs:{}: attributes in table! are not read by this test",
                n + 1
            );
            let Some((column, ty)) = line.trim_end_matches(',').split_once(" -> ") else {
                panic!("schema.rs:{}: unreadable column line `{line}`", n + 1);
            };
            let (ty, nullable) = match ty
                .strip_prefix("Nullable<")
                .and_then(|t| t.strip_suffix('>'))
            {
                Some(inner) => (inner, "?"),
                None => (ty, ""),
            };
            let common = match ty {
                "BigInt" => "int8",
                "Integer" => "int4",
                "Text" => "text",
                "Bool" => "bool",
                "Timestamp" => "timestamp",
                "Date" => "date",
                other => panic!(
                    "schema.rs:{}: no common name for diesel type {other}",
                    n + 1
                ),
            };
            tables
                .get_mut(table)
                .expect("table")
                .push(format!("{column} {common}{nullable}"));
        } else if line.ends_with(") {") && !line.starts_with("diesel::") {
            let name = line
                .split_whitespace()
                .next()
                .expect("table name")
                .to_string();
            tables.insert(name.clone(), Vec::new());
            current = Some(name);
        }
    }
    assert!(!tables.is_empty(), "no tables read from {files:?}");
    tables
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Text)]
    data_type: String,
}

/// Tables and columns of a migrated SQLite database, from `pragma_table_info`.
fn sqlite_tables(conn: &mut diesel::SqliteConnection) -> Tables {
    let names: Vec<TableName> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(conn)
    .expect("list tables");
    let mut tables = Tables::new();
    for TableName { name: table } in names {
        let columns: Vec<SqliteColumn> = diesel::sql_query(
            "SELECT name, type AS declared, \"notnull\" AS not_null, pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(&table)
        .load(conn)
        .expect("pragma_table_info");
        let key_columns = columns.iter().filter(|c| c.pk > 0).count();
        let described = columns
            .iter()
            .map(|c| {
                let declared = c.declared.to_ascii_uppercase();
                // `INTEGER PRIMARY KEY` alone is the rowid: 64 bits and never NULL.
                let rowid = declared == "INTEGER" && c.pk == 1 && key_columns == 1;
                let common = match declared.as_str() {
                    _ if rowid => "int8".to_string(),
                    "BIGINT" => "int8".to_string(),
                    "INTEGER" => "int4".to_string(),
                    "TEXT" => "text".to_string(),
                    "BOOLEAN" => "bool".to_string(),
                    "TIMESTAMP" => "timestamp".to_string(),
                    "DATE" => "date".to_string(),
                    other => format!("unmapped sqlite type {other}"),
                };
                let nullable = if c.not_null == 1 || rowid { "" } else { "?" };
                format!("{} {common}{nullable}", c.name)
            })
            .collect();
        tables.insert(table, described);
    }
    tables
}

/// Tables and columns of a migrated PostgreSQL database, from `information_schema.columns`.
fn pg_tables(conn: &mut diesel::PgConnection) -> Tables {
    let rows: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
         is_nullable::text AS is_nullable, data_type::text AS data_type \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations' \
         ORDER BY table_name, ordinal_position",
    )
    .load(conn)
    .expect("information_schema.columns");
    let mut tables = Tables::new();
    for row in rows {
        let common = match row.data_type.as_str() {
            "bigint" => "int8".to_string(),
            "integer" => "int4".to_string(),
            "text" => "text".to_string(),
            "boolean" => "bool".to_string(),
            "timestamp without time zone" => "timestamp".to_string(),
            "date" => "date".to_string(),
            other => format!("unmapped postgres type {other}"),
        };
        let nullable = if row.is_nullable == "YES" { "?" } else { "" };
        tables
            .entry(row.table_name)
            .or_default()
            .push(format!("{} {common}{nullable}", row.column_name));
    }
    tables
}

/// Compares table by table so a failure names the table that differs.
fn assert_same_tables(actual: &Tables, wanted: &Tables, actual_name: &str, wanted_name: &str) {
    let actual_names: Vec<&String> = actual.keys().collect();
    let wanted_names: Vec<&String> = wanted.keys().collect();
    assert_eq!(
        actual_names, wanted_names,
        "tables of {actual_name} (left) and {wanted_name} (right)"
    );
    for (table, columns) in wanted {
        assert_eq!(
            &actual[table], columns,
            "columns of `{table}`: {actual_name} (left) and {wanted_name} (right)"
        );
    }
}

/// A fresh SQLite file in `dir`, migrated.
fn fresh_sqlite(dir: &Path) -> minyi::db::PooledConn {
    let url = format!("sqlite://{}", dir.join("schema.sqlite3").display());
    let pool = minyi::db::connect(&url).expect("sqlite pool");
    let mut conn = pool.get().expect("sqlite connection");
    let applied = migrations::run_pending(&mut conn).expect("migrate sqlite");
    assert!(applied > 0, "no migrations ran on a fresh SQLite file");
    conn
}

fn sqlite_of(conn: &mut DbConn) -> &mut diesel::SqliteConnection {
    match conn {
        DbConn::Sqlite(c) => c,
        DbConn::Pg(_) => panic!("expected a SQLite connection"),
    }
}

#[test]
fn the_expected_columns_are_those_of_schema_rs() {
    assert_same_tables(
        &schema_rs(),
        &expected(),
        "src/db/schema.rs",
        "the test's EXPECTED list",
    );
}

#[test]
fn sqlite_migrations_yield_the_tables_and_columns_of_schema_rs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = fresh_sqlite(dir.path());
    let tables = sqlite_tables(sqlite_of(&mut conn));
    assert_same_tables(
        &tables,
        &expected(),
        "migrations/sqlite",
        "schema.rs (EXPECTED)",
    );
}

#[test]
fn postgres_migrations_yield_the_same_tables_and_columns_as_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sqlite = fresh_sqlite(dir.path());
    let sqlite = sqlite_tables(sqlite_of(&mut sqlite));

    let Some(url) = crate::helpers::fresh_database(dir.path()) else {
        println!(
            "MINYI_TEST_DATABASE_URL is unset: compared the SQLite migrations with schema.rs only"
        );
        assert_same_tables(
            &sqlite,
            &expected(),
            "migrations/sqlite",
            "schema.rs (EXPECTED)",
        );
        return;
    };
    let pool = minyi::db::connect(&url).expect("postgres pool");
    let mut conn = pool.get().expect("postgres connection");
    let applied = migrations::run_pending(&mut conn).expect("migrate postgres");
    assert!(
        applied > 0,
        "no migrations ran on a fresh PostgreSQL database"
    );
    let DbConn::Pg(pg) = &mut *conn else {
        panic!("expected a PostgreSQL connection for {url}")
    };
    let postgres = pg_tables(pg);
    assert_same_tables(
        &postgres,
        &expected(),
        "migrations/postgres",
        "schema.rs (EXPECTED)",
    );
    assert_same_tables(
        &postgres,
        &sqlite,
        "migrations/postgres",
        "migrations/sqlite",
    );
    println!(
        "compared PostgreSQL and SQLite migrations with schema.rs: {} tables",
        postgres.len()
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Writes one audit event, then tries to change and delete it with plain SQL.
fn assert_append_only(conn: &mut DbConn, backend: &str) {
    use minyi::audit::{Actor, Event};
    use minyi::db::schema::audit_events::dsl as ae;
    minyi::audit::record(
        conn,
        Event::ok(Actor::System, minyi::audit::Action::DemoSeed, "test:1").detail("kept"),
    )
    .expect("insert audit row");
    let (id, outcome, detail): (i64, String, String) = ae::audit_events
        .order(ae::id.desc())
        .select((ae::id, ae::outcome, ae::detail))
        .first(conn)
        .expect("the new row");
    assert_eq!(detail, "kept");

    let update = diesel::sql_query(format!(
        "UPDATE audit_events SET detail = 'changed', outcome = 'x' WHERE id = {id}"
    ))
    .execute(conn);
    assert!(
        update.is_err(),
        "{backend}: UPDATE of an audit row succeeded ({update:?})"
    );
    let update_all = diesel::sql_query("UPDATE audit_events SET detail = 'changed'").execute(conn);
    assert!(
        update_all.is_err(),
        "{backend}: UPDATE of the whole audit log succeeded ({update_all:?})"
    );
    let delete =
        diesel::sql_query(format!("DELETE FROM audit_events WHERE id = {id}")).execute(conn);
    assert!(
        delete.is_err(),
        "{backend}: DELETE of an audit row succeeded ({delete:?})"
    );
    let delete_all = diesel::sql_query("DELETE FROM audit_events").execute(conn);
    assert!(
        delete_all.is_err(),
        "{backend}: DELETE of the whole audit log succeeded ({delete_all:?})"
    );
    if matches!(conn, minyi::db::DbConn::Pg(_)) {
        // Row triggers do not see TRUNCATE; a statement trigger must refuse it too.
        let truncate = diesel::sql_query("TRUNCATE audit_events").execute(conn);
        assert!(
            truncate.is_err(),
            "{backend}: TRUNCATE of the audit log succeeded"
        );
    }

    let after: (String, String) = ae::audit_events
        .filter(ae::id.eq(id))
        .select((ae::outcome, ae::detail))
        .first(conn)
        .expect("the row is still there");
    assert_eq!(after, (outcome, detail), "{backend}: the audit row changed");
    let Count { n } = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM audit_events WHERE id = {id}"
    ))
    .get_result(conn)
    .expect("count");
    assert_eq!(n, 1);
}

#[actix_web::test]
async fn the_audit_log_refuses_updates_and_deletes_in_the_database() {
    // The backend the suite runs on (PostgreSQL when MINYI_TEST_DATABASE_URL is set).
    let app = spawn_app().await;
    let backend = match &*app.conn() {
        DbConn::Sqlite(_) => "sqlite",
        DbConn::Pg(_) => "postgres",
    };
    app.with_conn(|c| assert_append_only(c, backend));
    // And SQLite in any case, since that is the default deployment.
    if backend != "sqlite" {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut conn = fresh_sqlite(dir.path());
        assert_append_only(&mut conn, "sqlite");
    }
}
