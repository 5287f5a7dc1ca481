//! Importing households from a spreadsheet: the pasted table is checked as a whole by
//! [`super::import::check`]; only when every row passes are all rows written, in one
//! transaction, and a PIN slip printed for each.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::HouseholdError;
use super::domain;
use super::import::{self, RowError};
use super::pins::{Slip, SlipsPage};
use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ImportForm {
    rows: String,
}

#[derive(Template)]
#[template(path = "households/import.html")]
struct ImportPage {
    p: Page,
    village: VillageRef,
    rows: String,
    errors: Vec<RowError>,
}

pub(super) async fn import_form(p: Page, clerk: Clerk) -> AppResult<HttpResponse> {
    render(&ImportPage {
        p,
        village: clerk.village,
        rows: String::new(),
        errors: Vec::new(),
    })
}

pub(super) async fn import_rows(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<ImportForm>,
) -> AppResult<HttpResponse> {
    let village = clerk.village;
    let village_id = village.id;
    let (group_list, existing) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((groups(conn, village_id)?, store::numbers(conn, village_id)?))
        })
        .await?;
    let pairs: Vec<(i64, String)> = group_list.into_iter().map(|g| (g.id, g.name)).collect();
    let checked = match bad.message() {
        // The whole text comes back to be checked; no row is read from cleaned text.
        Some(message_key) => Err(vec![import::RowError {
            line: 0,
            field: "rows",
            message_key,
        }]),
        None => import::check(&form.rows, &pairs, &existing),
    };
    let valid = match checked {
        Ok(valid) => valid,
        Err(errors) => {
            let page = ImportPage {
                p,
                village,
                rows: form.rows,
                errors,
            };
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let mut slips = Vec::with_capacity(valid.len());
    let mut hashes = Vec::with_capacity(valid.len());
    for household in &valid {
        let pin = domain::new_pin(&mut rand::rng());
        hashes.push(state.passwords.hash(pin.clone()).await?);
        slips.push(Slip::new(&household.number, &household.head_name, pin));
    }
    let (v, staff_id, count) = (village.clone(), clerk.staff.id, valid.len());
    state
        .db
        .tx(move |conn| {
            for (household, hash) in valid.iter().zip(&hashes) {
                if store::create(conn, v.id, household, hash)?.is_none() {
                    // Someone registered the same 户号 meanwhile: undo the whole import.
                    return Err(HouseholdError::ImportRaced.into());
                }
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::HouseholdImport,
                    format!("village:{}", v.id),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("rows={count}")),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    render(&SlipsPage { p, village, slips })
}
