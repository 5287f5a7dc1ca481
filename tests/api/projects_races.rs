//! Race tests for projects: work is started while an objection to the plan notice is being
//! answered as upheld (it must never start on an upheld or unanswered objection), and two
//! clerks press "start" at once (one start, one audit row). Each prints one `RACE …` line.

use futures_util::future::join;
use minyi::notices::states::ObjectionChannel;
use minyi::projects::states::ProjectStatus;

use super::work::noticed;
use super::{plan_approved, status};
use crate::helpers::race_runs;

#[actix_web::test]
async fn race_start_work_while_objection_is_upheld() {
    let runs = race_runs();
    let mut started_on_upheld = 0;
    let mut double_starts = 0;
    for run in 0..runs {
        let f = plan_approved(&format!("rc{run}")).await;
        let notice = noticed(&f, 20);
        let household = f.c.app.household(&f.c.v, "0901", "104729");
        let objection = f.c.app.with_conn(|c| {
            let filing = minyi::notices::store::Filing {
                notice_id: notice,
                household_id: household,
                channel: ObjectionChannel::Online,
                body: "位置不合适",
                recorded_by: None,
            };
            minyi::notices::store::file(c, &filing, minyi::db::now()).expect("filed")
        });
        let answer_path = format!(
            "/staff/v/{}/notices/{notice}/objections/{objection}/answer",
            f.c.v.code
        );
        let start_path = format!("{}/start", f.page());
        let answer = f.c.clerk.post(
            &answer_path,
            &[("answer", "异议成立，重新拟定方案"), ("upheld", "on")],
        );
        let start = f.c.clerk.post(&start_path, &[]);
        let (answered, started) = join(answer, start).await;
        assert!(answered.status < 500 && started.status < 500);
        if status(&f) == ProjectStatus::InProgress {
            started_on_upheld += 1;
        }
        // Two starts at once on a cleared project of another village: one start.
        let g = plan_approved(&format!("rd{run}")).await;
        noticed(&g, 20);
        let second = g.c.app.browser();
        second.login_staff(&format!("clerk.rd{run}")).await;
        let (a, b) = join(
            g.c.clerk.post(&format!("{}/start", g.page()), &[]),
            second.post(&format!("{}/start", g.page()), &[]),
        )
        .await;
        assert_eq!((a.status, b.status), (303, 303));
        let starts =
            g.c.app
                .audit_actions()
                .iter()
                .filter(|(action, _, _)| action == "project.start")
                .count();
        if starts != 1 {
            double_starts += 1;
        }
    }
    println!(
        "RACE start_work_while_objection_is_upheld: runs={runs} started_on_upheld={started_on_upheld} double_starts={double_starts}"
    );
    assert_eq!(
        started_on_upheld, 0,
        "work started on an upheld or unanswered objection"
    );
    assert_eq!(double_starts, 0, "two starts recorded");
}
