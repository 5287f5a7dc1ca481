//! Public round pages, no login: the state, the roll's size and hash, and once the round has
//! closed, turnout per group, suggestions per category, every receipt code and every suggestion
//! without household identity, also as CSV (UTF-8 with BOM) and JSON.

use crate::audit::export::{BOM, safe_cell};
use std::borrow::Borrow;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::CollectionError;
use super::ballot::normalise_receipt;
use super::routes::{Counted, count};
use super::store::{self as rounds, PublicSuggestion, Round};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::web::revalidate::{download, page};
    use actix_web::middleware::from_fn;
    cfg.route("/v/{village}/rounds", web::get().to(list))
        .service(
            web::resource("/v/{village}/rounds/{round}")
                .wrap(from_fn(page))
                .get(show),
        )
        .service(
            web::resource("/v/{village}/rounds/{round}/results.csv")
                .wrap(from_fn(download))
                .get(csv_download),
        )
        .service(
            web::resource("/v/{village}/rounds/{round}/results.json")
                .wrap(from_fn(download))
                .get(json_download),
        )
        .route(
            "/v/{village}/rounds/{round}/roll.txt",
            web::get().to(roll_numbers),
        );
}

async fn village_and_round(
    state: &AppState,
    code: String,
    round_id: Option<i64>,
) -> AppResult<(VillageRef, Vec<Round>)> {
    state
        .db
        .run(move |conn| {
            let village = find_village(conn, &code)?.ok_or(AppError::NotFound)?;
            let list = match round_id {
                Some(id) => rounds::get(conn, village.id, id)?.into_iter().collect(),
                None => rounds::list(conn, village.id)?,
            };
            Ok::<_, AppError>((village, list))
        })
        .await
}

/// A round the public may see: anything but a draft.
async fn public_round(
    state: &AppState,
    code: String,
    round_id: i64,
) -> AppResult<(VillageRef, Round)> {
    let (village, list) = village_and_round(state, code, Some(round_id)).await?;
    let round = list
        .into_iter()
        .next()
        .filter(|r| r.state() != super::domain::RoundState::Draft)
        .ok_or(CollectionError::RoundNotFound)?;
    Ok((village, round))
}

#[derive(Template)]
#[template(path = "collection/public_rounds.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    rounds: Vec<Round>,
}

async fn list(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (village, all) = village_and_round(&state, path.into_inner(), None).await?;
    let rounds = all
        .into_iter()
        .filter(|r| r.state() != super::domain::RoundState::Draft)
        .collect();
    render(&ListPage { p, village, rounds })
}

/// Everything public about a closed round.
struct Results {
    counted: Counted,
    receipts: Vec<String>,
    suggestions: Vec<PublicSuggestion>,
}

async fn results(state: &AppState, round: &Round) -> AppResult<Results> {
    let mut counted = count(state, round).await?;
    let suggestions = std::mem::take(&mut counted.suggestions);
    let round_id = round.id;
    let receipts = state
        .db
        .run(move |conn| rounds::receipts(conn, round_id))
        .await?;
    Ok(Results {
        counted,
        receipts,
        suggestions,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Lookup {
    receipt: String,
    /// Page of the suggestion list and of the receipt list (from 0).
    sp: String,
    rp: String,
}

/// Long lists are shown a page at a time so every page stays small on a phone; the CSV and JSON
/// downloads hold everything.
#[derive(Clone, Copy, Debug)]
struct Pager {
    page: usize,
    pages: usize,
    size: usize,
}

impl Pager {
    fn new(requested: &str, total: usize, size: usize) -> Pager {
        let pages = total.div_ceil(size).max(1);
        let page = requested.parse::<usize>().unwrap_or(0).min(pages - 1);
        Pager { page, pages, size }
    }

    fn slice<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let start = (self.page * self.size).min(all.len());
        &all[start..(start + self.size).min(all.len())]
    }
}

const SUGGESTIONS_PER_PAGE: usize = 100;
const RECEIPTS_PER_PAGE: usize = 400;

#[derive(Template)]
#[template(path = "collection/public_round.html")]
struct RoundPage {
    p: Page,
    village: VillageRef,
    round: Round,
    results: Option<Results>,
    /// The receipt looked up and whether it is in the list.
    lookup: Option<(String, bool)>,
    suggestion_pages: Pager,
    receipt_pages: Pager,
    /// The supervisory board's remarks, shown whatever the round's state.
    remarks: Vec<crate::supervision::remarks::Remark>,
}

impl RoundPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn money(&self, fen: &i64) -> String {
        crate::money::format_fen(*fen)
    }
    fn base(&self) -> String {
        format!("/v/{}/rounds/{}", self.village.code, self.round.id)
    }
    fn suggestions_shown<'a>(&self, r: &'a Results) -> &'a [PublicSuggestion] {
        self.suggestion_pages.slice(&r.suggestions)
    }
    fn receipts_shown<'a>(&self, r: &'a Results) -> &'a [String] {
        self.receipt_pages.slice(&r.receipts)
    }
    /// A link to other pages of the two lists.
    fn pages_href(&self, sp: impl Borrow<usize>, rp: impl Borrow<usize>) -> String {
        format!("{}?sp={}&rp={}", self.base(), sp.borrow(), rp.borrow())
    }
}

async fn show(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<Lookup>,
) -> AppResult<HttpResponse> {
    let (code, round_id) = path.into_inner();
    let (village, round) = public_round(&state, code, round_id).await?;
    let results = if round.state().results_visible() {
        Some(results(&state, &round).await?)
    } else {
        None
    };
    let lookup = match (&results, query.receipt.trim()) {
        (Some(r), typed) if !typed.is_empty() => {
            let code = normalise_receipt(typed);
            let found = r.receipts.binary_search(&code).is_ok();
            Some((code, found))
        }
        _ => None,
    };
    let count = |f: fn(&Results) -> usize| results.as_ref().map_or(0, f);
    let suggestion_pages = Pager::new(
        &query.sp,
        count(|r| r.suggestions.len()),
        SUGGESTIONS_PER_PAGE,
    );
    let receipt_pages = Pager::new(&query.rp, count(|r| r.receipts.len()), RECEIPTS_PER_PAGE);
    let round_id = round.id;
    let remarks = state
        .db
        .run(move |conn| crate::supervision::remarks::of_round(conn, round_id))
        .await?;
    render(&RoundPage {
        p,
        village,
        round,
        results,
        lookup,
        suggestion_pages,
        receipt_pages,
        remarks,
    })
}

/// The downloadable results: every number needed to check the pages.
#[derive(Serialize)]
struct Export<'a> {
    village: &'a str,
    round: &'a str,
    state: &'a str,
    roll_size: Option<i32>,
    roll_hash: Option<&'a str>,
    ballots: i64,
    voided: i64,
    /// Voided ballots counted by the reason written: (reason, count).
    voided_by_reason: &'a [(String, i64)],
    /// Households added to the frozen roll after opening, by reason: (reason, count).
    roll_added_by_reason: &'a [(String, i64)],
    /// Households taken off the frozen roll after opening, by reason: (reason, count).
    roll_removed_by_reason: &'a [(String, i64)],
    turnout_by_group: Vec<GroupExport<'a>>,
    suggestions_by_category: &'a [(String, i64)],
    receipts: &'a [String],
    suggestions: &'a [PublicSuggestion],
}

#[derive(Serialize)]
struct GroupExport<'a> {
    group: &'a str,
    roll: i64,
    ballots: i64,
}

async fn closed_results(
    state: &AppState,
    path: (String, i64),
) -> AppResult<(VillageRef, Round, Results)> {
    let (village, round) = public_round(state, path.0, path.1).await?;
    if !round.state().results_visible() {
        return Err(CollectionError::RoundNotFound.into());
    }
    let results = results(state, &round).await?;
    Ok((village, round, results))
}

fn attachment(name: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_string()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

async fn json_download(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (village, round, r) = closed_results(&state, path.into_inner()).await?;
    let export = Export {
        village: &village.name,
        round: &round.title,
        state: round.state().as_str(),
        roll_size: round.roll_size,
        roll_hash: round.roll_hash.as_deref(),
        ballots: r.counted.tally.total.ballots,
        voided: r.counted.voided,
        voided_by_reason: &r.counted.void_reasons,
        roll_added_by_reason: &r.counted.roll_account.added,
        roll_removed_by_reason: &r.counted.roll_account.removed,
        turnout_by_group: r
            .counted
            .tally
            .groups
            .iter()
            .map(|(g, t)| GroupExport {
                group: r.counted.group_name(g),
                roll: t.roll,
                ballots: t.ballots,
            })
            .collect(),
        suggestions_by_category: &r.counted.tally.categories,
        receipts: &r.receipts,
        suggestions: &r.suggestions,
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok(attachment(
        &format!("round-{}.json", round.id),
        "application/json; charset=utf-8",
        body,
    ))
}

async fn csv_download(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, round, r) = closed_results(&state, path.into_inner()).await?;
    let mut out = csv::Writer::from_writer(Vec::from(BOM.as_bytes()));
    let write = |out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        out.write_record(["category", "title", "details", "place", "cost_yuan"])?;
        for s in &r.suggestions {
            let cost = s
                .cost_fen
                .map(|f| format!("{}.{:02}", f / 100, f % 100))
                .unwrap_or_default();
            // Households typed these: a cell starting with = + - @ must not become a formula.
            out.write_record([
                safe_cell(&s.category),
                safe_cell(&s.title),
                safe_cell(&s.details),
                safe_cell(&s.place),
                cost,
            ])?;
        }
        Ok(())
    };
    write(&mut out).map_err(|e| AppError::Internal(e.into()))?;
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(attachment(
        &format!("round-{}-suggestions.csv", round.id),
        "text/csv; charset=utf-8",
        body,
    ))
}

/// The frozen roll's household numbers, one per line: `sha256sum` of this file is the roll hash.
async fn roll_numbers(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, round_id) = path.into_inner();
    let (_, round) = public_round(&state, code, round_id).await?;
    let id = round.id;
    let numbers = state
        .db
        .run(move |conn| rounds::frozen_roll_numbers(conn, id))
        .await?;
    let body: String = numbers.iter().map(|n| format!("{n}\n")).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body(body))
}
