//! Races around closing a collection round: households confirming ballots, clerks typing paper
//! ballots and reconciling them while another clerk closes the round. Whatever the interleaving,
//! nothing is written to a round after its `closed_at`, and what the round publishes is exactly
//! what is stored. Each race runs `race_runs()` times and prints one `RACE …` line.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, TestApp, Village, race_runs, spawn_app};

/// How many households cast (and keep revising) while the round closes.
const HOUSEHOLDS: usize = 12;

struct Round {
    v: Village,
    clerk: Browser,
    id: i64,
    base: String,
}

/// A village with `HOUSEHOLDS` households (PINs 104729…), a clerk, and an open round.
async fn open_round(app: &TestApp, code: &str, double_entry: bool) -> Round {
    let v = app.village(code);
    for n in 0..HOUSEHOLDS {
        app.household(&v, &format!("05{n:02}"), "104729");
    }
    let username = format!("clerk.{code}");
    app.staff(&username, Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&username).await;
    let mut fields = vec![
        ("title", "2027年度征集"),
        ("year", "2027"),
        ("opens_at", "2026-11-01T08:00"),
        ("closes_at", "2099-12-31T18:00"),
        ("min_suggestions", "1"),
        ("max_suggestions", "3"),
        ("categories", "道路交通\n照明\n其他"),
    ];
    if double_entry {
        fields.push(("double_entry", "on"));
    }
    let created = clerk
        .post(&format!("/staff/v/{code}/rounds/new"), &fields)
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let base = created.location.expect("location");
    let id = base
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let opened = clerk
        .post(&format!("{base}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    Round { v, clerk, id, base }
}

async fn signed_in(app: &TestApp, code: &str, number: &str) -> (Browser, String) {
    let browser = app.browser();
    let login = browser
        .post(
            &format!("/v/{code}/login"),
            &[("number", number), ("pin", "104729")],
        )
        .await;
    assert_eq!(login.status, 303, "login of {number}");
    let token = browser.csrf().await;
    (browser, token)
}

/// Rows written to the round after it closed: ballots created or changed, suggestions created,
/// paper typings made. Also checks the round is closed and returns its `closed_at`.
fn written_after_close(app: &TestApp, round: i64) -> i64 {
    use minyi::db::schema::suggestions as sg;
    use minyi::db::schema::{ballots as b, collection_rounds as cr, paper_entries as pe};
    app.with_conn(|c| {
        let closed_at: Option<chrono::NaiveDateTime> = cr::table
            .find(round)
            .select(cr::closed_at)
            .first(c)
            .expect("round");
        let closed_at = closed_at.expect("the round is closed");
        let ballots: i64 = b::table
            .filter(b::round_id.eq(round))
            .filter(b::created_at.gt(closed_at).or(b::updated_at.gt(closed_at)))
            .count()
            .get_result(c)
            .expect("ballots");
        let suggestions: i64 = sg::table
            .inner_join(b::table)
            .filter(b::round_id.eq(round).and(sg::created_at.gt(closed_at)))
            .count()
            .get_result(c)
            .expect("suggestions");
        let typings: i64 = pe::table
            .filter(pe::round_id.eq(round).and(pe::created_at.gt(closed_at)))
            .count()
            .get_result(c)
            .expect("typings");
        ballots + suggestions + typings
    })
}

fn counted_ballots(app: &TestApp, round: i64) -> i64 {
    use minyi::db::schema::ballots as b;
    app.with_conn(|c| {
        b::table
            .filter(b::round_id.eq(round).and(b::voided_at.is_null()))
            .count()
            .get_result(c)
            .expect("count")
    })
}

/// Publishes the round and returns the turnout its results download states.
async fn published_turnout(app: &TestApp, r: &Round) -> i64 {
    let published = r
        .clerk
        .post(&format!("{}/state", r.base), &[("action", "publish")])
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    let json = app
        .browser()
        .get(&format!("/v/{}/rounds/{}/results.json", r.v.code, r.id))
        .await;
    let value: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    value["ballots"].as_i64().expect("ballots")
}

/// One household confirming ballots and revising them again and again until it is refused.
/// Returns the statuses it got.
async fn keep_casting(browser: &Browser, token: &str, code: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for version in 0..30 {
        let expected = version.to_string();
        let title = format!("第{version}次修改");
        let page = browser
            .post_raw(
                &format!("/v/{code}/ballot/confirm"),
                &[
                    ("csrf", token),
                    ("expected_version", &expected),
                    ("category", "照明"),
                    ("title", &title),
                    ("step", "confirm"),
                ],
            )
            .await;
        statuses.push(page.status);
        if page.status != 303 {
            assert!(
                page.body.contains("征集已经截止") || page.body.contains("没有正在征集"),
                "a household is told the round closed: {}",
                page.body
            );
            break;
        }
    }
    statuses
}

#[actix_web::test]
async fn race_close_round_while_ballots_arrive() {
    let app = spawn_app().await;
    let runs = race_runs();
    let mut late = 0;
    for run in 0..runs {
        let code = format!("rb{run}");
        let r = open_round(&app, &code, false).await;
        let mut phones = Vec::new();
        for n in 0..HOUSEHOLDS {
            phones.push(signed_in(&app, &code, &format!("05{n:02}")).await);
        }
        let casting = futures_util::future::join_all(
            phones
                .iter()
                .map(|(browser, token)| keep_casting(browser, token, &code)),
        );
        let closing = async {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(40)).await;
            r.clerk
                .post(&format!("{}/state", r.base), &[("action", "close")])
                .await
        };
        let (statuses, closed) = tokio::join!(casting, closing);
        assert_eq!(closed.status, 303, "{}", closed.body);
        for list in &statuses {
            assert!(
                list.iter().all(|s| *s == 303 || *s == 409),
                "only stored or refused: {list:?}"
            );
        }
        late += written_after_close(&app, r.id);
        let stored = counted_ballots(&app, r.id);
        let cast = statuses.iter().filter(|list| list.first() == Some(&303));
        assert_eq!(
            stored,
            cast.count() as i64,
            "every stored ballot was confirmed"
        );
        assert_eq!(published_turnout(&app, &r).await, stored);
    }
    println!("\nRACE close_round_while_ballots_arrive: runs={runs} late_ballots={late}");
    assert_eq!(late, 0, "ballots written after the round closed");
}

/// A clerk typing one paper ballot per household; with `differ`, every other one differs from
/// what the other typist types. Returns the statuses.
async fn type_all(browser: &Browser, paper_path: &str, differ: bool) -> Vec<u16> {
    let mut statuses = Vec::new();
    for n in 0..HOUSEHOLDS {
        let (number, serial) = (format!("05{n:02}"), format!("P{n}"));
        let title = if differ && n % 2 == 1 {
            "路等"
        } else {
            "路灯"
        };
        let page = browser
            .post(
                paper_path,
                &[
                    ("number", &number),
                    ("serial", &serial),
                    ("category", "照明"),
                    ("title", title),
                ],
            )
            .await;
        statuses.push(page.status);
    }
    statuses
}

/// A clerk reconciling whatever differing typings the list shows, choosing the first typing of
/// each paper, until the round stops taking corrections or `closed` is set. Returns the statuses.
async fn keep_reconciling(
    browser: &Browser,
    base: &str,
    closed: &std::sync::atomic::AtomicBool,
) -> Vec<u16> {
    let path = format!("{base}/reconcile");
    let mut statuses = Vec::new();
    for _ in 0..HOUSEHOLDS * 400 {
        if closed.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let Some(entry) = browser.get(&path).await.field("entry") else {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        };
        let page = browser.post(&path, &[("entry", &entry)]).await;
        statuses.push(page.status);
        if page.status == 409 {
            break;
        }
    }
    statuses
}

/// Two clerks type paper ballots (double entry) and a third reconciles the typings that differ
/// while a fourth keeps trying to close the round: refused while any paper is unsettled, it
/// closes once all are settled, and nothing is written after.
#[actix_web::test]
async fn race_close_round_while_paper_is_entered() {
    let app = spawn_app().await;
    let runs = race_runs();
    let mut late = 0;
    for run in 0..runs {
        let code = format!("rp{run}");
        let r = open_round(&app, &code, true).await;
        let second = format!("clerk2.{code}");
        app.staff(&second, Role::Clerk, Scope::Village(r.v.id));
        let typist = app.browser();
        typist.login_staff(&second).await;
        let closer = format!("clerk3.{code}");
        app.staff(&closer, Role::Clerk, Scope::Village(r.v.id));
        let closing_clerk = app.browser();
        closing_clerk.login_staff(&closer).await;
        let reconciler = app.browser();
        reconciler.login_staff(&closer).await;
        let paper_path = format!("{}/paper", r.base);
        // Every other paper differs between the typists: those wait for reconciliation.
        let first = type_all(&r.clerk, &paper_path, false);
        let second_typing = type_all(&typist, &paper_path, true);
        let closed_flag = std::sync::atomic::AtomicBool::new(false);
        let closing = async {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(40)).await;
            let mut page = None;
            for _ in 0..2000 {
                let tried = closing_clerk
                    .post(&format!("{}/state", r.base), &[("action", "close")])
                    .await;
                let refused = tried.status == 409 && tried.body.contains("不能结束征集");
                page = Some(tried);
                if !refused {
                    break;
                }
                actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            closed_flag.store(true, std::sync::atomic::Ordering::SeqCst);
            page.expect("tried to close")
        };
        let reconciling = keep_reconciling(&reconciler, &r.base, &closed_flag);
        let (one, two, chosen, closed) = tokio::join!(first, second_typing, reconciling, closing);
        assert_eq!(closed.status, 303, "{}", closed.body);
        assert!(
            chosen.iter().all(|s| [303, 404, 409].contains(s)),
            "reconciled, already reconciled, or told the round closed: {chosen:?}"
        );
        for status in one.iter().chain(&two) {
            assert!(
                [200, 409, 422].contains(status),
                "typed, refused or told the round closed: {one:?} {two:?}"
            );
        }
        late += written_after_close(&app, r.id);
        let stored = counted_ballots(&app, r.id);
        assert_eq!(published_turnout(&app, &r).await, stored);
    }
    println!("\nRACE close_round_while_paper_is_entered: runs={runs} late_ballots={late}");
    assert_eq!(late, 0, "paper written after the round closed");
}
