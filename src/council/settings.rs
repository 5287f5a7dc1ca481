//! The village's council defaults: the quorum new meetings start with and the decision rule new
//! motions start with. Without settings: at least 2/3 of members present, more than half of all
//! members. Each meeting and motion stores its own copy, so later changes never alter a vote.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::tally::{Base, Rule};
use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::council_settings as cs;
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status, see_other};

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
    let Some((qn, qd, base, n, d, strict, min)) = row else {
        return Ok(Defaults::default());
    };
    // A stored rule that cannot be read is an error naming the row, never replaced by defaults.
    let unknown = |column: &'static str, value: String| {
        DbError::unknown("council_settings", village_id, column, &value)
    };
    let count = |column: &'static str, value: i32| {
        u32::try_from(value)
            .ok()
            .filter(|v| *v > 0)
            .ok_or_else(|| unknown(column, value.to_string()))
    };
    Ok(Defaults {
        quorum: (qn, qd),
        rule: Rule {
            base: Base::parse(&base).ok_or_else(|| unknown("rule_base", base.clone()))?,
            numerator: count("rule_numerator", n)?,
            denominator: count("rule_denominator", d)?,
            strict,
            min_yes: count("rule_min_yes", min)?,
        },
    })
}

/// Writes the village's defaults: one row per village, replaced in place (an upsert, so two
/// saves at once leave one row and never fail on the key).
fn store(conn: &mut DbConn, village_id: i64, d: &Defaults) -> Result<(), DbError> {
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let values = (
        cs::quorum_numerator.eq(d.quorum.0),
        cs::quorum_denominator.eq(d.quorum.1),
        cs::rule_base.eq(d.rule.base.as_str()),
        cs::rule_numerator.eq(int(d.rule.numerator)),
        cs::rule_denominator.eq(int(d.rule.denominator)),
        cs::rule_strict.eq(d.rule.strict),
        cs::rule_min_yes.eq(int(d.rule.min_yes)),
    );
    let insert = diesel::insert_into(cs::table).values((cs::village_id.eq(village_id), values));
    // ON CONFLICT needs a branch per backend under MultiConnection.
    match conn {
        DbConn::Sqlite(c) => insert
            .on_conflict(cs::village_id)
            .do_update()
            .set(values)
            .execute(c)?,
        DbConn::Pg(c) => insert
            .on_conflict(cs::village_id)
            .do_update()
            .set(values)
            .execute(c)?,
    };
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
    /// The defaults as stored, or as typed when the form came back.
    form: SettingsForm,
    errors: FieldErrors,
}

impl SettingsPage {
    fn bases(&self) -> [Base; 4] {
        Base::ALL
    }
}

async fn show(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let d = state.db.run(move |conn| defaults(conn, village_id)).await?;
    let form = SettingsForm {
        quorum: format!("{}/{}", d.quorum.0, d.quorum.1),
        base: d.rule.base.as_str().to_string(),
        fraction: format!("{}/{}", d.rule.numerator, d.rule.denominator),
        strict: if d.rule.strict { "on" } else { "off" }.to_string(),
        min_yes: d.rule.min_yes.to_string(),
    };
    render(&SettingsPage {
        p,
        village: clerk.village,
        form,
        errors: FieldErrors::new(),
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

/// The defaults as typed, or the message beside each field that is not one offered.
fn defaults_of(form: &SettingsForm) -> Result<Defaults, FieldErrors> {
    let mut errors = FieldErrors::new();
    let quorum = fraction(&form.quorum).filter(|q| *q != (3, 4));
    if quorum.is_none() {
        errors.add("quorum", "settings.error");
    }
    let rule = fraction(&form.fraction);
    if rule.is_none() {
        errors.add("fraction", "settings.error");
    }
    let base = Base::parse(&form.base);
    if base.is_none() {
        errors.add("base", "settings.error");
    }
    let min_yes = form
        .min_yes
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=99).contains(n));
    if min_yes.is_none() {
        errors.add("min_yes", "settings.error");
    }
    match (quorum, rule, base, min_yes) {
        (Some(quorum), Some((numerator, denominator)), Some(base), Some(min_yes)) => Ok(Defaults {
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
        }),
        _ => Err(errors),
    }
}

async fn save(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<SettingsForm>,
) -> AppResult<HttpResponse> {
    let d = match bad.check(defaults_of(&form)) {
        Ok(d) => d,
        Err(errors) => {
            let page = SettingsPage {
                p,
                village: clerk.village,
                form,
                errors,
            };
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
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
