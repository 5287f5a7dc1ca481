//! The council's public record, no login: members, meetings, each ended motion with its rule,
//! roll call by name and outcome, signed minutes with their hash, and per-motion CSV and JSON so
//! anyone can recompute the outcome. A meeting's record is built from the snapshots taken as
//! things happened only (names, presence and recusals on the motion's roll, its tally, the
//! stored outcome sentence), so later changes to members or attendance never change it.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Serialize;

use std::collections::HashMap;

use super::snapshot::{self, TallyRecord};
use super::states::MotionState;
use super::store::{self, Meeting, Motion};
use super::tally::{Choice, Rule, Standing};
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
    /// For a signed-in council member: the meetings that still need them; `None` for anyone else.
    mine: Option<Vec<super::member_home::MyMeeting>>,
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
    let code = village.code.clone();
    let viewer = match &p.who {
        Some(crate::web::session::Who::Staff { id, .. }) => Some(*id),
        _ => None,
    };
    let (members, groups, meetings, mine) = state
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
            let meetings = store::meetings(conn, village_id)?;
            let mine = match viewer {
                Some(staff) => {
                    let list = super::member_home::my_meetings(conn, &code, &meetings, staff)?;
                    // Only a member of one of this village's councils sees the section.
                    let is_member = members.iter().any(|(id, _)| *id == staff)
                        || groups
                            .iter()
                            .any(|(_, l)| l.iter().any(|(id, _)| *id == staff));
                    is_member.then_some(list)
                }
                None => None,
            };
            Ok::<_, AppError>((members, groups, meetings, mine))
        })
        .await?;
    render(&IndexPage {
        p,
        village,
        members,
        groups,
        meetings,
        mine,
    })
}

/// An ended motion's roll call, from its snapshots only: (name then, standing word) per member
/// on its roll, and its tally record.
pub struct RollCall {
    pub motion: Motion,
    pub lines: Vec<RollCallLine>,
    pub tally: Option<TallyRecord>,
}

pub struct RollCallLine {
    pub name: String,
    pub standing: Standing,
    pub present: bool,
    pub recusal_reason: Option<String>,
}

impl RollCallLine {
    /// The i18n key of the standing.
    pub fn key(&self) -> &'static str {
        match self.standing {
            Standing::Voted(choice) => choice.label_key(),
            Standing::Recused => "vote.recused",
            Standing::PresentSilent => "vote.silent",
            Standing::Absent => "vote.absent",
        }
    }
    /// The standing in the downloads' words.
    pub fn word(&self) -> &'static str {
        match self.standing {
            Standing::Voted(Choice::Yes) => "yes",
            Standing::Voted(Choice::No) => "no",
            Standing::Voted(Choice::Abstain) => "abstain",
            Standing::Recused => "recused",
            Standing::PresentSilent => "present_no_vote",
            Standing::Absent => "absent",
        }
    }
}

/// The public record of a meeting: the meeting, its minutes and each ended motion's roll call.
struct Record {
    meeting: Meeting,
    minutes: Option<store::Minutes>,
    roll: Vec<RollCall>,
    /// Who signed the minutes and who refused (name, reason), by the names on the meeting's
    /// roll; shown only with locked minutes.
    signers: Vec<String>,
    refusers: Vec<(String, String)>,
}

async fn record(state: &AppState, village: &VillageRef, meeting_id: i64) -> AppResult<Record> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| {
            let meeting =
                store::meeting(conn, village_id, meeting_id)?.ok_or(AppError::NotFound)?;
            let mut roll = Vec::new();
            for motion in store::motions(conn, meeting_id)? {
                if !motion.is_ended() {
                    continue;
                }
                let votes: HashMap<i64, Choice> = store::votes(conn, motion.id)?
                    .into_iter()
                    .map(|(id, (choice, _))| (id, choice))
                    .collect();
                let lines = snapshot::roll(conn, motion.id)?
                    .into_iter()
                    .map(|line| RollCallLine {
                        standing: snapshot::standing(&line, &votes),
                        present: line.present_at_close.unwrap_or(line.present_at_open),
                        name: line.display_name,
                        recusal_reason: line.recusal_reason,
                    })
                    .collect();
                let tally = snapshot::tally(conn, motion.id)?;
                roll.push(RollCall {
                    motion,
                    lines,
                    tally,
                });
            }
            let names: HashMap<i64, String> = snapshot::meeting_roll(conn, meeting_id)?
                .into_iter()
                .map(|(id, name, _)| (id, name))
                .collect();
            let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
            let mut signers: Vec<String> = store::signatures(conn, meeting_id)?
                .into_iter()
                .map(name)
                .collect();
            signers.sort();
            let mut refusers: Vec<(String, String)> = store::refusals(conn, meeting_id)?
                .into_iter()
                .map(|(id, reason)| (name(id), reason))
                .collect();
            refusers.sort();
            Ok::<_, AppError>(Record {
                minutes: store::minutes(conn, meeting_id)?,
                meeting,
                roll,
                signers,
                refusers,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "council/public_meeting.html")]
struct MeetingPage {
    p: Page,
    village: VillageRef,
    meeting: Meeting,
    minutes: Option<store::Minutes>,
    roll: Vec<RollCall>,
    signers: Vec<String>,
    refusers: Vec<(String, String)>,
}

impl MeetingPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn outcome<'a>(&self, m: &'a Motion) -> &'a str {
        m.outcome(self.p.locale).unwrap_or("")
    }
    fn rule(&self, m: &Motion) -> String {
        super::domain::rule_words(&m.rule, self.p.locale)
    }
}

async fn meeting(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let village = village(&state, code).await?;
    let r = record(&state, &village, id).await?;
    render(&MeetingPage {
        p,
        village,
        meeting: r.meeting,
        minutes: r.minutes,
        roll: r.roll,
        signers: r.signers,
        refusers: r.refusers,
    })
}

#[derive(Serialize)]
struct MotionExport<'a> {
    motion: i64,
    text: &'a str,
    rule: Rule,
    state: &'static str,
    members: usize,
    present: usize,
    quorum_needed: Option<i32>,
    passed: Option<bool>,
    outcome: Option<&'a str>,
    withdrawn_reason: Option<&'a str>,
    roll_call: Vec<Line<'a>>,
}

#[derive(Serialize)]
struct Line<'a> {
    member: &'a str,
    standing: &'static str,
    present: bool,
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

async fn motion_json(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let (code, meeting, file) = path.into_inner();
    let r = ended_motion(&state, (code, meeting, file)).await?;
    let export = MotionExport {
        motion: r.motion.id,
        text: &r.motion.text,
        rule: r.motion.rule,
        state: state_word(&r.motion),
        members: r.lines.len(),
        present: r.lines.iter().filter(|l| l.present).count(),
        quorum_needed: r.tally.as_ref().map(|t| t.quorum_needed),
        passed: r.motion.passed,
        outcome: r.motion.outcome_zh.as_deref(),
        withdrawn_reason: r.tally.as_ref().and_then(|t| t.withdrawn_reason.as_deref()),
        roll_call: r
            .lines
            .iter()
            .map(|l| Line {
                member: &l.name,
                standing: l.word(),
                present: l.present,
            })
            .collect(),
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .body(body))
}

fn state_word(m: &Motion) -> &'static str {
    match m.state {
        MotionState::Lapsed => "lapsed",
        MotionState::Withdrawn => "withdrawn",
        _ => "closed",
    }
}

async fn motion_csv(
    state: web::Data<AppState>,
    path: web::Path<(String, i64, String)>,
) -> AppResult<HttpResponse> {
    let (code, meeting, file) = path.into_inner();
    let r = ended_motion(&state, (code, meeting, file)).await?;
    let rule = r.motion.rule;
    let quorum = r
        .tally
        .as_ref()
        .map_or(String::new(), |t| t.quorum_needed.to_string());
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
        out.write_record([
            "state",
            state_word(&r.motion),
            "quorum_needed",
            &quorum,
            "",
            "",
            "",
            "",
        ])?;
        out.write_record(["member", "standing", "present", "", "", "", "", ""])?;
        for l in &r.lines {
            let present = l.present.to_string();
            out.write_record([l.name.as_str(), l.word(), &present, "", "", "", "", ""])?;
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
