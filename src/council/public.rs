//! The council's public record, no login: members, meetings, each closed motion with its rule,
//! roll call by name and outcome, signed minutes with their hash, and per-motion CSV and JSON so
//! anyone can recompute the outcome.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::routes::{MeetingView, view};
use super::store::{self, Meeting, Motion};
use super::tally::Rule;
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/council", web::get().to(index))
        .route("/v/{village}/council/{meeting}", web::get().to(meeting))
        .route(
            "/v/{village}/council/{meeting}/motions/{motion}.json",
            web::get().to(motion_json),
        )
        .route(
            "/v/{village}/council/{meeting}/motions/{motion}.csv",
            web::get().to(motion_csv),
        );
}

async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "council/public_index.html")]
struct IndexPage {
    p: Page,
    village: VillageRef,
    members: Vec<(i64, String)>,
    /// Each group council: (group name, its members).
    groups: Vec<(String, Vec<(i64, String)>)>,
    meetings: Vec<Meeting>,
}

impl IndexPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn index(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let village_id = village.id;
    let (members, groups, meetings) = state
        .db
        .run(move |conn| {
            let members = store::members(conn, village_id, None)?;
            // One query per group: a village has a handful of groups.
            let mut groups = Vec::new();
            for g in crate::villages::store::groups(conn, village_id)? {
                let list = store::members(conn, village_id, Some(g.id))?;
                if !list.is_empty() {
                    groups.push((g.name, list));
                }
            }
            Ok::<_, AppError>((members, groups, store::meetings(conn, village_id)?))
        })
        .await?;
    render(&IndexPage {
        p,
        village,
        members,
        groups,
        meetings,
    })
}

/// A closed motion's roll call: (name, choice key or standing key).
pub struct RollCall {
    pub motion: Motion,
    pub lines: Vec<(String, &'static str)>,
}

async fn roll_calls(state: &AppState, v: &MeetingView) -> AppResult<Vec<RollCall>> {
    let closed: Vec<Motion> = v
        .motions
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| m.state == "closed")
        .collect();
    let members = v.members.clone();
    let present = v.present.clone();
    state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for motion in closed {
                let votes = store::votes(conn, motion.id)?;
                let recused = store::recusals(conn, motion.id)?;
                let lines = members
                    .iter()
                    .map(|(id, name)| {
                        let key = if recused.contains_key(id) {
                            "vote.recused"
                        } else if let Some((choice, _)) = votes.get(id) {
                            choice.label_key()
                        } else if present.contains(id) {
                            "vote.silent"
                        } else {
                            "vote.absent"
                        };
                        (name.clone(), key)
                    })
                    .collect();
                out.push(RollCall { motion, lines });
            }
            Ok::<_, AppError>(out)
        })
        .await
}

#[derive(Template)]
#[template(path = "council/public_meeting.html")]
struct MeetingPage {
    p: Page,
    village: VillageRef,
    v: MeetingView,
    roll: Vec<RollCall>,
}

impl MeetingPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn outcome<'a>(&self, m: &'a Motion) -> &'a str {
        m.outcome(self.p.locale).unwrap_or("")
    }
    fn rule(&self, m: &Motion) -> String {
        super::domain::rule_words(&m.rule())
    }
}

async fn meeting(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let village = village(&state, code).await?;
    let v = view(&state, &village, id).await?;
    let roll = roll_calls(&state, &v).await?;
    render(&MeetingPage {
        p,
        village,
        v,
        roll,
    })
}

#[derive(Serialize)]
struct MotionExport<'a> {
    motion: i64,
    text: &'a str,
    rule: Rule,
    members: usize,
    passed: Option<bool>,
    outcome: Option<&'a str>,
    roll_call: Vec<Line<'a>>,
}

#[derive(Serialize)]
struct Line<'a> {
    member: &'a str,
    standing: &'static str,
}

async fn closed_motion(state: &AppState, path: (String, i64, String)) -> AppResult<RollCall> {
    let (code, meeting, motion) = path;
    let motion: i64 = motion.parse().map_err(|_| AppError::NotFound)?;
    let village = village(state, code).await?;
    let v = view(state, &village, meeting).await?;
    roll_calls(state, &v)
        .await?
        .into_iter()
        .find(|r| r.motion.id == motion)
        .ok_or(AppError::NotFound)
}

fn standing_word(key: &str) -> &'static str {
    match key {
        "vote.yes" => "yes",
        "vote.no" => "no",
        "vote.abstain" => "abstain",
        "vote.recused" => "recused",
        "vote.silent" => "present_no_vote",
        _ => "absent",
    }
}

async fn motion_json(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let (code, meeting, file) = path.into_inner();
    let r = closed_motion(&state, (code, meeting, file)).await?;
    let export = MotionExport {
        motion: r.motion.id,
        text: &r.motion.text,
        rule: r.motion.rule(),
        members: r.lines.len(),
        passed: r.motion.passed,
        outcome: r.motion.outcome_zh.as_deref(),
        roll_call: r
            .lines
            .iter()
            .map(|(n, k)| Line {
                member: n,
                standing: standing_word(k),
            })
            .collect(),
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(body))
}

async fn motion_csv(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let (code, meeting, file) = path.into_inner();
    let r = closed_motion(&state, (code, meeting, file)).await?;
    let rule = r.motion.rule();
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let write = |out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        out.write_record([
            "rule_base",
            rule.base.as_str(),
            "fraction",
            &format!("{}/{}", rule.numerator, rule.denominator),
            "strict",
            &rule.strict.to_string(),
            "min_yes",
            &rule.min_yes.to_string(),
        ])?;
        out.write_record(["member", "standing", "", "", "", "", "", ""])?;
        for (name, key) in &r.lines {
            out.write_record([name.as_str(), standing_word(key), "", "", "", "", "", ""])?;
        }
        Ok(())
    };
    write(&mut out).map_err(|e| AppError::Internal(e.into()))?;
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .body(body))
}
