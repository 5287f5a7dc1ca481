//! Collection sites (收票点) and their closure certificates: papers issued, returned, spoiled
//! and entered, with four named custodians (two residents, two staff) and lines for their
//! signatures on the printed page; a signed certificate never changes (the database keeps it)
//! and shows any mismatch.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::paper::{self, SiteCounts};
use super::paper_commands;
use super::paper_store::{self as sites_store, Site};
use super::routes::{acting, base, load_round};
use super::store::Round;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/sites",
        web::get().to(site_list),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/sites",
        web::post().to(create_site),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/sites/{site}/certify",
        web::post().to(certify),
    );
}

#[derive(Template)]
#[template(path = "collection/sites.html")]
struct SitesPage {
    p: Page,
    village: VillageRef,
    round: Round,
    sites: Vec<(Site, i64)>,
    message: Option<&'static str>,
    /// The one-time token of the form that sets up a site.
    once: String,
    /// A site's certificate form sent back as typed.
    kept: Kept,
}

impl SitesPage {
    /// Forms are offered only while they can act: sites before the close, certificates until
    /// the results are published (a published round's sites are a record to read).
    fn takes_sites(&self) -> bool {
        super::domain::accepts_new_sites(self.round.state())
    }
    fn takes_certificates(&self) -> bool {
        super::domain::accepts_certificates(self.round.state())
    }
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
    fn certify_form(&self, site: &Site) -> String {
        certify_form(site.id)
    }
    /// The mismatch messages of a certified site, with the expected count filled in.
    fn mismatches(&self, site: &Site, entered: &i64) -> Vec<String> {
        let (Some(issued), Some(returned), Some(spoiled)) = (
            site.papers_issued,
            site.papers_returned,
            site.papers_spoiled,
        ) else {
            return Vec::new();
        };
        let counts = SiteCounts {
            issued: issued.into(),
            returned: returned.into(),
            spoiled: spoiled.into(),
            entered: *entered,
        };
        paper::certificate_mismatches(counts)
            .into_iter()
            .map(|m| match m {
                paper::SiteMismatch::EnteredDiffers { expected } => {
                    self.p
                        .t2(m.message_key(), "expected", expected, "entered", entered)
                }
                other => self.p.t(other.message_key()),
            })
            .collect()
    }
}

/// The sites page; with a message, a form came back refused: 422 when the form was wrong,
/// 409 when the round or the certificate no longer allows it.
async fn sites_page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    round: Round,
    message: Option<(StatusCode, &'static str)>,
    kept: Kept,
) -> AppResult<HttpResponse> {
    let round_id = round.id;
    let sites = state
        .db
        .run(move |conn| sites_store::sites(conn, round_id))
        .await?;
    render_status(
        match message {
            Some((status, _)) => status,
            None if kept.is_sent() => INVALID,
            None => StatusCode::OK,
        },
        &SitesPage {
            p,
            village,
            round,
            sites,
            message: message.map(|(_, key)| key),
            once: crate::web::once::new_token(),
            kept,
        },
    )
}

/// A refused form: back to the sites page (reloaded: the round may have moved on) with why.
async fn refused(
    p: Page,
    state: &AppState,
    village: VillageRef,
    round_id: i64,
    status: StatusCode,
    key: &'static str,
) -> AppResult<HttpResponse> {
    let round = load_round(state, &village, round_id).await?;
    sites_page(
        p,
        state,
        village,
        round,
        Some((status, key)),
        Kept::default(),
    )
    .await
}

const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

async fn site_list(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let round = load_round(&state, &clerk.village, path.1).await?;
    sites_page(p, &state, clerk.village, round, None, Kept::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SiteForm {
    name: String,
    once: String,
}

async fn create_site(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<SiteForm>,
) -> AppResult<HttpResponse> {
    let round_id = path.1;
    let name = form.name.trim().to_string();
    if !bad.is_empty() || name.is_empty() || name.chars().count() > 40 {
        return refused(
            p,
            &state,
            clerk.village,
            round_id,
            INVALID,
            bad.message().unwrap_or("site.error.name"),
        )
        .await;
    }
    let by = acting(&clerk, addr);
    let created = state
        .db
        .tx(move |conn| paper_commands::create_site(conn, &by, round_id, &name, &form.once))
        .await;
    match created {
        Ok(to) => Ok(see_other(&to)),
        Err(AppError::Conflict(key)) => {
            refused(
                p,
                &state,
                clerk.village,
                round_id,
                StatusCode::CONFLICT,
                key,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// The name of a site's certificate form on the sites page (one per site).
fn certify_form(site: i64) -> String {
    format!("certify-{site}")
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct CertifyForm {
    issued: String,
    returned: String,
    spoiled: String,
    custodian_one: String,
    custodian_two: String,
    staff_custodian_one: String,
    staff_custodian_two: String,
}

/// The certificate's four custodians' fields: two residents, then two staff.
const CUSTODIANS: [&str; 4] = [
    "custodian_one",
    "custodian_two",
    "staff_custodian_one",
    "staff_custodian_two",
];

/// The counts and custodians as typed, or the message beside each field that cannot be kept.
fn certificate_of(form: &CertifyForm) -> Result<([i32; 3], [String; 4]), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut count = |field: &'static str, t: &str| {
        let n = t
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (0..=100_000).contains(n));
        if n.is_none() {
            errors.add(field, "site.error.counts");
        }
        n
    };
    let counts = (
        count("issued", &form.issued),
        count("returned", &form.returned),
        count("spoiled", &form.spoiled),
    );
    let names = [
        form.custodian_one.trim(),
        form.custodian_two.trim(),
        form.staff_custodian_one.trim(),
        form.staff_custodian_two.trim(),
    ];
    for (i, (field, name)) in CUSTODIANS.into_iter().zip(names).enumerate() {
        if name.is_empty() || name.chars().count() > 30 {
            errors.add(field, "site.error.custodians");
        } else if names[..i].contains(&name) {
            // Four different people: one person cannot vouch for the box twice.
            errors.add(field, "site.error.custodians_distinct");
        }
    }
    match counts {
        (Some(issued), Some(returned), Some(spoiled)) if errors.is_empty() => {
            Ok(([issued, returned, spoiled], names.map(str::to_string)))
        }
        _ => Err(errors),
    }
}

async fn certify(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<CertifyForm>,
) -> AppResult<HttpResponse> {
    let (round_id, site_id) = (path.1, path.2);
    let name = certify_form(site_id);
    let ([issued, returned, spoiled], [one, two, three, four]) =
        match bad.check(certificate_of(&form)) {
            Ok(read) => read,
            Err(errors) => {
                let round = load_round(&state, &clerk.village, round_id).await?;
                let kept = Kept::new(name, &form, errors);
                return sites_page(p, &state, clerk.village, round, None, kept).await;
            }
        };
    let by = acting(&clerk, addr);
    let signed = state
        .db
        .tx(move |conn| {
            let certificate = sites_store::Certificate {
                issued,
                returned,
                spoiled,
                custodian_one: &one,
                custodian_two: &two,
                staff_custodian_one: &three,
                staff_custodian_two: &four,
            };
            paper_commands::certify(conn, &by, round_id, site_id, &certificate)
        })
        .await;
    match signed {
        Ok(()) => Ok(see_other(&format!(
            "{}/sites",
            base(&clerk.village, round_id)
        ))),
        Err(AppError::Conflict(key)) => {
            refused(
                p,
                &state,
                clerk.village,
                round_id,
                StatusCode::CONFLICT,
                key,
            )
            .await
        }
        Err(other) => Err(other),
    }
}
