//! The demo village's projects, built through the council's and the projects' commands (with
//! past times where a notice period must have run): one in notice, one in progress with an
//! open inspection problem, one accepted after its whole path. The candidates are three of
//! those sorted from the year's round (`collection::demo`); the others wait for the council.

use anyhow::Context;
use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;

use super::domain::plan::{LineInput, PlanInput, check};
use super::domain::work::{AcceptanceResult, InspectionResult};
use super::states::{FundingSource, ParticipantRole, PlanMethod};
use super::work_commands::{self as work, AcceptanceInput, InspectionInput};
use super::{commands, plan_store};
use crate::council::commands::{self as council, MeetingInput, Who};
use crate::council::domain::MotionKind;
use crate::council::motion_commands::{self as motions, MotionInput};
use crate::council::states::MeetingState;
use crate::council::tally::{Choice, Rule};
use crate::db::DbConn;
use crate::db::schema::{candidates as cd, motions as mo, staff as st};
use crate::money::Money;

fn staff(conn: &mut DbConn, username: &str) -> anyhow::Result<i64> {
    st::table
        .filter(st::username.eq(username))
        .select(st::id)
        .first(conn)
        .with_context(|| format!("demo account {username}"))
}

fn latest_motion(conn: &mut DbConn) -> anyhow::Result<i64> {
    Ok(mo::table.select(mo::id).order(mo::id.desc()).first(conn)?)
}

/// Puts a motion, opens it, every member votes yes (a majority of all members needs most of
/// them), the clerk closes it.
fn pass(
    conn: &mut DbConn,
    clerk: &Who,
    council: &[Who],
    meeting: i64,
    input: MotionInput,
) -> anyhow::Result<()> {
    motions::put_motion(conn, clerk, meeting, input).map_err(|e| anyhow::anyhow!("{e}"))?;
    let motion = latest_motion(conn)?;
    motions::open_motion(conn, clerk, meeting, motion).map_err(|e| anyhow::anyhow!("{e}"))?;
    for member in council {
        crate::council::member_commands::cast_vote(conn, member, meeting, motion, Choice::Yes)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    motions::close_motion(conn, clerk, meeting, motion).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

struct Demo {
    title: &'static str,
    lines: Vec<(&'static str, i64, &'static str, i64)>,
    method: PlanMethod,
}

/// Seeds the projects of village `code` (its clerk and supervisor are `clerk.{code}` and
/// `supervisor.{code}`; the whole council attends and votes).
pub fn seed(conn: &mut DbConn, code: &str) -> anyhow::Result<()> {
    let err = |e: crate::error::AppError| anyhow::anyhow!("{e}");
    let village = crate::villages::store::find_village(conn, code)?.context("demo village")?;
    let who = |staff: i64| Who {
        staff,
        village: village.clone(),
        addr: "127.0.0.1".into(),
    };
    let clerk = who(staff(conn, &format!("clerk.{code}"))?);
    let (_, council_members) = crate::council::demo::clerk_and_council(conn, code)?;
    let supervisor = who(staff(conn, &format!("supervisor.{code}"))?);
    let now = crate::db::now();
    let page = council::create_meeting(
        conn,
        &clerk,
        MeetingInput {
            title: "2026年度村民议事会".into(),
            place: "村委会会议室".into(),
            starts_at: now - TimeDelta::days(60),
            quorum: (2, 3),
            council: String::new(),
            agenda: "项目立项\n实施方案表决".into(),
            once: String::new(),
            public_base: String::new(),
        },
    )
    .map_err(err)?;
    let meeting: i64 = page.rsplit('/').next().unwrap_or("").parse()?;
    council::change_meeting_state(conn, &clerk, meeting, MeetingState::Open).map_err(err)?;
    council::record_attendance(
        conn,
        &clerk,
        meeting,
        &council_members
            .iter()
            .map(|m| (m.staff.to_string(), "present".to_string()))
            .collect::<Vec<_>>(),
    )
    .map_err(err)?;
    let demos = [
        Demo {
            title: "村口道路硬化",
            lines: vec![
                ("混凝土", 12_000, "立方米", 42_000),
                ("人工", 3_000, "工日", 20_000),
            ],
            method: PlanMethod::Engineering,
        },
        Demo {
            title: "文化广场路灯",
            lines: vec![("太阳能路灯", 1_200, "盏", 180_000)],
            method: PlanMethod::Outsourced,
        },
        Demo {
            title: "水塘护栏",
            lines: vec![
                ("钢管护栏", 8_000, "米", 12_000),
                ("安装人工", 400, "工日", 20_000),
            ],
            method: PlanMethod::SelfBuilt,
        },
    ];
    let mut projects = Vec::new();
    for d in &demos {
        // Sorted from the round's suggestions (collection's demo); its shortlist has cleared.
        let candidate: i64 = cd::table
            .filter(cd::village_id.eq(village.id).and(cd::title.eq(d.title)))
            .select(cd::id)
            .first(conn)
            .with_context(|| format!("demo candidate {}", d.title))?;
        pass(
            conn,
            &clerk,
            &council_members,
            meeting,
            MotionInput {
                kind: MotionKind::ApproveCandidate,
                text: format!("批准“{}”立项", d.title),
                rule: Rule::MAJORITY_OF_ALL,
                candidate: Some(candidate),
                plan: None,
                once: String::new(),
            },
        )?;
        let project: i64 = {
            use crate::db::schema::projects as pr;
            pr::table
                .filter(pr::candidate_id.eq(candidate))
                .select(pr::id)
                .first(conn)?
        };
        let lines = d
            .lines
            .iter()
            .map(|(item, q, unit, price)| LineInput {
                item: (*item).into(),
                quantity_hundredths: *q,
                unit: (*unit).into(),
                unit_price: Money::from_fen(*price),
            })
            .collect::<Vec<_>>();
        let total: i64 = d
            .lines
            .iter()
            .map(|l| {
                Money::from_fen(l.3)
                    .times_hundredths(l.1)
                    .map_or(0, Money::fen)
            })
            .sum();
        let earmarked = total * 4 / 5;
        let participants = if d.method.needs_participants() {
            vec![
                (ParticipantRole::HouseholdRep, "王德福".to_string()),
                (ParticipantRole::Supervisor, "李秀英".to_string()),
                (ParticipantRole::Professional, "镇建设办 赵工".to_string()),
            ]
        } else {
            Vec::new()
        };
        let plan = check(PlanInput {
            method: d.method,
            starts_on: date("2026-10-01"),
            ends_on: date("2027-03-31"),
            contractor_selection: if d.method.needs_participants() {
                "三家报价比选，村民代表现场监督开标".into()
            } else {
                String::new()
            },
            lines,
            funding: vec![
                (FundingSource::Earmarked, Money::from_fen(earmarked)),
                (
                    FundingSource::VillageOwn,
                    Money::from_fen(total - earmarked),
                ),
            ],
            participants,
        })
        .map_err(|_| anyhow::anyhow!("demo plan does not check"))?;
        commands::draft_plan(conn, &clerk, project, &plan, "").map_err(err)?;
        let plan_id = plan_store::plans(conn, &[project])?
            .last()
            .map(|p| p.id)
            .context("plan")?;
        pass(
            conn,
            &clerk,
            &council_members,
            meeting,
            MotionInput {
                kind: MotionKind::ApprovePlan,
                text: format!("通过“{}”实施方案", d.title),
                rule: Rule::MAJORITY_OF_ALL,
                candidate: None,
                plan: Some(plan_id),
                once: String::new(),
            },
        )?;
        projects.push(project);
    }
    council::change_meeting_state(conn, &clerk, meeting, MeetingState::Closed).map_err(err)?;
    // 1: in notice now. 2 and 3: noticed long ago, the period over.
    commands::publish_plan_notice(conn, &clerk, projects[0], "").map_err(err)?;
    for p in &projects[1..] {
        commands::publish_plan_notice_at(conn, &clerk, *p, "", now - TimeDelta::days(40))
            .map_err(err)?;
        commands::start_work(conn, &clerk, *p).map_err(err)?;
        work::post_progress(conn, &clerk, *p, date("2026-10-20"), 40, "基础施工完成", "")
            .map_err(err)?;
        let inspection = InspectionInput {
            on: date("2026-10-25"),
            place: "施工现场".into(),
            findings: "部分构件规格与方案不符".into(),
            result: InspectionResult::Problem,
            follow_up: "按方案规格更换，整改后复查".into(),
        };
        work::record_inspection(conn, &supervisor, *p, &inspection, "").map_err(err)?;
    }
    // 3: the whole path to acceptance.
    let done = projects[2];
    let open = super::work_store::inspections(conn, done)?
        .first()
        .map(|i| i.id)
        .context("inspection")?;
    work::respond(conn, &clerk, done, open, "已按方案规格全部更换").map_err(err)?;
    work::close(conn, &supervisor, done, open).map_err(err)?;
    work::post_progress(conn, &clerk, done, date("2026-11-10"), 100, "全部完工", "")
        .map_err(err)?;
    work::complete(conn, &clerk, done).map_err(err)?;
    work::record_acceptance(
        conn,
        &clerk,
        done,
        &AcceptanceInput {
            on: date("2026-11-15"),
            result: AcceptanceResult::Passed,
            reasons: "护栏牢固，符合实施方案".into(),
            participants: vec![
                (ParticipantRole::Supervisor, "李秀英".into()),
                (ParticipantRole::HouseholdRep, "王德福".into()),
            ],
        },
        "",
    )
    .map_err(err)?;
    Ok(())
}
