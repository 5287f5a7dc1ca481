//! Minutes on the clerk's side: written from the record once the meeting has closed (and
//! rewritten until signed), and, once signed and locked, corrected only by a new linked record.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::routes::{base, view};
use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/meetings/{meeting}/minutes",
        web::post().to(write_minutes),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/correction",
        web::post().to(correct_minutes),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MinutesForm {
    notes: String,
}

async fn write_minutes(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<MinutesForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    if v.meeting.state != "closed" {
        return Err(AppError::Conflict("minutes.error.meeting_open"));
    }
    let (village, staff_id, meeting) = (clerk.village.clone(), clerk.staff.id, v.meeting.clone());
    let notes = form.notes.trim().to_string();
    state
        .db
        .tx(move |conn| {
            let body = super::minutes::generate(conn, &meeting, &notes)?;
            if !store::save_minutes(conn, meeting.id, &body, &notes)? {
                return Err(AppError::Conflict("minutes.error.locked"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MinutesWrite,
                    format!("meeting:{}", meeting.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CorrectionForm {
    text: String,
}

/// Signed minutes never change; a correction is a new record that links them: a council-result
/// notice superseding the one the minutes were published with, carrying the correction and the
/// original minutes' hash.
async fn correct_minutes(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<CorrectionForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let Some(hash) = v.minutes.as_ref().and_then(|m| m.content_hash.clone()) else {
        return Err(AppError::Conflict("minutes.error.not_locked"));
    };
    let text = form.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 5000 {
        return Err(AppError::Unprocessable("minutes.error.correction"));
    }
    let (village, staff_id, meeting) = (clerk.village.clone(), clerk.staff.id, v.meeting.clone());
    let notice = state
        .db
        .tx(move |conn| {
            let subject = format!("meeting:{}", meeting.id);
            // The newest council-result notice about this meeting is the one to supersede.
            let latest = crate::notices::store::board(
                conn,
                village.id,
                Some(crate::notices::domain::Kind::CouncilResult),
                1000,
            )?
            .into_iter()
            .filter(|n| n.subject.as_deref() == Some(subject.as_str()))
            .max_by_key(|n| n.published_at);
            let body = format!("会议记录更正\n原会议记录 SHA-256：{hash}\n\n{text}");
            let draft = crate::notices::store::Draft {
                village_id: village.id,
                kind: crate::notices::domain::Kind::CouncilResult,
                title: &format!("议事会决议更正：{}", meeting.title),
                body: &body,
                subject: Some(&subject),
                supersedes: latest.map(|n| n.id),
                created_by: staff_id,
            };
            let notice = crate::notices::store::create_published(conn, &draft, crate::db::now())?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MinutesCorrect,
                    format!("meeting:{}", meeting.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0)
                .detail(format!("notice={}", notice.id)),
            )?;
            Ok::<_, AppError>(notice.id)
        })
        .await?;
    Ok(see_other(&format!(
        "/v/{}/notices/{notice}",
        clerk.village.code
    )))
}
