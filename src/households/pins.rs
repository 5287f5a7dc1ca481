//! PIN slips: resetting a household's PIN and the printable slips that carry new PINs. A PIN
//! exists only in the response that shows it; the database keeps its argon2id hash.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::domain;
use super::routes::load;
use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::guards::Clerk;
use crate::web::page::{Page, render};

pub(super) async fn reset_pin(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _form: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let village = clerk.village;
    let household = load(&state, village.id, id).await?;
    let pin = domain::new_pin(&mut rand::rng());
    let hash = state.passwords.hash(pin.clone()).await?;
    let (v, staff_id) = (village.clone(), clerk.staff.id);
    state
        .db
        .tx(move |conn| {
            store::set_pin(conn, v.id, id, &hash)?;
            // A new PIN ends the household's sessions, like a staff password reset.
            crate::auth::sessions::bump(conn, &crate::auth::sessions::household(id))?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::HouseholdResetPin,
                    format!("household:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0),
            )
        })
        .await
        .map_err(AppError::from)?;
    let slip = Slip::new(&household.number, &household.head_name, pin);
    render(&SlipsPage {
        p,
        village,
        slips: vec![slip],
    })
}

/// One printable PIN slip. The PIN exists only in this response; the database keeps its hash.
pub struct Slip {
    pub number: String,
    pub masked_name: String,
    pub pin: String,
}

impl Slip {
    pub(super) fn new(number: &str, head_name: &str, pin: String) -> Slip {
        Slip {
            number: number.to_string(),
            masked_name: domain::mask_name(head_name),
            pin,
        }
    }
}

#[derive(Template)]
#[template(path = "households/slips.html")]
pub(super) struct SlipsPage {
    pub p: Page,
    pub village: VillageRef,
    pub slips: Vec<Slip>,
}
