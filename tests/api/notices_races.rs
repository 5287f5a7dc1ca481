//! Races around notices: a household sending many objections to several notices at the same
//! moment (two devices, a stuck button) still files no more than the daily limit, and each
//! refused one is told why.
//! Each race runs `race_runs()` times and prints one `RACE …` line.

use diesel::prelude::*;
use minyi::notices::domain::MAX_OBJECTIONS_PER_DAY;

use crate::helpers::{race_runs, spawn_app};
use crate::notices::published;

/// How many objections the household sends at once.
const AT_ONCE: usize = 12;

#[actix_web::test]
async fn race_objections_flood_past_the_daily_limit() {
    let app = spawn_app().await;
    let runs = race_runs();
    let mut over_limit = 0;
    for run in 0..runs {
        let v = app.village(&format!("nr{run}"));
        // Two notices: the limit counts across all of them, whatever each notice's lock allows.
        let notices = [
            published(&app, &v, "村道硬化方案", Some("project:1"), 0),
            published(&app, &v, "路灯方案", Some("project:2"), 0),
        ];
        let household = app.household(&v, "0101", "104729");
        // Two devices of the same household.
        let mut devices = Vec::new();
        for _ in 0..2 {
            let device = app.browser();
            let login = device
                .post(
                    &format!("/v/{}/login", v.code),
                    &[("number", "0101"), ("pin", "104729")],
                )
                .await;
            assert_eq!(login.status, 303);
            let token = device.csrf().await;
            devices.push((device, token));
        }
        let sends = (0..AT_ONCE).map(|i| {
            let (device, token) = &devices[i % 2];
            let notice = notices[(i / 2) % 2];
            let path = format!("/v/{}/notices/{notice}/object", v.code);
            let body = format!("第{i}条异议");
            async move {
                device
                    .post_raw(&path, &[("csrf", token.as_str()), ("body", body.as_str())])
                    .await
            }
        });
        let pages = futures_util::future::join_all(sends).await;
        for page in &pages {
            assert!(
                page.status == 200 || page.status == 429,
                "filed or told the limit: {} {}",
                page.status,
                page.body
            );
        }
        let filed: i64 = app.with_conn(|c| {
            use minyi::db::schema::objections::dsl as o;
            o::objections
                .filter(o::household_id.eq(household))
                .count()
                .get_result(c)
                .expect("count")
        });
        let accepted = pages.iter().filter(|p| p.status == 200).count() as i64;
        assert_eq!(filed, accepted, "every stored objection was acknowledged");
        over_limit += (filed - MAX_OBJECTIONS_PER_DAY).max(0);
    }
    println!("\nRACE objections_flood_past_the_daily_limit: runs={runs} over_limit={over_limit}");
    assert_eq!(over_limit, 0, "objections stored beyond the daily limit");
}
