//! Integration test: the database keeps every promise by itself, the same on SQLite and
//! PostgreSQL (the backend `spawn_app` picks). Real records are built through the app's stores
//! ([`world`]); then every forbidden write is attempted as raw SQL and must be refused by the
//! database, and the writes the app legitimately makes must still go through.
//!
//! [`table`] is the table of promises: each row's name is the one docs/promises.md uses, so
//! the two line up.

mod projects;
mod reviews;
mod table;
mod world;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::Text;
use minyi::db::DbConn;

use crate::helpers::spawn_app;
use table::{Expect, Row};
use world::World;

/// One attempted write with its SQL filled in.
struct Attempt {
    name: &'static str,
    expect: Expect,
    sql: String,
}

fn attempts(rows: Vec<Row>, w: &World, extra: &[(&'static str, String)]) -> Vec<Attempt> {
    let mut ids = w.ids();
    ids.extend(extra.iter().cloned());
    rows.into_iter()
        .map(|(name, expect, sql)| Attempt {
            name,
            expect,
            sql: table::fill(sql, &ids),
        })
        .collect()
}

impl World {
    /// The ids the table's SQL names as `{name}`.
    pub fn ids(&self) -> Vec<(&'static str, String)> {
        let ids = [
            ("village", self.village.id),
            ("township", self.village.township_id),
            ("group", self.group),
            ("other_group", self.village.groups[1]),
            ("clerk", self.clerk),
            ("member", self.member),
            ("second", self.second),
            ("meeting", self.meeting),
            ("closed_motion", self.closed_motion),
            ("open_motion", self.open_motion),
            ("voting_motion", self.voting_motion),
            ("draft_motion", self.draft_motion),
            ("spare_draft_motion", self.spare_draft_motion),
            ("locked_meeting", self.locked_meeting),
            ("unlocked_meeting", self.unlocked_meeting),
            ("published_notice", self.published_notice),
            ("certified_site", self.certified_site),
            ("open_site", self.open_site),
            ("remark", self.remark),
            ("draft_notice", self.draft_notice),
            ("answered_objection", self.answered_objection),
            ("open_objection", self.open_objection),
            ("first", self.first),
            ("second_household", self.second_household),
            ("late", self.late),
            ("closed_round", self.closed_round),
            ("published_round", self.published_round),
            ("open_round", self.open_round),
            ("closed_ballot", self.closed_ballot),
            ("published_ballot", self.published_ballot),
            ("open_ballot", self.open_ballot),
            ("closed_suggestion", self.closed_suggestion),
            ("published_suggestion", self.published_suggestion),
            ("open_suggestion", self.open_suggestion),
            ("other_candidate", self.other_candidate),
            ("fund", self.fund),
            ("posted_entry", self.posted_entry),
            ("pending_entry", self.pending_entry),
            ("audit_event", self.audit_event),
        ];
        let j = &self.projects;
        let projects = [
            ("voted_plan", j.voted_plan),
            ("draft_plan", j.draft_plan),
            ("progress", j.progress),
            ("closed_inspection", j.closed_inspection),
            ("open_inspection", j.open_inspection),
            ("acceptance", j.acceptance),
        ];
        let mut named: Vec<(&'static str, String)> = ids
            .into_iter()
            .chain(projects)
            .map(|(n, id)| (n, id.to_string()))
            .collect();
        named.push(("typed_serial", format!("'{}'", world::TYPED_SERIAL)));
        named
    }
}

/// Tables whose every row `fingerprint` reads, with the columns that carry each promise.
const WATCHED: &[(&str, &str)] = &[
    ("motions", "id, state, text, passed, outcome_zh, closed_at"),
    ("votes", "motion_id, staff_id, choice, cast_at"),
    ("minutes", "meeting_id, body, content_hash, locked_at"),
    ("minute_signatures", "meeting_id, staff_id, signed_at"),
    ("minute_refusals", "meeting_id, staff_id, reason"),
    (
        "motion_roll",
        "motion_id, staff_id, display_name, present_at_open, present_at_close, recused",
    ),
    (
        "motion_tallies",
        "motion_id, result, members, present, yes, no, abstain, base, needed",
    ),
    ("meeting_roll", "meeting_id, staff_id, display_name, status"),
    ("notices", "id, state, title, body, content_hash"),
    ("objections", "id, body, answer, upheld, answered_at"),
    (
        "ballots",
        "id, round_id, household_id, version, receipt, voided_at",
    ),
    ("suggestions", "id, ballot_id, version, title"),
    ("round_roll", "round_id, household_id, group_id"),
    ("paper_entries", "id, paper_serial, entered_by"),
    ("candidate_suggestions", "suggestion_id, candidate_id"),
    ("households", "id, number"),
    ("staff", "id, username"),
    ("role_assignments", "id, staff_id, role"),
    ("audit_events", "id, action, detail"),
    ("reviews", "id, state, notice_id"),
    ("review_items", "id, review_id, title"),
    ("review_roll", "review_id, household_id"),
    ("review_participation", "review_id, household_id, channel"),
    ("review_answers", "id, item_id, rating"),
    ("review_flags", "item_id, favourable, valid"),
    ("review_reconsultations", "item_id, changes"),
    ("project_plans", "id, state, total_fen, method, starts_on"),
    ("plan_budget_lines", "plan_id, position, item, amount_fen"),
    ("plan_funding", "plan_id, source, amount_fen"),
    ("plan_participants", "plan_id, position, name"),
    ("project_progress", "id, percent, body"),
    ("project_inspections", "id, findings, response, closed_at"),
    ("project_acceptances", "id, result, reasons, notice_id"),
    ("acceptance_participants", "acceptance_id, position, name"),
    ("progress_attachments", "progress_id, attachment_id"),
];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every watched row as text, in a stable order.
fn fingerprint(conn: &mut DbConn) -> Vec<String> {
    let mut lines = Vec::new();
    for (table, columns) in WATCHED {
        let text = columns
            .split(", ")
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let sql = format!("SELECT {text} AS line FROM {table} ORDER BY 1");
        let rows: Vec<Line> = diesel::sql_query(sql).load(conn).expect(table);
        lines.extend(rows.into_iter().map(|r| format!("{table}: {}", r.line)));
    }
    lines
}

/// Runs one attempt and says what went wrong, if anything.
fn check(conn: &mut DbConn, backend: &str, a: &Attempt) -> Option<String> {
    let result = diesel::sql_query(&a.sql).execute(conn);
    let problem = match (a.expect, &result) {
        (Expect::Allowed, Ok(n)) if *n > 0 => return None,
        (Expect::Trigger(message), Err(e)) if e.to_string().contains(message) => return None,
        (Expect::Duplicate, Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))) => {
            return None;
        }
        (Expect::Check, Err(Error::DatabaseError(DatabaseErrorKind::CheckViolation, _))) => {
            return None;
        }
        (expect, got) => format!("expected {expect:?}, got {got:?}"),
    };
    Some(format!("{backend}: `{}`: {problem}\n    {}", a.name, a.sql))
}

#[actix_web::test]
async fn the_database_refuses_every_forbidden_write_and_allows_the_apps_own() {
    let app = spawn_app().await;
    let w = world::build(&app);
    let review_ids = reviews::build(&app, &w);
    let mut conn = app.conn();
    let backend = match &*conn {
        DbConn::Sqlite(_) => "sqlite",
        DbConn::Pg(_) => "postgres",
    };
    let before = fingerprint(&mut conn);
    let refused = attempts(table::refused(), &w, &review_ids);
    let allowed = attempts(table::allowed(), &w, &review_ids);
    let mut failures: Vec<String> = refused
        .iter()
        .filter_map(|a| check(&mut conn, backend, a))
        .collect();
    if backend == "postgres" {
        // TRUNCATE skips row triggers; statement triggers refuse it. CASCADE, or PostgreSQL would
        // refuse a referenced table for its foreign keys before any trigger is asked.
        for table in [
            "motions",
            "votes",
            "minutes",
            "minute_signatures",
            "minute_refusals",
            "motion_roll",
            "motion_tallies",
            "meeting_roll",
            "notices",
            "objections",
            "ballots",
            "suggestions",
            "round_roll",
            "roll_removals",
            "round_group_tallies",
            "round_category_tallies",
            "ledger_vouchers",
            "audit_events",
            "reviews",
            "review_items",
            "review_roll",
            "review_participation",
            "review_answers",
            "review_flags",
            "review_reconsultations",
            "ledger_entries",
            "funds",
        ] {
            let result = diesel::sql_query(format!("TRUNCATE {table} CASCADE")).execute(&mut *conn);
            let refused = result.as_ref().is_err_and(|e| {
                let text = e.to_string();
                text.contains("cannot be truncated") || text.contains("is append-only")
            });
            if !refused {
                failures.push(format!("postgres: TRUNCATE {table}: {result:?}"));
            }
        }
    }
    let after = fingerprint(&mut conn);
    let changed: Vec<String> = after
        .iter()
        .filter(|l| !before.contains(l))
        .cloned()
        .collect();
    let gone: Vec<String> = before
        .iter()
        .filter(|l| !after.contains(l))
        .cloned()
        .collect();
    assert!(
        changed.is_empty() && gone.is_empty(),
        "{backend}: refused writes changed rows: new {changed:#?}, gone {gone:#?}"
    );
    failures.extend(allowed.iter().filter_map(|a| check(&mut conn, backend, a)));
    assert!(
        failures.is_empty(),
        "{} broken promises:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!(
        "{backend}: {} refused, {} allowed writes as promised",
        refused.len(),
        allowed.len()
    );
}
