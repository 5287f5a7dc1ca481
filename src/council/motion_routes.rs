//! Motions at a meeting (the clerk's or chair's side): put a motion with its rule (and, to
//! approve a candidate, the candidate), open it once the meeting is quorate, record a show of
//! hands on the meeting's behalf, close it (quorum re-checked, tally on its roll, an approved
//! candidate becomes a project) or withdraw it with a reason. The handlers extract and render;
//! the work is done by the commands in `motion_commands` and `member_commands`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::domain::MotionKind;
use super::member_commands;
use super::motion_commands::{self, MotionInput};
use super::routes::{PairsForm, base, show_page, who_of};
use super::tally::{Base, Rule};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields, TypedForm};
use crate::web::guards::Clerk;
use crate::web::kept::{Kept, WHOLE};
use crate::web::page::{Page, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/meetings/{meeting}/motions",
        web::post().to(new_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open",
        web::post().to(open_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close",
        web::post().to(close_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/withdraw",
        web::post().to(withdraw_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands",
        web::post().to(show_of_hands),
    );
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct MotionForm {
    kind: String,
    text: String,
    /// For "approve candidate": the candidate put to the vote.
    candidate: String,
    /// For "approve plan": the draft plan put to the vote.
    plan: String,
    base: String,
    fraction: String,
    strict: String,
    min_yes: String,
    once: String,
}

/// The rule typed on the motion form; a field left empty takes the village's default.
fn rule_of(form: &MotionForm, default: Rule) -> Option<Rule> {
    let base = if form.base.is_empty() {
        default.base
    } else {
        Base::parse(&form.base)?
    };
    let (numerator, denominator) = if form.fraction.is_empty() {
        (default.numerator, default.denominator)
    } else {
        super::settings::fraction(&form.fraction)?
    };
    let min_yes = if form.min_yes.trim().is_empty() {
        default.min_yes
    } else {
        form.min_yes
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=99).contains(n))?
    };
    let strict = match form.strict.as_str() {
        "" => default.strict,
        "off" => false,
        _ => true,
    };
    Some(Rule {
        base,
        numerator,
        denominator,
        strict,
        min_yes,
    })
}

/// The motion as typed, or the messages beside the fields (the rule's above the form).
fn motion_input(form: &MotionForm, defaults: Rule) -> Result<MotionInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = MotionKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "motion.error.kind");
    }
    // A plan is voted by a majority of all members unless the form says otherwise.
    let default_rule = if kind == Some(MotionKind::ApprovePlan) {
        Rule::MAJORITY_OF_ALL
    } else {
        defaults
    };
    let rule = rule_of(form, default_rule);
    if rule.is_none() {
        errors.add(WHOLE, "motion.error.rule");
    }
    let text = form.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 2000 {
        errors.add("text", "motion.error.text");
    }
    match (kind, rule) {
        (Some(kind), Some(rule)) if errors.is_empty() => Ok(MotionInput {
            kind,
            text,
            rule,
            candidate: form.candidate.trim().parse::<i64>().ok(),
            plan: form.plan.trim().parse::<i64>().ok(),
            once: form.once.clone(),
        }),
        _ => Err(errors),
    }
}

async fn new_motion(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<MotionForm>,
) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let defaults = state
        .db
        .run(move |conn| super::settings::defaults(conn, village_id))
        .await?;
    let kept = match bad.check(motion_input(&form, defaults.rule)) {
        Ok(input) => {
            let (who, meeting) = (who_of(&clerk, &addr), path.1);
            match state
                .db
                .tx(move |conn| motion_commands::put_motion(conn, &who, meeting, input))
                .await
            {
                Ok(page) => return Ok(see_other(&page)),
                Err(err) => Kept::refused("motions", &form, err)?,
            }
        }
        Err(errors) => Kept::new("motions", &form, errors),
    };
    show_page(p, clerk, &state, path.1, kept, Vec::new()).await
}

async fn open_motion(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let (who, meeting, motion) = (who_of(&clerk, &addr), path.1, path.2);
    state
        .db
        .tx(move |conn| motion_commands::open_motion(conn, &who, meeting, motion))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

async fn close_motion(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let (who, meeting, motion) = (who_of(&clerk, &addr), path.1, path.2);
    state
        .db
        .tx(move |conn| motion_commands::close_motion(conn, &who, meeting, motion))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct WithdrawForm {
    reason: String,
}

async fn withdraw_motion(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<WithdrawForm>,
) -> AppResult<HttpResponse> {
    let (who, meeting, motion) = (who_of(&clerk, &addr), path.1, path.2);
    let name = withdraw_form(motion);
    let kept = match bad.check(Ok(form.reason.clone())) {
        Ok(reason) => match state
            .db
            .tx(move |conn| motion_commands::withdraw_motion(conn, &who, meeting, motion, &reason))
            .await
        {
            Ok(()) => return Ok(see_other(&base(&clerk.village, meeting))),
            Err(err) => Kept::refused(name, &form, err)?,
        },
        Err(errors) => Kept::new(name, &form, errors),
    };
    show_page(p, clerk, &state, meeting, kept, Vec::new()).await
}

/// The name of a motion's withdraw form on the meeting page (one per motion).
pub(super) fn withdraw_form(motion: i64) -> String {
    format!("withdraw-{motion}")
}

/// Records a show of hands. When every line was recorded the clerk goes back to the meeting;
/// otherwise the meeting page says which lines were not recorded and why.
async fn show_of_hands(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<PairsForm>,
) -> AppResult<HttpResponse> {
    let (who, meeting, motion, lines) = (who_of(&clerk, &addr), path.1, path.2, form.lines());
    let not_recorded = state
        .db
        .tx(move |conn| member_commands::show_of_hands(conn, &who, meeting, motion, &lines))
        .await?;
    if not_recorded.is_empty() {
        return Ok(see_other(&base(&clerk.village, path.1)));
    }
    show_page(p, clerk, &state, path.1, Kept::default(), not_recorded).await
}
