//! Nobody can find out how a household rated: the answers table has no household column, no
//! integer or autoincrement id, no rowid and no time of day; no table references an answer;
//! answer ids do not follow the order households answered in; the audit log and the exports
//! carry no answer of a household. And one response per household: double submit, replay and
//! a race of many submissions store one participation and one set of answers.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::race_runs;
use crate::reviews::{confirm, fields, open_review, phone, stored};

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName, Debug)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[actix_web::test]
async fn no_table_or_column_links_an_answer_to_a_household() {
    let s = open_review("ra1", 12).await;
    // Households answer in the order of their numbers, each comment marking its place.
    for n in 1..=12 {
        let b = phone(&s.app, "ra1", &format!("01{n:02}")).await;
        let owned = fields(&s.items, &["satisfied", "basic"]);
        let mut form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let key = format!("comment-{}", s.items[0]);
        let mark = format!("{n:02}");
        form.push((&key, &mark));
        form.push(("step", "confirm"));
        assert_eq!(b.post("/v/ra1/review/confirm", &form).await.status, 303);
    }
    let (columns, referencing, rowid) = s.app.with_conn(|c| {
        let sqlite = matches!(c, minyi::db::DbConn::Sqlite(_));
        let columns: Vec<Column> = if sqlite {
            diesel::sql_query("SELECT name, type AS kind FROM pragma_table_info('review_answers')")
                .load(c)
                .expect("columns")
        } else {
            diesel::sql_query(
                "SELECT column_name::text AS name, (data_type || ' ' || COALESCE(column_default, '') || ' ' || is_identity)::text AS kind \
                 FROM information_schema.columns WHERE table_name = 'review_answers'",
            )
            .load(c)
            .expect("columns")
        };
        let referencing: Vec<String> = if sqlite {
            diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'review_answers' \
                 AND sql LIKE '%REFERENCES review_answers%'",
            )
            .load::<Name>(c)
            .expect("tables")
        } else {
            diesel::sql_query(
                "SELECT tc.table_name::text AS name FROM information_schema.table_constraints tc \
                 JOIN information_schema.constraint_column_usage u ON u.constraint_name = tc.constraint_name \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND u.table_name = 'review_answers'",
            )
            .load::<Name>(c)
            .expect("references")
        }
        .into_iter()
        .map(|n| n.name)
        .collect();
        // SQLite: a WITHOUT ROWID table has no hidden insertion counter.
        let rowid = sqlite
            && diesel::sql_query("SELECT rowid AS name FROM review_answers")
                .load::<Name>(c)
                .is_ok();
        (columns, referencing, rowid)
    });
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 5, "{columns:?}");
    for wanted in ["id", "item_id", "rating", "comment", "answered_on"] {
        assert!(names.contains(&wanted), "{columns:?}");
    }
    for c in &columns {
        let kind = c.kind.to_lowercase();
        assert!(!c.name.contains("household"), "{c:?}");
        assert!(!kind.contains("time"), "no time of day: {c:?}");
        assert!(
            !kind.contains("nextval") && !kind.contains("yes") && !kind.contains("autoincrement"),
            "{c:?}"
        );
        if c.name == "id" {
            assert!(kind.contains("text"), "the id is random text: {c:?}");
        }
    }
    assert!(referencing.is_empty(), "{referencing:?}");
    assert!(!rowid, "review_answers must be WITHOUT ROWID");

    // Ids are 32 hex digits and their order is not the order households answered in.
    let marks: Vec<(String, Option<String>)> = s.app.with_conn(|c| {
        use minyi::db::schema::review_answers as ra;
        ra::table
            .filter(ra::item_id.eq(s.items[0]))
            .order(ra::id)
            .select((ra::id, ra::comment))
            .load(c)
            .expect("answers")
    });
    assert_eq!(marks.len(), 12);
    assert!(
        marks
            .iter()
            .all(|(id, _)| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    let order: Vec<String> = marks.iter().filter_map(|(_, m)| m.clone()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_ne!(order, sorted, "answer ids follow the households' order");
    let mut reversed = sorted.clone();
    reversed.reverse();
    assert_ne!(order, reversed);

    // After the close, the rows as stored (no ORDER BY) follow the random ids, not the order
    // the households answered in: on PostgreSQL the close rewrites the heap in id order.
    let closed = s
        .clerk
        .post(&format!("{}/state", s.base), &[("action", "close")])
        .await;
    assert_eq!(closed.status, 303);
    let stored_order: Vec<String> = s.app.with_conn(|c| {
        diesel::sql_query("SELECT id AS name FROM review_answers")
            .load::<Name>(c)
            .expect("answers as stored")
            .into_iter()
            .map(|n| n.name)
            .collect()
    });
    let mut by_id = stored_order.clone();
    by_id.sort();
    assert_eq!(stored_order, by_id, "stored in the order of the random ids");

    // The audit log says who took part, never what.
    let details: Vec<String> = s.app.with_conn(|c| {
        use minyi::db::schema::audit_events as ae;
        ae::table
            .filter(ae::action.eq("review.respond"))
            .select(ae::detail)
            .load(c)
            .expect("audit")
    });
    assert_eq!(details.len(), 12);
    for d in &details {
        for word in ["satisfied", "basic", "unknown", "rating", "comment"] {
            assert!(!d.contains(word), "{d}");
        }
    }
}

#[actix_web::test]
async fn the_exports_let_anyone_recompute_every_rate_and_carry_no_household() {
    let s = open_review("re1", 3).await;
    for (n, r) in [
        ("0101", "dissatisfied"),
        ("0102", "satisfied"),
        ("0103", "unknown"),
    ] {
        let b = phone(&s.app, "re1", n).await;
        assert_eq!(
            confirm(&b, "/v/re1", &s.items, &[r, "=cmd"]).await.status,
            422,
            "a bad rating is refused"
        );
        assert_eq!(
            confirm(&b, "/v/re1", &s.items, &[r, "basic"]).await.status,
            303
        );
    }
    for action in ["close", "publish"] {
        let moved = s
            .clerk
            .post(&format!("{}/state", s.base), &[("action", action)])
            .await;
        assert_eq!(moved.status, 303, "{action}: {}", moved.body);
    }
    let base = format!("/v/re1/reviews/{}", s.review);
    let csv = s.app.browser().get(&format!("{base}/counts.csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(csv.body.contains(
        "item,kind,title,satisfied,basic,dissatisfied,unknown,valid,favourable,rate,flagged"
    ));
    assert!(
        csv.body
            .contains("1,free,村务公开工作,1,0,1,1,2,1,50.0%,false"),
        "{}",
        csv.body
    );
    let json = s.app.browser().get(&format!("{base}/counts.json")).await;
    let parsed: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(parsed["responses"], 3);
    assert_eq!(parsed["items"][1]["basic"], 3);
    let answers = s.app.browser().get(&format!("{base}/answers.csv")).await;
    assert_eq!(answers.status, 200);
    let lines: Vec<&str> = answers.body.lines().collect();
    assert_eq!(lines.len(), 1 + 6, "{}", answers.body);
    assert!(!answers.body.contains("0101"));
}

#[actix_web::test]
async fn a_household_responds_once_double_submit_and_replay_included() {
    let s = open_review("rd1", 1).await;
    let b = phone(&s.app, "rd1", "0101").await;
    let first = confirm(&b, "/v/rd1", &s.items, &["satisfied", "basic"]).await;
    assert_eq!(first.status, 303);
    // The phone stays signed in: the same form again (double click, back button, replay).
    let second = confirm(&b, "/v/rd1", &s.items, &["dissatisfied", "dissatisfied"]).await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(second.body.contains("已经评议过了"));
    assert_eq!(stored(&s.app, s.review), (1, 2));
}

#[actix_web::test]
async fn race_one_response_per_household() {
    const CLIENTS: usize = 8;
    let runs = race_runs();
    let mut extra = 0;
    for run in 0..runs {
        let code = format!("rx{run}");
        let s = open_review(&code, 1).await;
        let mut browsers = Vec::new();
        for _ in 0..CLIENTS {
            browsers.push(phone(&s.app, &code, "0101").await);
        }
        let base = format!("/v/{code}");
        let sends = browsers
            .iter()
            .map(|b| confirm(b, &base, &s.items, &["satisfied", "dissatisfied"]));
        let answers = futures_util::future::join_all(sends).await;
        let accepted = answers.iter().filter(|p| p.status == 303).count();
        assert!(
            answers.iter().all(|p| p.status == 303 || p.status == 409),
            "no 5xx"
        );
        let (participations, stored_answers) = stored(&s.app, s.review);
        assert_eq!(accepted, 1, "exactly one submission is accepted");
        assert_eq!((participations, stored_answers), (1, 2));
        extra += participations - 1;
    }
    println!("RACE race_one_response_per_household: runs={runs} extra={extra}");
}
