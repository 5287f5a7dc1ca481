//! The demo village's reviews, seeded with the rest of the demo (`demo::seed` calls [`seed`]
//! inside its transaction): 2026年上半年 closed and published, with two items under 1/3, one
//! whose re-consultation is recorded and one still waiting for it (so the clerk's form to record
//! it is offered); 2026年下半年 open, which brings both back and which the demo households can
//! answer at the kiosk or on their phones (PINs in the credentials file).

use diesel::prelude::*;

use super::commands::{self, Clerk, Respond};
use super::domain::{
    Half, ItemAnswer, Rating, ResponseChannel, ReviewAction, ValidReconsult, ValidReview,
};
use super::{flag_store, item_store};
use crate::db::DbConn;
use crate::db::schema::{households as h, staff as st};
use crate::error::AppError;
use crate::villages::store::VillageRef;

/// The free item the demo households judge poorly; its re-consultation is recorded.
const POOR: &str = "村内垃圾清运";
/// A second item judged poorly (about 29 %), whose re-consultation is not recorded yet.
const WAITING: &str = "便民服务代办";

/// How demo household `i` rates an item: the poor items mostly 不满意 (rates under 1/3), the
/// others mostly 满意 or 基本满意, with a few 不了解.
fn rating(i: usize, title: &str) -> Rating {
    if title == WAITING {
        return match (i % 4, i % 8) {
            (0, _) => Rating::Basic,
            (_, 1) => Rating::Unknown,
            _ => Rating::Dissatisfied,
        };
    }
    match (title == POOR, i % 6) {
        (true, 0) => Rating::Satisfied,
        (true, 1) => Rating::Unknown,
        (true, _) => Rating::Dissatisfied,
        (false, 0..=2) => Rating::Satisfied,
        (false, 3 | 4) => Rating::Basic,
        (false, _) if i % 12 == 5 => Rating::Unknown,
        (false, _) => Rating::Dissatisfied,
    }
}

fn review(year: i32, half: Half, days_open: i64) -> ValidReview {
    let now = crate::db::now();
    ValidReview {
        year,
        half,
        opens_at: now - chrono::TimeDelta::days(1),
        closes_at: now + chrono::TimeDelta::days(days_open),
        free_items: match half {
            Half::First => vec![
                "村务公开工作".into(),
                POOR.into(),
                WAITING.into(),
                "村委会工作".into(),
            ],
            Half::Second => vec!["村务公开工作".into(), "村委会工作".into()],
        },
    }
}

/// Seeds the two reviews of the demo village `village_id` (its clerk `clerk.<code>` acts).
pub fn seed(conn: &mut DbConn, village: &VillageRef) -> Result<(), AppError> {
    let staff_id: i64 = st::table
        .filter(st::username.eq(format!("clerk.{}", village.code)))
        .select(st::id)
        .first(conn)?;
    let clerk = Clerk {
        staff_id,
        village: village.clone(),
        address: "demo".into(),
    };
    let token = crate::web::once::new_token();
    let path = commands::create(conn, &clerk, &review(2026, Half::First, 1), &token)?;
    let first: i64 = path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    commands::change_state(conn, &clerk, first, ReviewAction::Open)?;
    let list = item_store::items(conn, first)?;
    let households: Vec<i64> = h::table
        .filter(h::village_id.eq(village.id))
        .order(h::id)
        .select(h::id)
        .limit(72)
        .load(conn)?;
    for (i, household_id) in households.iter().enumerate() {
        let answers = list
            .iter()
            .map(|item| ItemAnswer {
                item_id: item.id,
                rating: rating(i, &item.title),
                comment: None,
            })
            .collect();
        commands::respond(
            conn,
            &Respond {
                village_id: village.id,
                township_id: village.township_id,
                review_id: first,
                household_id: *household_id,
                channel: if i % 3 == 0 {
                    ResponseChannel::Kiosk
                } else {
                    ResponseChannel::Phone
                },
                entered_by: None,
                answers,
                address: "demo".into(),
            },
        )?;
    }
    commands::change_state(conn, &clerk, first, ReviewAction::Close)?;
    commands::change_state(conn, &clerk, first, ReviewAction::Publish)?;
    // The committee has re-consulted on the garbage collection; the other flag still waits.
    let flags = flag_store::review_flags(conn, first)?;
    for flag in flags.iter().filter(|f| f.title == POOR) {
        let held_on = crate::db::now().date() - chrono::TimeDelta::days(3);
        let record = ValidReconsult {
            held_on,
            method: "村民小组长入户走访，召开垃圾清运专题议事会".into(),
            heard: "清运只在每周一次，夏天气味大；垃圾桶离三组太远".into(),
            changes: "改为每周两次清运，三组增设两个垃圾桶，下次评议再请大家评价".into(),
        };
        commands::reconsult(conn, &clerk, flag.item_id, &record)?;
    }
    let token = crate::web::once::new_token();
    let path = commands::create(conn, &clerk, &review(2026, Half::Second, 30), &token)?;
    let second: i64 = path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    commands::change_state(conn, &clerk, second, ReviewAction::Open)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{POOR, Rating, WAITING, rating};

    /// (favourable, valid) of the 72 demo households' ratings of `title`.
    fn counts(title: &str) -> (usize, usize) {
        let all: Vec<Rating> = (0..72).map(|i| rating(i, title)).collect();
        let valid = all.iter().filter(|r| **r != Rating::Unknown).count();
        let favourable = all
            .iter()
            .filter(|r| matches!(r, Rating::Satisfied | Rating::Basic))
            .count();
        (favourable, valid)
    }

    #[test]
    fn both_poor_items_fall_under_a_third_and_the_others_do_not() {
        for title in [POOR, WAITING] {
            let (favourable, valid) = counts(title);
            assert!(3 * favourable < valid, "{title}: {favourable}/{valid}");
        }
        let (favourable, valid) = counts("村委会工作");
        assert!(3 * favourable >= valid);
    }
}
