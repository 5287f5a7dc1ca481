//! The downloads of an ended motion's public record, CSV and JSON with the same column names
//! (documented in docs/council-record.md): the motion's rule, its stored tally (members, present,
//! quorum, recused, yes / no / abstain, base, votes needed) and one line per member on its roll
//! with the member's id and name then, presence at the close, standing, whether the clerk recorded
//! the vote from a show of hands, and when it was cast. Everything comes from the snapshots the
//! public page is built from, so anyone can recount the outcome from a download alone.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::public::{RollCall, RollCallLine, record, village};
use super::states::MotionState;
use super::store::Motion;
use crate::audit::export::{BOM, safe_cell};
use crate::error::{AppError, AppResult};
use crate::web::AppState;

/// The motion-level columns: repeated on every CSV row, top-level fields in JSON.
#[derive(Serialize)]
struct MotionColumns<'a> {
    motion_id: i64,
    meeting_id: i64,
    text: &'a str,
    state: &'static str,
    passed: Option<bool>,
    rule_base: &'static str,
    rule_numerator: u32,
    rule_denominator: u32,
    rule_strict: bool,
    rule_min_yes: u32,
    members: Option<i32>,
    present: Option<i32>,
    quorum_needed: Option<i32>,
    recused: Option<i32>,
    yes: Option<i32>,
    no: Option<i32>,
    abstain: Option<i32>,
    base: Option<i32>,
    needed: Option<i32>,
    closed_at: Option<String>,
    outcome: Option<&'a str>,
    withdrawn_reason: Option<&'a str>,
}

/// The member-level columns: one CSV row per member, `roll_call` entries in JSON.
#[derive(Serialize)]
struct MemberColumns<'a> {
    member_id: i64,
    member: &'a str,
    present_at_close: bool,
    standing: &'static str,
    recorded_by_clerk: bool,
    cast_at: Option<String>,
    recusal_reason: Option<&'a str>,
}

#[derive(Serialize)]
struct MotionExport<'a> {
    #[serde(flatten)]
    motion: MotionColumns<'a>,
    roll_call: Vec<MemberColumns<'a>>,
}

/// Times in the downloads: ISO 8601 in UTC.
fn iso(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn state_word(m: &Motion) -> &'static str {
    match m.state {
        MotionState::Lapsed => "lapsed",
        MotionState::Withdrawn => "withdrawn",
        _ => "closed",
    }
}

fn motion_columns(r: &RollCall) -> MotionColumns<'_> {
    let t = r.tally.as_ref();
    MotionColumns {
        motion_id: r.motion.id,
        meeting_id: r.motion.meeting_id,
        text: &r.motion.text,
        state: state_word(&r.motion),
        passed: r.motion.passed,
        rule_base: r.motion.rule.base.as_str(),
        rule_numerator: r.motion.rule.numerator,
        rule_denominator: r.motion.rule.denominator,
        rule_strict: r.motion.rule.strict,
        rule_min_yes: r.motion.rule.min_yes,
        members: t.map(|t| t.members),
        present: t.map(|t| t.present),
        quorum_needed: t.map(|t| t.quorum_needed),
        recused: t.map(|t| t.recused),
        yes: t.map(|t| t.yes),
        no: t.map(|t| t.no),
        abstain: t.map(|t| t.abstain),
        base: t.map(|t| t.base),
        needed: t.map(|t| t.needed),
        closed_at: r.motion.closed_at.map(iso),
        outcome: r.motion.outcome_zh.as_deref(),
        withdrawn_reason: t.and_then(|t| t.withdrawn_reason.as_deref()),
    }
}

fn member_columns(l: &RollCallLine) -> MemberColumns<'_> {
    MemberColumns {
        member_id: l.member_id,
        member: &l.name,
        present_at_close: l.present,
        standing: l.word(),
        recorded_by_clerk: l.by_clerk,
        cast_at: l.cast_at.map(iso),
        recusal_reason: l.recusal_reason.as_deref(),
    }
}

async fn ended_motion(state: &AppState, path: (String, i64, String)) -> AppResult<RollCall> {
    let (code, meeting, motion) = path;
    let motion: i64 = motion.parse().map_err(|_| AppError::NotFound)?;
    let village = village(state, code).await?;
    record(state, &village, meeting)
        .await?
        .roll
        .into_iter()
        .find(|r| r.motion.id == motion)
        .ok_or(AppError::NotFound)
}

pub(super) async fn motion_json(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let r = ended_motion(&state, path.into_inner()).await?;
    let export = MotionExport {
        motion: motion_columns(&r),
        roll_call: r.lines.iter().map(member_columns).collect(),
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(body))
}

/// The column names of the CSV, in order: the motion's, then the member's.
pub const CSV_COLUMNS: [&str; 29] = [
    "motion_id",
    "meeting_id",
    "text",
    "state",
    "passed",
    "rule_base",
    "rule_numerator",
    "rule_denominator",
    "rule_strict",
    "rule_min_yes",
    "members",
    "present",
    "quorum_needed",
    "recused",
    "yes",
    "no",
    "abstain",
    "base",
    "needed",
    "closed_at",
    "outcome",
    "withdrawn_reason",
    "member_id",
    "member",
    "present_at_close",
    "standing",
    "recorded_by_clerk",
    "cast_at",
    "recusal_reason",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn motion_cells(m: &MotionColumns<'_>) -> Vec<String> {
    vec![
        m.motion_id.to_string(),
        m.meeting_id.to_string(),
        safe_cell(m.text),
        m.state.to_string(),
        opt(m.passed),
        m.rule_base.to_string(),
        m.rule_numerator.to_string(),
        m.rule_denominator.to_string(),
        m.rule_strict.to_string(),
        m.rule_min_yes.to_string(),
        opt(m.members),
        opt(m.present),
        opt(m.quorum_needed),
        opt(m.recused),
        opt(m.yes),
        opt(m.no),
        opt(m.abstain),
        opt(m.base),
        opt(m.needed),
        m.closed_at.clone().unwrap_or_default(),
        m.outcome.map(safe_cell).unwrap_or_default(),
        m.withdrawn_reason.map(safe_cell).unwrap_or_default(),
    ]
}

fn member_cells(l: &MemberColumns<'_>) -> Vec<String> {
    vec![
        l.member_id.to_string(),
        safe_cell(l.member),
        l.present_at_close.to_string(),
        l.standing.to_string(),
        l.recorded_by_clerk.to_string(),
        l.cast_at.clone().unwrap_or_default(),
        l.recusal_reason.map(safe_cell).unwrap_or_default(),
    ]
}

fn to_csv(r: &RollCall) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::from(BOM.as_bytes()));
    out.write_record(CSV_COLUMNS)?;
    let motion = motion_cells(&motion_columns(r));
    if r.lines.is_empty() {
        // A motion withdrawn before it opened has no roll: one row with the member columns empty.
        let mut row = motion.clone();
        row.resize(CSV_COLUMNS.len(), String::new());
        out.write_record(row)?;
    }
    for line in &r.lines {
        let mut row = motion.clone();
        row.extend(member_cells(&member_columns(line)));
        out.write_record(row)?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

pub(super) async fn motion_csv(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let r = ended_motion(&state, path.into_inner()).await?;
    let body = to_csv(&r).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .body(body))
}
