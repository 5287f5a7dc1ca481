//! The village's council defaults: the quorum new meetings start with and the decision rule new
//! motions start with. Without settings: at least 2/3 of members present, more than half of all
//! members. Each meeting and motion stores its own copy, so later changes never alter a vote.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::tally::{Base, Rule};
use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::council_settings as cs;
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/council-settings", web::get().to(show))
        .route("/staff/v/{village}/council-settings", web::post().to(save));
}

/// A village's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defaults {
    pub quorum: (i32, i32),
    pub rule: Rule,
}

impl Default for Defaults {
    fn default() -> Defaults {
        Defaults {
            quorum: (2, 3),
            rule: Rule::MAJORITY_OF_ALL,
        }
    }
}

pub fn defaults(conn: &mut DbConn, village_id: i64) -> Result<Defaults, DbError> {
    let row: Option<(i32, i32, String, i32, i32, bool, i32)> = cs::table
        .filter(cs::village_id.eq(village_id))
        .select((
            cs::quorum_numerator,
            cs::quorum_denominator,
            cs::rule_base,
            cs::rule_numerator,
            cs::rule_denominator,
            cs::rule_strict,
            cs::rule_min_yes,
        ))
        .first(conn)
        .optional()?;
    Ok(
        row.map_or_else(Defaults::default, |(qn, qd, base, n, d, strict, min)| {
            Defaults {
                quorum: (qn, qd),
                rule: Rule {
                    base: Base::parse(&base).unwrap_or(Base::AllMembers),
                    numerator: u32::try_from(n).unwrap_or(1),
                    denominator: u32::try_from(d).unwrap_or(2),
                    strict,
                    min_yes: u32::try_from(min).unwrap_or(1),
                },
            }
        }),
    )
}

fn store(conn: &mut DbConn, village_id: i64, d: &Defaults) -> Result<(), DbError> {
    diesel::delete(cs::table.filter(cs::village_id.eq(village_id))).execute(conn)?;
    diesel::insert_into(cs::table)
        .values((
            cs::village_id.eq(village_id),
            cs::quorum_numerator.eq(d.quorum.0),
            cs::quorum_denominator.eq(d.quorum.1),
            cs::rule_base.eq(d.rule.base.as_str()),
            cs::rule_numerator.eq(i32::try_from(d.rule.numerator).unwrap_or(1)),
            cs::rule_denominator.eq(i32::try_from(d.rule.denominator).unwrap_or(2)),
            cs::rule_strict.eq(d.rule.strict),
            cs::rule_min_yes.eq(i32::try_from(d.rule.min_yes).unwrap_or(1)),
        ))
        .execute(conn)?;
    Ok(())
}

/// "2/3" → (2, 3); only the fractions the forms offer.
pub fn fraction(text: &str) -> Option<(u32, u32)> {
    match text {
        "1/2" => Some((1, 2)),
        "2/3" => Some((2, 3)),
        "3/4" => Some((3, 4)),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "council/settings.html")]
struct SettingsPage {
    p: Page,
    village: VillageRef,
    d: Defaults,
}

impl SettingsPage {
    fn quorum(&self) -> String {
        format!("{}/{}", self.d.quorum.0, self.d.quorum.1)
    }
    fn fraction(&self) -> String {
        format!("{}/{}", self.d.rule.numerator, self.d.rule.denominator)
    }
}

async fn show(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let d = state.db.run(move |conn| defaults(conn, village_id)).await?;
    render(&SettingsPage {
        p,
        village: clerk.village,
        d,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsForm {
    quorum: String,
    base: String,
    fraction: String,
    strict: String,
    min_yes: String,
}

async fn save(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let quorum = fraction(&form.quorum)
        .filter(|q| *q != (3, 4))
        .ok_or(AppError::Unprocessable("settings.error"))?;
    let (numerator, denominator) =
        fraction(&form.fraction).ok_or(AppError::Unprocessable("settings.error"))?;
    let base = Base::parse(&form.base).ok_or(AppError::Unprocessable("settings.error"))?;
    let min_yes = form
        .min_yes
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=99).contains(n))
        .ok_or(AppError::Unprocessable("settings.error"))?;
    let d = Defaults {
        quorum: (
            i32::try_from(quorum.0).unwrap_or(2),
            i32::try_from(quorum.1).unwrap_or(3),
        ),
        rule: Rule {
            base,
            numerator,
            denominator,
            strict: form.strict != "off",
            min_yes,
        },
    };
    let (v, staff_id) = (clerk.village.clone(), clerk.staff.id);
    state
        .db
        .tx(move |conn| {
            store(conn, v.id, &d)?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::CouncilSettings,
                    format!("village:{}", v.id),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!(
                    "quorum={}/{} rule={:?}",
                    d.quorum.0, d.quorum.1, d.rule
                )),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&format!(
        "/staff/v/{}/council-settings",
        clerk.village.code
    )))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_offered_fractions_parse() {
        assert_eq!(super::fraction("2/3"), Some((2, 3)));
        assert_eq!(super::fraction("1/2"), Some((1, 2)));
        assert_eq!(super::fraction("3/4"), Some((3, 4)));
        assert_eq!(super::fraction("5/4"), None);
        assert_eq!(super::fraction(""), None);
    }

    #[test]
    fn the_defaults_are_two_thirds_and_a_majority_of_all() {
        let d = super::Defaults::default();
        assert_eq!(d.quorum, (2, 3));
        assert_eq!(d.rule, crate::council::tally::Rule::MAJORITY_OF_ALL);
    }
}
