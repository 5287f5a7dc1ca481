//! The demo village's collection round of the year, written through the collection's and the
//! council's commands on the days it happened ([`crate::db::back_dated`]): the round opens, most
//! households cast their ballot at the kiosk or on their phones over two weeks, paper ballots from
//! the village hall's site are typed twice by two clerks and the site's certificate is signed, the
//! round closes and its results are published; the clerk sorts the suggestions into candidates
//! and the shortlist's notice runs its period without objection. The projects' demo then has the
//! council approve three of the candidates; the others wait for the council, so a newcomer (and
//! the browser suite) can take one from approval to acceptance.

use anyhow::Context;
use chrono::TimeDelta;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::ballot::{BallotChannel, Suggestion};
use super::cast::{Cast, cast};
use super::commands::{self, Clerk};
use super::domain::{RoundAction, ValidRound};
use super::paper_commands::{self, PaperBallot};
use super::paper_store::Certificate;
use crate::council::commands::Who;
use crate::council::sorting::ValidCandidate;
use crate::db::schema::{ballots as b, households as h, staff as st, suggestions as sg};
use crate::db::{DbConn, back_dated, in_transaction};
use crate::villages::store::VillageRef;

/// The suggestions households make, by candidate: (category, title, what households write, place,
/// rough cost in yuan). The first three become the demo's projects; the rest wait for the council.
const IDEAS: [(&str, &str, &str, &str, i64); 7] = [
    (
        "道路交通",
        "村口道路硬化",
        "下雨天泥泞，老人孩子出行不便",
        "村口至三组",
        60_000,
    ),
    (
        "照明",
        "文化广场路灯",
        "晚上广场太黑，跳广场舞看不见",
        "文化广场",
        25_000,
    ),
    (
        "治安",
        "水塘护栏",
        "水塘边没有护栏，孩子玩耍危险",
        "村东水塘",
        12_000,
    ),
    (
        "养老服务",
        "老年活动室改造",
        "活动室漏雨，冬天没有取暖",
        "村委会旁",
        40_000,
    ),
    (
        "饮水水利",
        "自来水管网改造",
        "管子老化，夏天常停水",
        "二组、四组",
        90_000,
    ),
    (
        "环境卫生",
        "垃圾分类亭",
        "垃圾堆在路边，气味大",
        "各组路口",
        18_000,
    ),
    (
        "文化体育",
        "篮球场翻新",
        "场地开裂，篮筐坏了",
        "小学旁",
        30_000,
    ),
];

/// How popular each idea is: a household picks idea `i` with weight `WEIGHTS[i]`.
const WEIGHTS: [u32; 7] = [30, 22, 16, 12, 10, 6, 4];

/// Papers returned blank at the village hall's site.
const SPOILED: i32 = 1;

/// The round took ballots from 110 days before seeding for two weeks; closed a day after.
const OPENED_DAYS_AGO: i64 = 110;
const CLOSED_DAYS_AGO: i64 = 95;
const SORTED_DAYS_AGO: i64 = 90;

fn err(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn staff_id(conn: &mut DbConn, username: &str) -> anyhow::Result<i64> {
    st::table
        .filter(st::username.eq(username))
        .select(st::id)
        .first(conn)
        .with_context(|| format!("demo account {username}"))
}

/// One household's ballot: one to three ideas, the most popular more often.
fn pick_ideas(rng: &mut StdRng) -> Vec<Suggestion> {
    let count = rng.random_range(1..=3);
    let total: u32 = WEIGHTS.iter().sum();
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < count {
        let mut roll = rng.random_range(0..total);
        let idea = WEIGHTS
            .iter()
            .position(|w| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .unwrap_or(0);
        if !picked.contains(&idea) {
            picked.push(idea);
        }
    }
    picked
        .into_iter()
        .map(|i| {
            let (category, title, details, place, yuan) = IDEAS[i];
            Suggestion {
                category: category.into(),
                title: title.into(),
                details: details.into(),
                place: place.into(),
                cost_fen: rng.random_bool(0.4).then_some(yuan * 100),
            }
        })
        .collect()
}

/// Seeds the round of village `code` (its clerks are `clerk.{code}` and `clerk2.{code}`).
pub fn seed(conn: &mut DbConn, village: &VillageRef) -> anyhow::Result<()> {
    let code = &village.code;
    let clerk = Clerk {
        staff_id: staff_id(conn, &format!("clerk.{code}"))?,
        village: village.clone(),
        address: "127.0.0.1".into(),
    };
    let second = Clerk {
        staff_id: staff_id(conn, &format!("clerk2.{code}"))?,
        ..clerk.clone()
    };
    let households: Vec<(i64, String)> = h::table
        .filter(h::village_id.eq(village.id))
        .order(h::number)
        .select((h::id, h::number))
        .load(conn)?;
    let mut rng = StdRng::seed_from_u64(2026_0801);
    let days = |n: i64| TimeDelta::days(n);

    let round_id = back_dated(days(OPENED_DAYS_AGO), || -> anyhow::Result<i64> {
        let opens_at = crate::db::now();
        let round = ValidRound {
            title: "2026年度民意收集".into(),
            year: 2026,
            opens_at,
            closes_at: opens_at + days(14),
            min_suggestions: 1,
            max_suggestions: 3,
            categories: super::domain::DEFAULT_CATEGORIES
                .iter()
                .map(|c| (*c).to_string())
                .collect(),
            double_entry: true,
        };
        let id = in_transaction(conn, |c| {
            let page = commands::create_round(c, &clerk, &round, "")?;
            let id: i64 = page.rsplit('/').next().unwrap_or("").parse().unwrap_or(0);
            commands::change_state(c, &clerk, id, RoundAction::Open)?;
            paper_commands::create_site(c, &clerk, id, "村委会投票点", "")?;
            Ok::<_, crate::error::AppError>(id)
        })
        .map_err(err)?;
        Ok(id)
    })?;

    // Every tenth household votes on paper at the village hall, about four in five of the
    // others online over the fortnight, the rest not at all.
    let paper: Vec<&(i64, String)> = households.iter().skip(5).step_by(10).collect();
    let online: Vec<&(i64, String)> = households
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 10 != 5)
        .map(|(_, h)| h)
        .filter(|_| rng.random_bool(0.8))
        .collect();
    let voting_online = online.len();
    for (n, (household, _)) in online.into_iter().enumerate() {
        let day = OPENED_DAYS_AGO - (n as i64 * 13 / voting_online.max(1) as i64);
        let channel = if n % 3 == 0 {
            BallotChannel::Kiosk
        } else {
            BallotChannel::Phone
        };
        let ballot = Cast {
            village_id: village.id,
            township_id: village.township_id,
            round_id,
            household_id: *household,
            channel,
            expected_version: 0,
            suggestions: pick_ideas(&mut rng),
            address: "127.0.0.1".into(),
        };
        back_dated(days(day) - TimeDelta::hours(2), || {
            in_transaction(conn, |c| cast(c, &ballot))
        })
        .map_err(err)?;
    }
    let site: i64 = {
        use crate::db::schema::collection_sites as cs;
        cs::table
            .filter(cs::round_id.eq(round_id))
            .select(cs::id)
            .first(conn)?
    };
    back_dated(days(CLOSED_DAYS_AGO + 1), || -> anyhow::Result<()> {
        for (n, (_, number)) in paper.iter().enumerate() {
            let typed = PaperBallot {
                round_id,
                number: number.clone(),
                serial: super::paper::serial(site, n as u32 + 1),
                site_id: Some(site),
                suggestions: pick_ideas(&mut rng),
            };
            for by in [&clerk, &second] {
                in_transaction(conn, |c| paper_commands::enter(c, by, &typed)).map_err(err)?;
            }
        }
        let returned = paper.len() as i32 + SPOILED;
        let certificate = Certificate {
            issued: returned + 3,
            returned,
            spoiled: SPOILED,
            custodian_one: "王德福",
            custodian_two: "赵桂兰",
            staff_custodian_one: "桃源村文书",
            staff_custodian_two: "镇民政办 孙敏",
        };
        in_transaction(conn, |c| {
            paper_commands::certify(c, &clerk, round_id, site, &certificate)
        })
        .map_err(err)
    })?;
    back_dated(days(CLOSED_DAYS_AGO), || {
        in_transaction(conn, |c| {
            commands::change_state(c, &clerk, round_id, RoundAction::Close)
        })
    })
    .map_err(err)?;
    back_dated(days(CLOSED_DAYS_AGO - 1), || {
        in_transaction(conn, |c| {
            commands::change_state(c, &clerk, round_id, RoundAction::Publish)
        })
    })
    .map_err(err)?;
    back_dated(days(SORTED_DAYS_AGO), || sort(conn, &clerk, round_id))
}

/// The clerk sorts every suggestion into the candidate of its title and publishes the shortlist.
fn sort(conn: &mut DbConn, clerk: &Clerk, round_id: i64) -> anyhow::Result<()> {
    let who = Who {
        staff: clerk.staff_id,
        village: clerk.village.clone(),
        addr: clerk.address.clone(),
    };
    for (category, title, details, _, yuan) in IDEAS {
        let ids: Vec<i64> = sg::table
            .inner_join(b::table)
            .filter(b::round_id.eq(round_id))
            .filter(b::voided_at.is_null())
            .filter(sg::version.eq(b::version))
            .filter(sg::title.eq(title))
            .select(sg::id)
            .order(sg::id)
            .load(conn)?;
        let candidate = ValidCandidate {
            title: title.into(),
            description: details.into(),
            category: category.into(),
            group_id: None,
            rough_cost_fen: Some(yuan * 100),
            suggestions: ids,
        };
        crate::council::sorting_commands::create_candidate(conn, &who, round_id, &candidate, "")
            .map_err(err)?;
    }
    crate::council::sorting_commands::publish_shortlist(conn, &who, round_id, "").map_err(err)?;
    Ok(())
}
