//! Publishing a round's results posts them on the notice board (征集结果公示): one notice in the
//! publishing transaction, with turnout per group, suggestions per category, the roll's
//! fingerprint and every counted receipt code, printable on A4 with its QR code and hash; a
//! replayed publish posts no second notice, and clerks cannot write such a notice by hand.

use diesel::prelude::*;
use minyi::db::schema::notices as n;

use crate::collection::{confirm, household, open_round, receipt_on};

#[actix_web::test]
async fn publishing_the_results_posts_them_on_the_notice_board_once() {
    let s = open_round("cr", false).await;
    let one = household(&s.app, "cr", "0101", "104729").await;
    let two = household(&s.app, "cr", "0102", "104730").await;
    confirm(&one, "cr", "村口装路灯", "0").await;
    confirm(&two, "cr", "修村道", "0").await;
    let codes = [
        receipt_on(&one.get("/v/cr/receipt").await.body),
        receipt_on(&two.get("/v/cr/receipt").await.body),
    ];
    let base = format!("/staff/v/cr/rounds/{}", s.round);
    let state = |action: &'static str| {
        let (clerk, path) = (&s.clerk, format!("{base}/state"));
        async move { clerk.post(&path, &[("action", action)]).await }
    };
    assert_eq!(state("close").await.status, 303);
    let notices = |s: &crate::collection::Setup| {
        s.app.with_conn(|c| {
            n::table
                .filter(n::kind.eq("collection_result"))
                .select((n::id, n::title, n::body, n::subject, n::state))
                .load::<(i64, String, String, Option<String>, String)>(c)
                .expect("notices")
        })
    };
    assert!(notices(&s).is_empty(), "closing posts nothing yet");

    assert_eq!(state("publish").await.status, 303);
    let posted = notices(&s);
    assert_eq!(posted.len(), 1, "one results notice");
    let (id, title, body, subject, notice_state) = posted[0].clone();
    assert_eq!(title, "2027年度征集 征集结果公示");
    assert_eq!(
        subject.as_deref(),
        Some(format!("results:{}", s.round).as_str())
    );
    assert_eq!(notice_state, "published");
    assert!(
        body.contains("合计：在册 3 户，投票 2 户，66.7%；作废 0 张。"),
        "{body}"
    );
    assert!(body.contains("照明：2 条"), "{body}");
    for code in &codes {
        assert!(body.contains(code.as_str()), "receipt {code} listed");
    }
    let roll_hash: String = s.app.with_conn(|c| {
        minyi::db::schema::collection_rounds::table
            .find(s.round)
            .select(minyi::db::schema::collection_rounds::roll_hash.assume_not_null())
            .first(c)
            .expect("roll hash")
    });
    assert!(body.contains(&roll_hash), "the roll's fingerprint");
    let audit = s.app.audit_actions();
    assert!(
        audit
            .iter()
            .any(|(a, subj, _)| a == "round.publish" && *subj == format!("round:{}", s.round)),
        "the publish is audited"
    );

    // On the public board, printable on A4 with the QR code and the hash.
    let anon = s.app.browser();
    let board = anon.get("/v/cr/notices?kind=collection_result").await;
    assert!(board.body.contains("2027年度征集 征集结果公示"));
    let print = anon.get(&format!("/v/cr/notices/{id}/print")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("<svg") && print.body.contains("notice-body tabular"));
    assert!(print.body.contains(codes[0].as_str()));

    // A replayed publish is refused and posts nothing more.
    assert_eq!(state("publish").await.status, 409);
    assert_eq!(notices(&s).len(), 1);

    // The clerk's notice form offers no such kind, and a forged one is refused.
    let form = s.clerk.get("/staff/v/cr/notices/new").await;
    assert!(!form.body.contains("value=\"collection_result\""));
    let forged = s
        .clerk
        .post(
            "/staff/v/cr/notices/new",
            &[
                ("kind", "collection_result"),
                ("title", "假的结果公示"),
                ("body", "全部通过"),
                ("subject", ""),
                ("once", ""),
            ],
        )
        .await;
    assert_eq!(forged.status, 422);
    assert_eq!(notices(&s).len(), 1);
}

/// What households typed goes into the public results CSV spreadsheet-safe: a cell starting
/// with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet shows it as text.
#[actix_web::test]
async fn the_results_csv_neutralises_formulas_households_typed() {
    let s = open_round("cs", false).await;
    let one = household(&s.app, "cs", "0101", "104729").await;
    let two = household(&s.app, "cs", "0102", "104730").await;
    confirm(&one, "cs", "=HYPERLINK(\"http://x\",\"点我\")", "0").await;
    confirm(&two, "cs", "@SUM(A1:A9)", "0").await;
    let base = format!("/staff/v/cs/rounds/{}", s.round);
    assert_eq!(
        s.clerk
            .post(&format!("{base}/state"), &[("action", "close")])
            .await
            .status,
        303
    );
    let csv = s
        .app
        .browser()
        .get(&format!("/v/cs/rounds/{}/results.csv", s.round))
        .await
        .body;
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(A1:A9)"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
}
