//! A closed review's results: participation, per item the counts and the rate by the review's
//! formula, the flags of items under the threshold; the clerks' mail listing flagged items
//! (titles and rates only, never an answer) and the published result notice.

use super::answer_store;
use super::domain::{Counts, Formula, Rate, Rating};
use super::flag_store as flags;
use super::item_store::{self as items, Item};
use super::store::{self, Review};
use crate::db::{DbConn, DbError};
use crate::error::AppError;
use crate::villages::store::VillageRef;

/// One item's result.
#[derive(Clone, Debug)]
pub struct ItemResult {
    pub item: Item,
    pub counts: Counts,
    pub rate: Rate,
}

impl ItemResult {
    pub fn flagged(&self) -> bool {
        self.rate.below_threshold()
    }
    pub fn rate_text(&self) -> String {
        self.rate.percent_text()
    }
    /// Bar width (0–100) of a rating's share of all answers, for the SVG chart.
    pub fn bar(&self, rating: &Rating) -> i64 {
        let total = self.counts.total();
        if total == 0 {
            0
        } else {
            self.counts.of(*rating) * 100 / total
        }
    }
    pub fn count(&self, rating: &Rating) -> i64 {
        self.counts.of(*rating)
    }
}

/// The whole result of a review.
#[derive(Clone, Debug)]
pub struct Results {
    pub responses: i64,
    pub roll: i64,
    pub formula: Formula,
    pub items: Vec<ItemResult>,
}

impl Results {
    pub fn participation_text(&self) -> String {
        super::domain::rates::participation_text(self.responses, self.roll)
    }
}

/// Computes the results from the stored answers. Callers show them only when
/// `results_visible(review.state)`.
pub fn compute(conn: &mut DbConn, review: &Review) -> Result<Results, DbError> {
    let counts = answer_store::counts(conn, review.id)?;
    let list = items::items(conn, review.id)?
        .into_iter()
        .map(|item| {
            let c = counts
                .iter()
                .find(|(id, _)| *id == item.id)
                .map(|(_, c)| *c)
                .unwrap_or_default();
            ItemResult {
                rate: c.rate(review.formula),
                counts: c,
                item,
            }
        })
        .collect();
    Ok(Results {
        responses: store::responses(conn, review.id)?,
        roll: i64::from(review.roll_size.unwrap_or(0)),
        formula: review.formula,
        items: list,
    })
}

/// At the close: stores a flag for every item under the threshold; returns them.
pub fn flag_items(conn: &mut DbConn, review: &Review) -> Result<Vec<ItemResult>, DbError> {
    let results = compute(conn, review)?;
    let flagged: Vec<ItemResult> = results.items.into_iter().filter(|r| r.flagged()).collect();
    for r in &flagged {
        flags::insert_flag(conn, review.id, r.item.id, r.rate.favourable, r.rate.valid)?;
    }
    Ok(flagged)
}

/// "2026年上半年" / "2026 first half".
pub fn period_zh(review: &Review) -> String {
    let half = match review.half {
        super::domain::Half::First => "上半年",
        super::domain::Half::Second => "下半年",
    };
    format!("{}年{half}", review.year)
}

/// Queues one mail per active clerk of the village listing the flagged items (titles and
/// rates, no answer, no comment). Nothing is sent when nothing was flagged.
pub fn mail_flags(
    conn: &mut DbConn,
    village: &VillageRef,
    review: &Review,
    flagged: &[ItemResult],
) -> Result<usize, DbError> {
    if flagged.is_empty() {
        return Ok(0);
    }
    use crate::accounts::domain::Role;
    use crate::db::schema::{role_assignments as ra, staff as st};
    use diesel::prelude::*;
    let clerks: Vec<String> = ra::table
        .inner_join(st::table)
        .filter(
            ra::role
                .eq(Role::Clerk.as_str())
                .and(ra::village_id.eq(village.id))
                .and(st::active.eq(true)),
        )
        .select(st::email)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let period = period_zh(review);
    let subject = format!("【需进一步征求意见】{}{period}评议", village.name);
    let mut body = format!(
        "{}{period}监督评议已结束，以下事项满意率低于三分之一，请村委会进一步征求意见并记录：\n\
         The {period} review of {} has closed; these items are below one third and need a re-consultation:\n\n",
        village.name, village.name
    );
    for r in flagged {
        body.push_str(&format!(
            "- {}（{}，{}/{}）\n",
            r.item.title,
            r.rate_text(),
            r.rate.favourable,
            r.rate.valid
        ));
    }
    body.push_str(&format!(
        "\n/staff/v/{}/reviews/{}\n",
        village.code, review.id
    ));
    for address in &clerks {
        crate::mail::outbox::enqueue(conn, address, &subject, &body)?;
    }
    Ok(clerks.len())
}

/// Drafts and publishes the result notice (kind `ReviewResult`) through the notices' commands.
pub fn publish_notice(
    conn: &mut DbConn,
    by: &super::commands::Clerk,
    review: &Review,
) -> Result<i64, AppError> {
    use crate::notices::commands::{self as notices, NoticeText};
    use crate::notices::domain::Kind;
    let results = compute(conn, review)?;
    let period = period_zh(review);
    let mut body = format!(
        "{period}监督评议结果。参与户数：{} / {}（{}）。满意率算法：{}。\n\n",
        results.responses,
        results.roll,
        results.participation_text(),
        match review.formula {
            Formula::SatisfiedOrBasic => "（满意＋基本满意）÷ 有效票（不了解不计）",
            Formula::SatisfiedOnly => "满意 ÷ 有效票（不了解不计）",
        }
    );
    for r in &results.items {
        body.push_str(&format!(
            "{}. {}：满意 {}，基本满意 {}，不满意 {}，不了解 {}；满意率 {}{}\n",
            r.item.position,
            r.item.title,
            r.counts.satisfied,
            r.counts.basic,
            r.counts.dissatisfied,
            r.counts.unknown,
            r.rate_text(),
            if r.flagged() {
                "（低于三分之一，需进一步征求意见）"
            } else {
                ""
            }
        ));
    }
    body.push_str(&format!(
        "\n明细与图表：/v/{}/reviews/{}\n",
        by.village.code, review.id
    ));
    let clerk = notices::Clerk {
        staff_id: by.staff_id,
        village: by.village.clone(),
        address: by.address.clone(),
    };
    let text = NoticeText {
        kind: Kind::ReviewResult,
        title: format!("{}{period}监督评议结果", by.village.name),
        body,
        subject: Some(format!("review:{}", review.id)),
    };
    let path = notices::create(conn, &clerk, &text, &crate::web::once::new_token())?;
    let id: i64 = path
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(AppError::NotFound)?;
    notices::publish(conn, &clerk, id, &crate::web::once::new_token())?;
    Ok(id)
}
