//! The clerk's household pages: list, register, edit (including deactivation), reset PIN with a
//! printable slip, and import from a spreadsheet. Handlers extract, call the domain and the
//! store, and render; every write and its audit event share one transaction.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::{self, HouseholdForm, Status, ValidHousehold};
use super::pins::{self, Slip};
use super::store::{self, Household, ListFilter};
use super::{HouseholdError, bulk};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::{Group, VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/staff/v/{village}/households")
            .route("", web::get().to(list))
            .route("/new", web::get().to(new_form))
            .route("/new", web::post().to(create))
            .route("/import", web::get().to(bulk::import_form))
            .route("/import", web::post().to(bulk::import_rows))
            .route("/{id}", web::get().to(edit_form))
            .route("/{id}", web::post().to(update))
            .route("/{id}/pin", web::post().to(pins::reset_pin)),
    );
}

fn base(village: &VillageRef) -> String {
    format!("/staff/v/{}/households", village.code)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    group: String,
    status: String,
    page: String,
}

#[derive(Template)]
#[template(path = "households/list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    groups: Vec<Group>,
    rows: Vec<Household>,
    total: i64,
    page: i64,
    pages: i64,
    query: ListQuery,
}

impl ListPage {
    fn group_name(&self, id: &i64) -> &str {
        self.groups
            .iter()
            .find(|g| g.id == *id)
            .map_or("", |g| g.name.as_str())
    }
    fn page_href(&self, page: i64) -> String {
        format!(
            "{}?q={}&group={}&status={}&page={page}",
            base(&self.village),
            crate::web::encode_query(&self.query.q),
            crate::web::encode_query(&self.query.group),
            crate::web::encode_query(&self.query.status),
        )
    }
}

async fn list(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let q = query.q.trim();
    let filter = ListFilter {
        number_prefix: domain::valid_number(q).then(|| q.to_string()),
        group_id: query.group.parse().ok(),
        status: Status::parse(&query.status),
    };
    let page = query.page.parse::<i64>().unwrap_or(0).max(0);
    let village = clerk.village;
    let village_id = village.id;
    let (groups, (rows, total)) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                groups(conn, village_id)?,
                store::list(conn, village_id, &filter, page)?,
            ))
        })
        .await?;
    let pages = (total + store::PAGE_SIZE - 1) / store::PAGE_SIZE;
    render(&ListPage {
        p,
        village,
        groups,
        rows,
        total,
        page,
        pages,
        query,
    })
}

#[derive(Template)]
#[template(path = "households/form.html")]
struct FormPage {
    p: Page,
    village: VillageRef,
    groups: Vec<Group>,
    /// `None` when registering a new household.
    id: Option<i64>,
    form: HouseholdForm,
    errors: FieldErrors,
}

impl FormPage {
    fn statuses(&self) -> [Status; 3] {
        Status::ALL
    }
    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("{}/{id}", base(&self.village)),
            None => format!("{}/new", base(&self.village)),
        }
    }
}

async fn form_page(
    state: &AppState,
    p: Page,
    village: VillageRef,
    id: Option<i64>,
    form: HouseholdForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let village_id = village.id;
    let groups = state
        .db
        .run(move |conn| groups(conn, village_id))
        .await
        .map_err(AppError::from)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &FormPage {
            p,
            village,
            groups,
            id,
            form,
            errors,
        },
    )
}

async fn new_form(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let form = HouseholdForm {
        members: "1".into(),
        ..HouseholdForm::default()
    };
    form_page(&state, p, clerk.village, None, form, FieldErrors::new()).await
}

/// Checks a submitted form against the village's groups.
async fn validated(
    state: &AppState,
    village_id: i64,
    form: &HouseholdForm,
) -> AppResult<Result<ValidHousehold, FieldErrors>> {
    let ids: Vec<i64> = state
        .db
        .run(move |conn| groups(conn, village_id))
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|g| g.id)
        .collect();
    Ok(domain::validate(form, &ids))
}

fn number_taken() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add("number", "household.error.number_taken");
    errors
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<HouseholdForm>,
) -> AppResult<HttpResponse> {
    let village = clerk.village;
    let valid = match bad.check(validated(&state, village.id, &form).await?) {
        Ok(valid) => valid,
        Err(errors) => return form_page(&state, p, village, None, form, errors).await,
    };
    let pin = domain::new_pin(&mut rand::rng());
    let hash = state.passwords.hash(pin.clone()).await?;
    let (v, staff_id, record) = (village.clone(), clerk.staff.id, valid.clone());
    let created = state
        .db
        .tx(move |conn| {
            let Some(id) = store::create(conn, v.id, &record, &hash)? else {
                return Ok::<_, AppError>(None);
            };
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::HouseholdCreate,
                    format!("household:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("village={} number={}", v.code, record.number)),
            )?;
            Ok(Some(id))
        })
        .await?;
    match created {
        Some(_) => render(&pins::SlipsPage {
            p,
            village,
            slips: vec![Slip::new(&valid.number, &valid.head_name, pin)],
        }),
        None => form_page(&state, p, village, None, form, number_taken()).await,
    }
}

pub(super) async fn load(state: &AppState, village_id: i64, id: i64) -> AppResult<Household> {
    state
        .db
        .run(move |conn| store::get(conn, village_id, id))
        .await?
        .ok_or(HouseholdError::NotFound.into())
}

async fn edit_form(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let h = load(&state, clerk.village.id, id).await?;
    let form = HouseholdForm {
        number: h.number,
        head_name: h.head_name,
        members: h.members.to_string(),
        group: h.group_id.to_string(),
        status: h.status.as_str().to_string(),
    };
    form_page(&state, p, clerk.village, Some(id), form, FieldErrors::new()).await
}

async fn update(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<HouseholdForm>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let village = clerk.village;
    let before = load(&state, village.id, id).await?;
    let valid = match bad.check(validated(&state, village.id, &form).await?) {
        Ok(valid) => valid,
        Err(errors) => return form_page(&state, p, village, Some(id), form, errors).await,
    };
    let changed = changed_fields(&before, &valid);
    // A household marked as moved away or merged can no longer act: its sessions end now.
    let deactivated = before.status == crate::households::domain::Status::Active
        && valid.status != crate::households::domain::Status::Active;
    let (v, staff_id) = (village.clone(), clerk.staff.id);
    let saved = state
        .db
        .tx(move |conn| {
            if !store::update(conn, v.id, id, &valid)? {
                return Ok::<_, AppError>(false);
            }
            if deactivated {
                crate::auth::sessions::bump(conn, &crate::auth::sessions::household(id))?;
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::HouseholdUpdate,
                    format!("household:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("changed={}", changed.join(","))),
            )?;
            Ok(true)
        })
        .await?;
    if saved {
        Ok(see_other(&base(&village)))
    } else {
        form_page(&state, p, village, Some(id), form, number_taken()).await
    }
}

/// Names of the fields an edit changes, for the audit log (names, not values).
fn changed_fields(before: &Household, after: &ValidHousehold) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if before.number != after.number {
        changed.push("number");
    }
    if before.head_name != after.head_name {
        changed.push("head_name");
    }
    if before.members != after.members {
        changed.push("members");
    }
    if before.group_id != after.group_id {
        changed.push("group");
    }
    if before.status != after.status {
        changed.push("status");
    }
    changed
}
