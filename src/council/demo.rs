//! The demo village's past council meeting, built through the council's commands as a clerk
//! and the members would: convened with an agenda, one member on leave, a general motion passed
//! with one recusal and one abstention, one that fails, the minutes written, signed by every
//! member present but one, who refuses with a reason (拒签), so the minutes lock and are
//! published. A newcomer sees a real record on the public council page; the meeting is held
//! (its times stamped) as the demo is seeded, so by the time anyone looks it is in the past.

use anyhow::Context;
use chrono::TimeDelta;

use super::commands::{self as council, MeetingInput, Who};
use super::domain::MotionKind;
use super::member_commands as member;
use super::motion_commands::{self as motions, MotionInput};
use super::states::MeetingState;
use super::tally::{Choice, Rule};
use crate::db::DbConn;
use crate::error::AppError;
use crate::villages::store::VillageRef;

fn err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The clerk `clerk.{code}` and every member of the village council (ordered by id: the demo's
/// `council.{code}` first), as the commands take them.
pub fn clerk_and_council(conn: &mut DbConn, code: &str) -> anyhow::Result<(Who, Vec<Who>)> {
    let village = crate::villages::store::find_village(conn, code)?.context("demo village")?;
    let who = |staff: i64, village: &VillageRef| Who {
        staff,
        village: village.clone(),
        addr: "127.0.0.1".into(),
    };
    let clerk_id = {
        use crate::db::schema::staff as st;
        use diesel::prelude::*;
        st::table
            .filter(st::username.eq(format!("clerk.{code}")))
            .select(st::id)
            .first::<i64>(conn)
            .with_context(|| format!("demo account clerk.{code}"))?
    };
    let members = super::store::members(conn, village.id, None)?
        .into_iter()
        .map(|(id, _)| who(id, &village))
        .collect();
    Ok((who(clerk_id, &village), members))
}

/// The id of the meeting's newest motion (the one just put).
fn latest_motion(conn: &mut DbConn, meeting: i64) -> anyhow::Result<i64> {
    super::store::motions(conn, meeting)?
        .iter()
        .map(|m| m.id)
        .max()
        .context("the motion just put")
}

/// Puts a general motion over all members (more than half), opens it, records the members'
/// own votes and recusals as given, closes it.
fn decide(
    conn: &mut DbConn,
    clerk: &Who,
    meeting: i64,
    text: &str,
    votes: &[(&Who, Option<Choice>)],
) -> anyhow::Result<()> {
    let input = MotionInput {
        kind: MotionKind::General,
        text: text.into(),
        rule: Rule::MAJORITY_OF_ALL,
        candidate: None,
        plan: None,
        once: String::new(),
    };
    motions::put_motion(conn, clerk, meeting, input).map_err(err)?;
    let motion = latest_motion(conn, meeting)?;
    for (who, choice) in votes {
        if choice.is_none() {
            member::recuse(
                conn,
                who,
                meeting,
                motion,
                "本人亲属为该事项的承办方，依规回避",
            )
            .map_err(err)?;
        }
    }
    motions::open_motion(conn, clerk, meeting, motion).map_err(err)?;
    for (who, choice) in votes {
        if let Some(choice) = choice {
            member::cast_vote(conn, who, meeting, motion, *choice).map_err(err)?;
        }
    }
    motions::close_motion(conn, clerk, meeting, motion).map_err(err)?;
    Ok(())
}

/// Seeds the past meeting of village `code` (a council of at least nine members).
pub fn seed(conn: &mut DbConn, code: &str) -> anyhow::Result<()> {
    let (clerk, council) = clerk_and_council(conn, code)?;
    anyhow::ensure!(council.len() >= 9, "the demo council has {}", council.len());
    let page = council::create_meeting(
        conn,
        &clerk,
        MeetingInput {
            title: "村规民约修订专题议事会".into(),
            place: "村委会会议室".into(),
            // Held as the demo is seeded: the commands stamp every arrival, vote and signature
            // with the time they run, so the record's times agree with the meeting's.
            starts_at: chrono::DurationRound::duration_trunc(
                crate::db::now(),
                TimeDelta::minutes(1),
            )
            .unwrap_or_else(|_| crate::db::now()),
            quorum: (2, 3),
            council: String::new(),
            agenda: "修订村规民约：红白喜事从简\n购置文化广场音响设备".into(),
            once: String::new(),
            public_base: String::new(),
        },
    )
    .map_err(err)?;
    let meeting: i64 = page.rsplit('/').next().unwrap_or("").parse()?;
    council::change_meeting_state(conn, &clerk, meeting, MeetingState::Open).map_err(err)?;
    // Eight present, the last member on leave.
    let (on_leave, present) = council.split_last().context("council")?;
    let mut lines: Vec<(String, String)> = present
        .iter()
        .map(|m| (m.staff.to_string(), "present".to_string()))
        .collect();
    lines.push((on_leave.staff.to_string(), "leave".into()));
    council::record_attendance(conn, &clerk, meeting, &lines).map_err(err)?;

    // 1: passed, one recusal, one abstention, the rest yes (6 of the 5 needed).
    use Choice::{Abstain, No, Yes};
    let first: Vec<(&Who, Option<Choice>)> = present
        .iter()
        .enumerate()
        .map(|(i, m)| match i {
            1 => (m, None),
            2 => (m, Some(Abstain)),
            _ => (m, Some(Yes)),
        })
        .collect();
    decide(
        conn,
        &clerk,
        meeting,
        "修订村规民约第五条：红白喜事从简，酒席不超过十桌",
        &first,
    )?;
    // 2: fails, 3 yes of the 5 needed.
    let second: Vec<(&Who, Option<Choice>)> = present
        .iter()
        .enumerate()
        .map(|(i, m)| match i {
            0..=2 => (m, Some(Yes)),
            3..=6 => (m, Some(No)),
            _ => (m, Some(Abstain)),
        })
        .collect();
    decide(
        conn,
        &clerk,
        meeting,
        "从村集体收入中列支 1.2 万元购置文化广场音响设备",
        &second,
    )?;
    council::change_meeting_state(conn, &clerk, meeting, MeetingState::Closed).map_err(err)?;
    // The first member present chaired; the clerk writing the minutes recorded.
    let chair = present.first().context("a member present")?.staff;
    let named = super::minutes_commands::Named {
        chair,
        recorder: None,
    };
    super::minutes_commands::write_minutes(conn, &clerk, meeting, named, "会议按议程进行。")
        .map_err(err)?;
    let body = super::store::minutes(conn, meeting)?
        .context("the minutes just written")?
        .body;
    let hash = super::domain::minutes_hash(&body);
    // Everyone present signs but one, who refuses with a reason; the last answer locks them.
    let (refuser, signers) = present.split_last().context("present")?;
    super::minutes_commands::record_refusal(
        conn,
        &clerk,
        meeting,
        refuser.staff,
        "音响设备一项的讨论记录过简，未写明反对理由",
    )
    .map_err(err)?;
    for m in signers {
        member::sign_minutes(conn, m, meeting, &hash).map_err(err)?;
    }
    anyhow::ensure!(
        super::store::minutes(conn, meeting)?.is_some_and(|m| m.locked_at.is_some()),
        "the demo minutes did not lock"
    );
    Ok(())
}
