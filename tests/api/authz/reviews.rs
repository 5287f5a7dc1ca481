//! The review fixtures of the authz world: village `a`'s open review (its roll holds `0001`,
//! which has not responded) with two items, and a closed review with a flagged item.

use minyi::reviews::domain::{Formula, Half, ItemKind, ReviewState};
use minyi::reviews::flag_store as flags;
use minyi::reviews::item_store::{self as items, NewItem};
use minyi::reviews::store;

use crate::helpers::{TestApp, Village};

#[derive(Default, Clone)]
pub struct Reviews {
    pub open: i64,
    pub open_items: Vec<i64>,
    pub flagged_item: i64,
}

fn review(app: &TestApp, v: &Village, clerk: i64, to: ReviewState) -> (i64, Vec<i64>) {
    app.with_conn(|c| {
        let now = minyi::db::now();
        let id = store::create(
            c,
            &store::NewReview {
                village_id: v.id,
                year: 2026,
                half: Half::First,
                opens_at: now - chrono::TimeDelta::hours(1),
                closes_at: now + chrono::TimeDelta::days(7),
                formula: Formula::SatisfiedOrBasic,
                created_by: clerk,
            },
        )
        .expect("review");
        let list: Vec<i64> = ["村务公开工作", "村委会工作"]
            .iter()
            .enumerate()
            .map(|(i, title)| {
                let n = NewItem {
                    kind: ItemKind::Free,
                    project_id: None,
                    motion_id: None,
                    title: title.to_string(),
                    carried_from: None,
                };
                items::add(c, id, i32::try_from(i + 1).expect("position"), &n).expect("item")
            })
            .collect();
        let made = store::get(c, v.id, id).expect("get").expect("review");
        store::advance(c, id, ReviewState::Draft, ReviewState::Open, now).expect("open");
        store::freeze_roll(c, &made).expect("roll");
        if to == ReviewState::Closed {
            store::advance(c, id, ReviewState::Open, ReviewState::Closed, now).expect("close");
            flags::insert_flag(c, id, list[0], 0, 3).expect("flag");
        }
        (id, list)
    })
}

pub fn review_fixtures(app: &TestApp, a: &Village, clerk: i64) -> Reviews {
    let (_, closed_items) = review(app, a, clerk, ReviewState::Closed);
    let (open, open_items) = review(app, a, clerk, ReviewState::Open);
    Reviews {
        open,
        open_items,
        flagged_item: closed_items[0],
    }
}
