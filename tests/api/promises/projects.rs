//! The projects' part of the promises world: a project with a plan put to the vote (with a
//! line, funding and a participant), a draft plan, a progress update with a photo linked, an
//! inspection problem answered and closed, one still open, and a recorded acceptance with its
//! participants.

use diesel::prelude::*;
use minyi::db::{DbConn, DbError};

/// Ids the promises table names.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProjectIds {
    pub voted_plan: i64,
    pub draft_plan: i64,
    pub progress: i64,
    pub closed_inspection: i64,
    pub open_inspection: i64,
    pub acceptance: i64,
}

fn exec(c: &mut DbConn, sql: String) -> Result<(), DbError> {
    diesel::sql_query(sql).execute(c)?;
    Ok(())
}

fn last(c: &mut DbConn, table: &str) -> Result<i64, DbError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    Ok(
        diesel::sql_query(format!("SELECT MAX(id) AS id FROM {table}"))
            .get_result::<Id>(c)?
            .id,
    )
}

pub fn build(c: &mut DbConn, village: i64, clerk: i64, motion: i64) -> Result<ProjectIds, DbError> {
    let ts = format!("'{}'", minyi::db::now().format("%Y-%m-%d %H:%M:%S"));
    exec(
        c,
        format!(
            "INSERT INTO candidates (village_id, title, description, category, temporary, state, created_by, created_at) VALUES ({village}, '水塘护栏', '', '安全', TRUE, 'approved', {clerk}, {ts})"
        ),
    )?;
    let candidate = last(c, "candidates")?;
    exec(
        c,
        format!(
            "INSERT INTO projects (village_id, candidate_id, title, status, approved_by_motion, created_at, category, status_changed_at) VALUES ({village}, {candidate}, '水塘护栏', 'completed', {motion}, {ts}, '安全', {ts})"
        ),
    )?;
    let project = last(c, "projects")?;
    let plan = |c: &mut DbConn, version: i32| -> Result<i64, DbError> {
        exec(
            c,
            format!(
                "INSERT INTO project_plans (project_id, version, method, starts_on, ends_on, total_fen, state, created_by, created_at) VALUES ({project}, {version}, 'outsourced', '2026-12-01', '2027-01-31', 100, 'draft', {clerk}, {ts})"
            ),
        )?;
        let id = last(c, "project_plans")?;
        exec(
            c,
            format!(
                "INSERT INTO plan_budget_lines (plan_id, position, item, quantity_hundredths, unit, unit_price_fen, amount_fen) VALUES ({id}, 0, '护栏', 100, '米', 100, 100)"
            ),
        )?;
        exec(
            c,
            format!(
                "INSERT INTO plan_funding (plan_id, source, amount_fen) VALUES ({id}, 'earmarked', 100)"
            ),
        )?;
        exec(
            c,
            format!(
                "INSERT INTO plan_participants (plan_id, position, role, name) VALUES ({id}, 0, 'supervisor', '李监事')"
            ),
        )?;
        Ok(id)
    };
    let voted_plan = plan(c, 1)?;
    exec(
        c,
        format!(
            "UPDATE project_plans SET state = 'approved', decided_at = {ts} WHERE id = {voted_plan}"
        ),
    )?;
    let draft_plan = plan(c, 2)?;
    exec(
        c,
        format!(
            "INSERT INTO project_progress (project_id, reported_on, percent, body, created_by, created_at) VALUES ({project}, '2026-12-10', 40, '基础完成', {clerk}, {ts})"
        ),
    )?;
    let progress = last(c, "project_progress")?;
    exec(
        c,
        format!(
            "INSERT INTO attachments (village_id, sha256, content_type, size_bytes, file_name, uploaded_by, created_at) VALUES ({village}, 'ab', 'image/jpeg', 3, 'a.jpg', {clerk}, {ts})"
        ),
    )?;
    let attachment = last(c, "attachments")?;
    exec(
        c,
        format!(
            "INSERT INTO progress_attachments (progress_id, attachment_id) VALUES ({progress}, {attachment})"
        ),
    )?;
    let inspection = |c: &mut DbConn| -> Result<i64, DbError> {
        exec(
            c,
            format!(
                "INSERT INTO project_inspections (project_id, inspected_on, place, findings, result, follow_up, created_by, created_at) VALUES ({project}, '2026-12-12', '村口', '基础偏浅', 'problem', '加深', {clerk}, {ts})"
            ),
        )?;
        last(c, "project_inspections")
    };
    let closed_inspection = inspection(c)?;
    exec(
        c,
        format!(
            "UPDATE project_inspections SET response = '已加深', responded_by = {clerk}, responded_at = {ts} WHERE id = {closed_inspection}"
        ),
    )?;
    exec(
        c,
        format!(
            "UPDATE project_inspections SET closed_by = {clerk}, closed_at = {ts} WHERE id = {closed_inspection}"
        ),
    )?;
    let open_inspection = inspection(c)?;
    exec(
        c,
        format!(
            "INSERT INTO project_acceptances (project_id, accepted_on, result, reasons, created_by, created_at) VALUES ({project}, '2027-01-20', 'passed', '符合方案', {clerk}, {ts})"
        ),
    )?;
    let acceptance = last(c, "project_acceptances")?;
    exec(
        c,
        format!(
            "INSERT INTO acceptance_participants (acceptance_id, position, role, name) VALUES ({acceptance}, 0, 'supervisor', '李监事')"
        ),
    )?;
    Ok(ProjectIds {
        voted_plan,
        draft_plan,
        progress,
        closed_inspection,
        open_inspection,
        acceptance,
    })
}
