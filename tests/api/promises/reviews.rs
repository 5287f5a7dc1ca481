//! The review records the promises test tries to break, written through the reviews' stores as
//! the app writes them: an open review with a household's response, a closed review with a
//! flagged item and its re-consultation, and a published review.

use minyi::db::{DbConn, DbError};
use minyi::reviews::domain::{
    Formula, Half, ItemKind, Rating, ResponseChannel, ReviewState, ValidReconsult,
};
use minyi::reviews::flag_store as flags;
use minyi::reviews::item_store::{self as items, NewItem};
use minyi::reviews::{answer_store, store};

use super::world::World;
use crate::helpers::TestApp;

/// A review of the test village moved to `to`, with one free item that `first` rated; returns
/// (review, item).
fn review(c: &mut DbConn, w: &World, to: ReviewState) -> Result<(i64, i64), DbError> {
    let now = minyi::db::now();
    let id = store::create(
        c,
        &store::NewReview {
            village_id: w.village.id,
            year: 2026,
            half: Half::First,
            opens_at: now - chrono::TimeDelta::hours(1),
            closes_at: now + chrono::TimeDelta::days(7),
            formula: Formula::SatisfiedOrBasic,
            created_by: w.clerk,
        },
    )?;
    let item = items::add(
        c,
        id,
        1,
        &NewItem {
            kind: ItemKind::Free,
            project_id: None,
            motion_id: None,
            title: "村务公开工作".into(),
            carried_from: None,
        },
    )?;
    let made = store::get(c, w.village.id, id)?.expect("the review");
    assert!(store::advance(
        c,
        id,
        ReviewState::Draft,
        ReviewState::Open,
        now
    )?);
    store::freeze_roll(c, &made)?;
    assert!(store::insert_participation(
        c,
        id,
        w.first,
        ResponseChannel::Kiosk,
        None
    )?);
    answer_store::insert_answer(
        c,
        item,
        Rating::Dissatisfied,
        None,
        answer_store::beijing_today(),
    )?;
    if to != ReviewState::Open {
        assert!(store::advance(
            c,
            id,
            ReviewState::Open,
            ReviewState::Closed,
            now
        )?);
        flags::insert_flag(c, id, item, 0, 1)?;
    }
    if to == ReviewState::Published {
        assert!(store::advance(
            c,
            id,
            ReviewState::Closed,
            ReviewState::Published,
            now
        )?);
    }
    Ok((id, item))
}

/// Builds the review records; returns the ids the table's SQL names.
pub fn build(app: &TestApp, w: &World) -> Vec<(&'static str, String)> {
    app.with_conn(|c| {
        let (open_review, open_item) = review(c, w, ReviewState::Open)?;
        let (closed_review, closed_item) = review(c, w, ReviewState::Closed)?;
        let reconsult = ValidReconsult {
            held_on: chrono::NaiveDate::from_ymd_opt(2026, 8, 1).expect("date"),
            method: "入户走访".into(),
            heard: "公开栏不及时".into(),
            changes: "每月更新".into(),
        };
        assert!(flags::insert_reconsultation(
            c,
            closed_item,
            &reconsult,
            w.clerk
        )?);
        let (published_review, _) = review(c, w, ReviewState::Published)?;
        Ok::<_, DbError>(vec![
            ("open_review", open_review.to_string()),
            ("open_item", open_item.to_string()),
            ("closed_review", closed_review.to_string()),
            ("closed_item", closed_item.to_string()),
            ("published_review", published_review.to_string()),
        ])
    })
    .expect("review records")
}
