//! The demo township, seeded on the test's backend (SQLite file or PostgreSQL) through the same
//! commands as everything else: the year's cycle holds together from the households' ballots to
//! the projects, a stranger sees it on the public pages, and the audit log and the fund's ledger
//! still verify after the back-dated seeding.

use diesel::prelude::*;
use minyi::db::schema::{ballots as b, candidates as cd, collection_rounds as cr, projects as pr};

use crate::helpers::*;

#[actix_web::test]
async fn the_demo_runs_the_year_from_ballots_to_projects_and_its_chains_verify() {
    let app = spawn_app().await;
    let state = app.state.clone();
    let seeded = actix_web::web::block(move || {
        let mut out = Vec::new();
        minyi::demo::seed(&state, &mut out).map(|()| String::from_utf8_lossy(&out).to_string())
    })
    .await
    .expect("seeding thread");
    let out = seeded.expect("the demo seeds");
    assert!(out.contains("seeded 示范镇"), "{out}");

    let (round, state, opened, closed, ballots) = app.with_conn(|c| {
        let (id, state, opened, closed): (
            i64,
            String,
            chrono::NaiveDateTime,
            Option<chrono::NaiveDateTime>,
        ) = cr::table
            .select((
                cr::id,
                cr::state,
                cr::opened_at.assume_not_null(),
                cr::closed_at,
            ))
            .first(c)
            .expect("the demo's round");
        let ballots: i64 = b::table
            .filter(b::round_id.eq(id).and(b::voided_at.is_null()))
            .count()
            .get_result(c)
            .expect("ballots");
        (id, state, opened, closed, ballots)
    });
    assert_eq!(state, "published");
    // Back-dated through the commands: opened months ago, closed after the fortnight.
    let now = minyi::db::now();
    assert!(
        now - opened > chrono::TimeDelta::days(100),
        "opened {opened}"
    );
    let closed = closed.expect("closed");
    assert!(closed > opened && now - closed > chrono::TimeDelta::days(90));
    assert!(
        (60..120).contains(&ballots),
        "{ballots} ballots of 120 households"
    );

    // Candidates sorted from the suggestions: three became projects, the others wait for the
    // council; the shortlist's notice has cleared, so the council may approve one today.
    let (approved, waiting, with_sources) = app.with_conn(|c| {
        let states: Vec<String> = cd::table
            .filter(cd::round_id.eq(round))
            .select(cd::state)
            .load(c)
            .expect("candidates");
        let mut with_sources: Vec<i64> = minyi::db::schema::candidate_suggestions::table
            .select(minyi::db::schema::candidate_suggestions::candidate_id)
            .load(c)
            .expect("sources");
        with_sources.sort_unstable();
        with_sources.dedup();
        let count = |s: &str| states.iter().filter(|x| *x == s).count();
        (count("approved"), count("candidate"), with_sources.len())
    });
    assert_eq!((approved, waiting), (3, 4), "three approved, four waiting");
    assert_eq!(
        with_sources, 7,
        "every candidate has households' suggestions behind it"
    );
    let village = app.with_conn(|c| {
        minyi::villages::store::find_village(c, "taoyuan")
            .expect("query")
            .expect("the demo village")
    });
    let gate = app.with_conn(|c| {
        minyi::notices::store::gate(c, village.id, &format!("round:{round}"), now).expect("gate")
    });
    assert_eq!(gate, minyi::notices::domain::Gate::Cleared);

    // A stranger sees the round's results and a project's sources on the public pages.
    let web = app.browser();
    let results = web.get(&format!("/v/taoyuan/rounds/{round}")).await;
    assert_eq!(results.status, 200);
    assert!(
        results
            .body
            .contains(&format!("<td class=\"num\">{ballots}</td>")),
        "turnout total on the results page"
    );
    let accepted: i64 = app.with_conn(|c| {
        pr::table
            .filter(pr::status.eq("accepted"))
            .select(pr::id)
            .first(c)
            .expect("the accepted project")
    });
    let project = web.get(&format!("/v/taoyuan/projects/{accepted}")).await;
    assert_eq!(project.status, 200);
    assert!(project.body.contains("来源建议") && project.body.contains("水塘护栏"));
    assert!(
        !project.body.contains("临时新增"),
        "sorted from the round, not a temporary addition"
    );

    // Nothing the back-dated seeding wrote breaks the audit chain or the fund's ledger.
    let verdict = app.with_conn(|c| minyi::audit::chain::verify(c).expect("verify"));
    assert!(
        matches!(verdict, minyi::audit::chain::Verdict::Intact { .. }),
        "audit chain: {verdict:?}"
    );
    let ledgers = app.with_conn(|c| {
        minyi::ledger::verify::verify_all(c, &mut std::io::sink()).expect("ledger verify")
    });
    assert!(ledgers, "every fund's chain verifies");
}
