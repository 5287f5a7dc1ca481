//! Seeding for the load generator: writes straight to the database of a running Minyi through
//! Minyi's own store functions and council commands (the same the demo uses), so the HTTP
//! figures measure requests, not setup.

use anyhow::Context;
use diesel::prelude::*;
use minyi::config::PasswordCost;
use minyi::council::commands::{self as council, MeetingInput};
use minyi::council::demo::clerk_and_council;
use minyi::council::domain::MotionKind;
use minyi::council::motion_commands::{self as motions, MotionInput};
use minyi::council::states::MeetingState;
use minyi::council::tally::Rule;
use minyi::db::DbConn;

pub const VILLAGE: &str = "bench";
pub const PASSWORD: &str = "Bench-Passw0rd!";
/// Households signing in at the real password cost during the p99 measurement.
pub const LOGIN_HOUSEHOLDS: usize = 200;

fn err(e: minyi::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

pub fn seed(url: &str, households: usize, motions_each: usize) -> anyhow::Result<()> {
    let pool = minyi::db::connect(url)?;
    let mut conn = pool.get()?;
    minyi::db::migrations::run_pending(&mut conn)?;
    let quick = minyi::auth::password::hash_now(PasswordCost::TEST, "104729")?;
    let real = minyi::auth::password::hash_now(PasswordCost::OWASP, "104729")?;
    conn.transaction(|conn| village(conn, households, &quick, &real))?;
    let (meeting, members, motion_ids) = meeting(&mut conn, motions_each)?;
    let (a, b) = motion_ids.split_at(motion_ids.len() / 2);
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    println!(
        "meeting={meeting} members={} motions_a={} motions_b={}",
        members.join(","),
        list(a),
        list(b)
    );
    Ok(())
}

/// The bench village: `households` households at the test cost, the `L…` ones at the real
/// cost, and an open round.
fn village(conn: &mut DbConn, households: usize, quick: &str, real: &str) -> anyhow::Result<()> {
    use minyi::collection::store as rounds;
    use minyi::households::domain::ValidHousehold;
    use minyi::villages::store as places;
    let township = places::create_township(conn, "benchtown", "基准镇")?;
    let village = places::create_village(conn, township, VILLAGE, "基准村")?;
    let groups: Vec<i64> = (1..=4)
        .map(|g| places::create_group(conn, village, &format!("第{g}组")))
        .collect::<Result<_, _>>()?;
    let numbers = (0..households)
        .map(|n| (format!("{n:06}"), quick))
        .chain((0..LOGIN_HOUSEHOLDS).map(|n| (format!("L{n:05}"), real)));
    for (i, (number, hash)) in numbers.enumerate() {
        let h = ValidHousehold {
            number,
            head_name: "某".into(),
            members: 1,
            group_id: groups[i % 4],
            status: minyi::households::Status::Active,
        };
        minyi::households::store::create(conn, village, &h, hash)?;
    }
    let staff = minyi::accounts::store::create(
        conn,
        &minyi::accounts::store::NewStaff {
            username: "bench.clerk",
            display_name: "bench",
            email: None,
            password_hash: quick,
        },
    )?
    .context("bench.clerk exists already")?;
    let now = minyi::db::now();
    let spec = minyi::collection::domain::ValidRound {
        title: "基准测试".into(),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(30),
        min_suggestions: 1,
        max_suggestions: 5,
        categories: vec!["道路交通".into(), "照明".into(), "其他".into()],
        double_entry: false,
    };
    let id = rounds::create(conn, village, &spec, staff)?;
    let round = rounds::get(conn, village, id)?.context("round")?;
    anyhow::ensure!(rounds::open(conn, &round, now)?, "the bench round opens");
    Ok(())
}

/// In the demo village `taoyuan`: an open meeting, every member present, `2 × each` open
/// motions; the members' passwords set to [`PASSWORD`] (hashed at the test cost).
fn meeting(conn: &mut DbConn, each: usize) -> anyhow::Result<(i64, Vec<String>, Vec<i64>)> {
    use minyi::db::schema::staff as st;
    let (clerk, members) = clerk_and_council(conn, "taoyuan")?;
    let hash = minyi::auth::password::hash_now(PasswordCost::TEST, PASSWORD)?;
    let ids: Vec<i64> = members.iter().map(|m| m.staff).collect();
    diesel::update(st::table.filter(st::id.eq_any(&ids)))
        .set((
            st::password_hash.eq(&hash),
            st::must_change_password.eq(false),
        ))
        .execute(conn)?;
    let names: Vec<String> = st::table
        .filter(st::id.eq_any(&ids))
        .select(st::username)
        .load(conn)?;
    let page = council::create_meeting(
        conn,
        &clerk,
        MeetingInput {
            title: "基准测试议事会".into(),
            place: "村委会会议室".into(),
            starts_at: minyi::db::now(),
            quorum: (1, 2),
            council: String::new(),
            agenda: "基准测试".into(),
            once: String::new(),
            public_base: String::new(),
        },
    )
    .map_err(err)?;
    let meeting: i64 = page.rsplit('/').next().unwrap_or("").parse()?;
    council::change_meeting_state(conn, &clerk, meeting, MeetingState::Open).map_err(err)?;
    let lines: Vec<(String, String)> = ids
        .iter()
        .map(|id| (id.to_string(), "present".to_string()))
        .collect();
    council::record_attendance(conn, &clerk, meeting, &lines).map_err(err)?;
    let mut motion_ids = Vec::new();
    for n in 0..2 * each {
        let input = MotionInput {
            kind: MotionKind::General,
            text: format!("基准测试动议 {n}"),
            rule: Rule::MAJORITY_OF_ALL,
            candidate: None,
            plan: None,
            once: String::new(),
        };
        motions::put_motion(conn, &clerk, meeting, input).map_err(err)?;
        let motion = minyi::council::store::motions(conn, meeting)?
            .iter()
            .map(|m| m.id)
            .max()
            .context("the motion just put")?;
        motions::open_motion(conn, &clerk, meeting, motion).map_err(err)?;
        motion_ids.push(motion);
    }
    Ok((meeting, names, motion_ids))
}
