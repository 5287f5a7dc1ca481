//! Reconciling paper ballots whose two typings differ: the clerk compares both with the paper
//! original and chooses the right one, which then counts.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::paper::{EntryState, Typing};
use super::paper_commands;
use super::paper_store::{self, PaperEntry};
use super::routes::{acting, base, load_round};
use super::store::Round;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/reconcile",
        web::get().to(reconcile_list),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/reconcile",
        web::post().to(reconcile),
    );
}

/// Two differing typings of one paper, side by side.
/// One typing as the page shows it: who typed it and whether the viewer may choose it.
struct Shown {
    entry: PaperEntry,
    typing: Option<Typing>,
    typed_by: String,
    may_choose: bool,
    /// Where this typing differs from the other one of the same paper: (row, field).
    differs: Vec<(usize, &'static str)>,
}

impl Shown {
    fn differs(&self, row: &usize, field: &str) -> bool {
        self.differs.iter().any(|(r, f)| r == row && *f == field)
    }
    fn number_differs(&self) -> bool {
        self.differs(&0, "household_number")
    }
}

struct Pair {
    serial: String,
    typings: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "collection/reconcile.html")]
struct ReconcilePage {
    p: Page,
    village: VillageRef,
    round: Round,
    pairs: Vec<Pair>,
}

impl ReconcilePage {
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
    fn money(&self, fen: &i64) -> String {
        crate::money::format_fen(*fen)
    }
}

async fn reconcile_list(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let round = load_round(&state, &clerk.village, path.1).await?;
    let round_id = round.id;
    let entries = state
        .db
        .run(move |conn| {
            let entries = paper_store::entries_in_state(conn, round_id, EntryState::Mismatch)?;
            let ids: Vec<i64> = entries.iter().map(|e| e.entered_by).collect();
            let names = paper_store::staff_names(conn, &ids)?;
            Ok::<_, AppError>((entries, names))
        })
        .await?;
    let (entries, names) = entries;
    let mut pairs: Vec<Pair> = Vec::new();
    for entry in entries {
        let shown = Shown {
            typing: serde_json::from_str(&entry.content).ok(),
            typed_by: names
                .iter()
                .find(|(id, _)| *id == entry.entered_by)
                .map_or_else(|| format!("#{}", entry.entered_by), |(_, n)| n.clone()),
            may_choose: paper_commands::may_choose(clerk.staff.id, entry.entered_by),
            differs: Vec::new(),
            entry,
        };
        match pairs
            .iter_mut()
            .find(|pair| pair.serial == shown.entry.paper_serial)
        {
            Some(pair) => pair.typings.push(shown),
            None => pairs.push(Pair {
                serial: shown.entry.paper_serial.clone(),
                typings: vec![shown],
            }),
        }
    }
    // Each typing marked where it differs from the pair's other typing.
    for pair in &mut pairs {
        if let [first, second] = pair.typings.as_mut_slice()
            && let (Some(a), Some(b)) = (&first.typing, &second.typing)
        {
            let differs = a.differences(b);
            first.differs.clone_from(&differs);
            second.differs = differs;
        }
    }
    render(&ReconcilePage {
        p,
        village: clerk.village,
        round,
        pairs,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChooseForm {
    entry: String,
}

async fn reconcile(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<ChooseForm>,
) -> AppResult<HttpResponse> {
    let entry_id = form
        .entry
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let (by, round_id) = (acting(&clerk, addr), path.1);
    state
        .db
        .tx(move |conn| paper_commands::reconcile(conn, &by, round_id, entry_id))
        .await?;
    Ok(see_other(&format!(
        "{}/reconcile",
        base(&clerk.village, path.1)
    )))
}
