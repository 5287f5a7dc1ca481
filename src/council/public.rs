//! The council's public record, no login: members, meetings, each ended motion with its rule,
//! roll call by name and outcome, signed minutes with their hash, and per-motion CSV and JSON so
//! anyone can recompute the outcome. A meeting's record is built from the snapshots taken as
//! things happened only (names, presence and recusals on the motion's roll, its tally, the
//! stored outcome sentence), so later changes to members or attendance never change it.

use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

use super::snapshot::{self, TallyRecord};
use super::store::{self, Meeting, Motion};
use super::tally::{Choice, Standing};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::web::revalidate;
    use actix_web::middleware::from_fn;
    cfg.route("/v/{village}/council", web::get().to(index))
        .service(
            web::resource("/v/{village}/council/{meeting}")
                .wrap(from_fn(revalidate::page))
                .get(meeting),
        )
        .service(
            web::resource("/v/{village}/council/{meeting}/motions/{motion}.json")
                .wrap(from_fn(revalidate::download))
                .get(super::public_export::motion_json),
        )
        .service(
            web::resource("/v/{village}/council/{meeting}/motions/{motion}.csv")
                .wrap(from_fn(revalidate::download))
                .get(super::public_export::motion_csv),
        );
}

pub(super) async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
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
    /// The outcome as data, rendered in the page's language.
    pub told: Option<super::outcome::Told>,
}

pub struct RollCallLine {
    pub member_id: i64,
    pub name: String,
    pub standing: Standing,
    pub present: bool,
    pub recusal_reason: Option<String>,
    /// The vote was recorded by the clerk from a show of hands, not cast by the member.
    pub by_clerk: bool,
    pub cast_at: Option<chrono::NaiveDateTime>,
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
pub(super) struct Record {
    meeting: Meeting,
    minutes: Option<store::Minutes>,
    pub(super) roll: Vec<RollCall>,
    /// Who signed the minutes and who refused (name, reason), by the names on the meeting's
    /// roll; shown only with locked minutes.
    signers: Vec<String>,
    refusers: Vec<(String, String)>,
}

pub(super) async fn record(
    state: &AppState,
    village: &VillageRef,
    meeting_id: i64,
) -> AppResult<Record> {
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
                let cast = store::votes_with_times(conn, motion.id)?;
                let votes: HashMap<i64, Choice> =
                    cast.iter().map(|(id, v)| (*id, v.choice)).collect();
                let lines: Vec<RollCallLine> = snapshot::roll(conn, motion.id)?
                    .into_iter()
                    .map(|line| {
                        let vote = cast.get(&line.staff_id);
                        RollCallLine {
                            member_id: line.staff_id,
                            standing: snapshot::standing(&line, &votes),
                            present: line.present_at_close.unwrap_or(line.present_at_open),
                            by_clerk: vote.is_some_and(|v| v.by_clerk),
                            cast_at: vote.map(|v| v.cast_at),
                            name: line.display_name,
                            recusal_reason: line.recusal_reason,
                        }
                    })
                    .collect();
                let tally = snapshot::tally(conn, motion.id)?;
                let standings: Vec<Standing> =
                    lines.iter().map(|l: &RollCallLine| l.standing).collect();
                let told = tally
                    .as_ref()
                    .and_then(|t| super::outcome::Told::from_snapshot(&motion, &standings, t));
                roll.push(RollCall {
                    motion,
                    lines,
                    tally,
                    told,
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
    fn outcome(&self, r: &RollCall) -> String {
        match &r.told {
            Some(told) => told.words(&r.motion, self.p.locale),
            None => r.motion.outcome(self.p.locale).unwrap_or("").to_string(),
        }
    }
    fn rule(&self, m: &Motion) -> String {
        super::domain::rule_words(&m.rule, self.p.locale)
    }
    /// The stored tally in words: members, present and quorum, recusals, votes, base, bar.
    fn tally_line(&self, r: &RollCall) -> String {
        let Some(t) = &r.tally else {
            return String::new();
        };
        let n = |v: i32| v.to_string();
        self.p.locale.t_with(
            "council.record.tally",
            &[
                ("members", &n(t.members)),
                ("present", &n(t.present)),
                ("quorum", &n(t.quorum_needed)),
                ("recused", &n(t.recused)),
                ("yes", &n(t.yes)),
                ("no", &n(t.no)),
                ("abstain", &n(t.abstain)),
                ("base", &n(t.base)),
                ("needed", &n(t.needed)),
            ],
        )
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
