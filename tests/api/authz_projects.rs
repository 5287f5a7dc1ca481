//! The projects' part of the authorization table's world: one project of village a in each
//! status a staff route acts on (built through the projects' stores and commands), the form
//! fields that make each route write, and the audit row each write leaves.

use minyi::db::{DbConn, DbError};
use minyi::projects::domain::plan::{LineInput, PlanInput, check};
use minyi::projects::domain::work::InspectionResult;
use minyi::projects::states::{FundingSource, PlanMethod, PlanState, ProjectStatus};
use minyi::projects::{commands, plan_store, store, work_store};

/// Projects of village a, each in the status its route needs, and inspections to answer.
#[derive(Default)]
pub(super) struct Projects {
    /// Approved, waiting for its plan (`/plan`).
    pub(super) approved: i64,
    /// Its plan approved by the council (`/notice`).
    pub(super) plan_approved: i64,
    /// Its plan noticed long ago, the period over (`/start`).
    pub(super) cleared: i64,
    /// In progress: progress, inspections, the status form (`/progress`, `/inspections`,
    /// `/status`, `/respond`, `/close`).
    pub(super) working: i64,
    /// In progress, to be reported complete (`/complete`).
    pub(super) to_complete: i64,
    /// Completed with no open problem (`/acceptance`).
    pub(super) completed: i64,
    /// A problem of `working` without a response.
    pub(super) to_respond: i64,
    /// A problem of `working` with the committee's response.
    pub(super) to_close: i64,
}

fn plan() -> minyi::projects::domain::plan::ValidPlan {
    let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    check(PlanInput {
        method: PlanMethod::SelfBuilt,
        starts_on: on,
        ends_on: on,
        contractor_selection: String::new(),
        lines: vec![LineInput {
            item: "水泥".into(),
            quantity_hundredths: 100,
            unit: "吨".into(),
            unit_price: minyi::money::Money::from_fen(45_000),
        }],
        funding: vec![(
            FundingSource::Earmarked,
            minyi::money::Money::from_fen(45_000),
        )],
        participants: vec![],
    })
    .expect("a valid plan")
}

pub(super) fn fixtures(
    app: &crate::helpers::TestApp,
    village: &str,
    motion: i64,
    clerk: i64,
) -> Projects {
    app.with_conn(|c| {
        let v = minyi::villages::store::find_village(c, village)?.expect("village");
        let who = minyi::council::commands::Who {
            staff: clerk,
            village: v.clone(),
            addr: "127.0.0.1".into(),
        };
        let mut n = 0;
        let mut project = |c: &mut DbConn, status: ProjectStatus| -> Result<i64, DbError> {
            use diesel::prelude::*;
            use minyi::db::schema::candidates as cd;
            n += 1;
            let title = format!("项目{n}");
            let candidate: i64 = diesel::insert_into(cd::table)
                .values((
                    cd::village_id.eq(v.id),
                    cd::title.eq(&title),
                    cd::description.eq(""),
                    cd::category.eq("道路交通"),
                    cd::temporary.eq(true),
                    cd::state.eq("approved"),
                    cd::created_by.eq(clerk),
                    cd::created_at.eq(minyi::db::now()),
                ))
                .returning(cd::id)
                .get_result(c)?;
            let id = store::insert_project(
                c,
                &store::NewProject {
                    village_id: v.id,
                    candidate_id: candidate,
                    title: &title,
                    category: "道路交通",
                    motion,
                },
            )?;
            if status != ProjectStatus::Approved {
                plan_store::insert_plan(c, id, &plan(), clerk)?;
                plan_store::move_plans(c, id, &[PlanState::Draft], PlanState::Approved)?;
                store::set_status(c, id, ProjectStatus::PlanApproved, None, None)?;
            }
            if status != ProjectStatus::Approved && status != ProjectStatus::PlanApproved {
                let long_ago = minyi::db::now() - chrono::TimeDelta::days(30);
                commands::publish_plan_notice_at(c, &who, id, "", long_ago).map_err(|e| {
                    DbError::Query(diesel::result::Error::QueryBuilderError(
                        e.to_string().into(),
                    ))
                })?;
            }
            if !matches!(
                status,
                ProjectStatus::Approved | ProjectStatus::PlanApproved | ProjectStatus::InNotice
            ) {
                store::set_status(c, id, status, None, None)?;
            }
            Ok(id)
        };
        let approved = project(c, ProjectStatus::Approved)?;
        let plan_approved = project(c, ProjectStatus::PlanApproved)?;
        let cleared = project(c, ProjectStatus::InNotice)?;
        let working = project(c, ProjectStatus::InProgress)?;
        let to_complete = project(c, ProjectStatus::InProgress)?;
        let completed = project(c, ProjectStatus::Completed)?;
        let problem = |c: &mut DbConn| {
            work_store::insert_inspection(
                c,
                working,
                &work_store::NewInspection {
                    on: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date"),
                    place: "村口",
                    findings: "基础偏浅",
                    result: InspectionResult::Problem,
                    follow_up: "加深",
                },
                clerk,
            )
        };
        let to_respond = problem(c)?;
        let to_close = problem(c)?;
        work_store::respond(c, working, to_close, "已加深", clerk)?;
        Ok::<_, DbError>(Projects {
            approved,
            plan_approved,
            cleared,
            working,
            to_complete,
            completed,
            to_respond,
            to_close,
        })
    })
    .expect("project fixtures")
}

impl Projects {
    /// The project a route works on.
    pub(super) fn project(&self, pattern: &str) -> i64 {
        if pattern.ends_with("/{project}/plan") {
            self.approved
        } else if pattern.ends_with("/{project}/notice") {
            self.plan_approved
        } else if pattern.ends_with("/{project}/start") {
            self.cleared
        } else if pattern.ends_with("/{project}/complete") {
            self.to_complete
        } else if pattern.ends_with("/{project}/acceptance") {
            self.completed
        } else {
            self.working
        }
    }

    pub(super) fn inspection(&self, pattern: &str) -> i64 {
        if pattern.ends_with("/close") {
            self.to_close
        } else {
            self.to_respond
        }
    }
}

/// Form fields that make a project route write; `None` for a route not of this part.
pub(super) fn fields(pattern: &str) -> Option<Vec<(&'static str, String)>> {
    let once = || ("once", minyi::web::once::new_token());
    let s = |k: &'static str, v: &str| (k, v.to_string());
    Some(match pattern {
        "/staff/v/{village}/projects/{project}/plan" => vec![
            s("method", "self_built"),
            s("starts_on", "2026-12-01"),
            s("ends_on", "2027-01-31"),
            s("item", "水泥"),
            s("quantity", "2"),
            s("unit", "吨"),
            s("price", "450"),
            s("fund_earmarked", "900"),
            once(),
        ],
        "/staff/v/{village}/projects/{project}/notice" => vec![once()],
        "/staff/v/{village}/projects/{project}/progress" => vec![
            s("reported_on", "2026-12-10"),
            s("percent", "30"),
            s("body", "开挖完成"),
            once(),
        ],
        "/staff/v/{village}/projects/{project}/inspections" => vec![
            s("inspected_on", "2026-12-11"),
            s("place", "村口"),
            s("findings", "正常"),
            s("result", "fine"),
            once(),
        ],
        "/staff/v/{village}/projects/{project}/inspections/{inspection}/respond" => {
            vec![s("text", "已整改")]
        }
        "/staff/v/{village}/projects/{project}/acceptance" => vec![
            s("accepted_on", "2027-01-20"),
            s("result", "passed"),
            s("reasons", "符合方案"),
            s("role", "supervisor"),
            s("person", "李监事"),
            s("role", "household_rep"),
            s("person", "王代表"),
            once(),
        ],
        "/staff/v/{village}/projects/{project}/status" => {
            vec![s("action", "suspend"), s("reason", "雨季停工")]
        }
        // A form without a file (this table posts url-encoded forms): refused with 422.
        "/staff/v/{village}/projects/{project}/attachments" => vec![s("target", "progress:1")],
        "/staff/v/{village}/projects/{project}/start"
        | "/staff/v/{village}/projects/{project}/complete"
        | "/staff/v/{village}/projects/{project}/inspections/{inspection}/close" => vec![],
        _ => return None,
    })
}

/// The answer and audit row of a project route's write; `None` for a route not of this part.
pub(super) fn expected_write(pattern: &str) -> Option<(u16, Option<&'static str>)> {
    if pattern == "/staff/v/{village}/projects/{project}/attachments" {
        // No file in a url-encoded form: nothing written (uploads: `tests/api/projects_files.rs`).
        return Some((422, Some("request.refused")));
    }
    let action = match pattern {
        "/staff/v/{village}/projects/{project}/plan" => "plan.draft",
        "/staff/v/{village}/projects/{project}/notice" => "plan.notice",
        "/staff/v/{village}/projects/{project}/start" => "project.start",
        "/staff/v/{village}/projects/{project}/progress" => "project.progress",
        "/staff/v/{village}/projects/{project}/complete" => "project.complete",
        "/staff/v/{village}/projects/{project}/inspections" => "inspection.record",
        "/staff/v/{village}/projects/{project}/inspections/{inspection}/respond" => {
            "inspection.respond"
        }
        "/staff/v/{village}/projects/{project}/inspections/{inspection}/close" => {
            "inspection.close"
        }
        "/staff/v/{village}/projects/{project}/acceptance" => "acceptance.record",
        "/staff/v/{village}/projects/{project}/status" => "project.suspend",
        _ => return None,
    };
    Some((303, Some(action)))
}
