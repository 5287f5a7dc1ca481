//! A stranger checks a notice: the SHA-256 is recomputed from the public page alone (the lines
//! shown under 核验 and the body as shown), for a body with markup, quotes, ampersands and line
//! breaks typed in a browser (CR LF); the period reads as its first and last whole day.

use sha2::{Digest, Sha256};

use crate::helpers::spawn_app;
use crate::notices::clerk;

/// The text of the first element opened by `open` (up to `close`), as a browser shows it.
fn shown(page: &str, open: &str, close: &str) -> String {
    let start = page.find(open).map(|i| i + open.len()).expect(open);
    let end = page[start..].find(close).map(|i| start + i).expect(close);
    unescape(&page[start..end])
}

/// HTML character references back to characters: named (`&amp;` …) and numeric (`&#60;`).
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail
            .find(';')
            .filter(|e| *e <= 10)
            .expect("a character reference");
        let name = &tail[1..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = name
                    .strip_prefix("#x")
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| name.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .expect("a numeric reference");
                char::from_u32(code).expect("a character")
            }
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

#[actix_web::test]
async fn a_stranger_recomputes_the_notice_hash_from_the_public_page() {
    let app = spawn_app().await;
    let v = app.village("nv");
    let b = clerk(&app, &v).await;
    let form = b.get("/staff/v/nv/notices/new").await;
    assert_eq!(form.status, 200);
    let once = form.field("once").unwrap_or_default();
    let body = "一、道路硬化 <b>500</b> 米 & 排水沟\r\n二、预算 “¥60,000” 'A&B'\r\n\r\n村委会";
    let created = b
        .post(
            "/staff/v/nv/notices/new",
            &[
                ("kind", "general"),
                ("title", "村道硬化 <公示> & 说明"),
                ("body", body),
                ("subject", ""),
                ("once", &once),
            ],
        )
        .await;
    let manage = created.location.clone().expect("the new draft's page");
    let id: i64 = manage
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("draft id");
    let published = b
        .post(&format!("/staff/v/nv/notices/{id}/publish"), &[])
        .await;
    assert!(published.status < 400, "publish: {}", published.status);

    // Only the public page, as any visitor gets it.
    let page = app.browser().get(&format!("/v/nv/notices/{id}")).await;
    assert_eq!(page.status, 200);
    let head = shown(&page.body, "<pre class=\"canonical\">", "</pre>");
    let text = shown(&page.body, "<div class=\"notice-body\">", "</div>");
    let hash = shown(&page.body, "<dd class=\"hash\">", "</dd>");
    assert!(head.starts_with("minyi-notice-v1\nvillage: "), "{head}");
    assert!(head.contains("title: 村道硬化 <公示> & 说明"), "{head}");
    assert_eq!(
        text,
        body.replace("\r\n", "\n"),
        "the body as typed, one kind of line break"
    );
    let recomputed = hex::encode(Sha256::digest(format!("{head}\n\n{text}").as_bytes()));
    assert_eq!(recomputed, hash, "the hash from the page alone");

    // The print view shows the same lines under the same hash.
    let print = app
        .browser()
        .get(&format!("/v/nv/notices/{id}/print"))
        .await;
    assert_eq!(
        shown(&print.body, "<pre class=\"canonical\">", "</pre>"),
        head
    );
    assert!(print.body.contains(&hash));

    // The period: its first and last whole day, both included, never "截止 … 00:00".
    let published_on = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let first = published_on + chrono::Days::new(1);
    let last = published_on + chrono::Days::new(7);
    let expected = format!(
        "自 {} 至 {}",
        first.format("%Y年%-m月%-d日"),
        last.format("%Y年%-m月%-d日")
    );
    assert!(page.body.contains(&expected), "the period reads {expected}");
    assert!(!page.body.contains("截止"));
}

#[actix_web::test]
async fn the_print_view_carries_a_stamp_and_signature_area_and_the_supervision_phone() {
    let app = spawn_app().await;
    let v = app.village("np");
    let b = clerk(&app, &v).await;
    let id = crate::notices::published(&app, &v, "路灯安装公示", None, 0);
    let print = |app: &crate::helpers::TestApp| {
        let web = app.browser();
        async move { web.get(&format!("/v/np/notices/{id}/print")).await }
    };
    let before = print(&app).await;
    assert!(before.body.contains("（盖章）") && before.body.contains("负责人签字"));
    assert!(
        !before.body.contains("监督电话"),
        "no phone printed until one is set"
    );

    // A number that is not one comes back in its field with the reason; nothing is stored.
    let refused = b
        .post("/staff/v/np/notices/phone", &[("phone", "=HYPERLINK(1)")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("value=\"=HYPERLINK(1)\""),
        "the typed text is kept"
    );
    assert!(refused.body.contains("至少 5 位数字"));
    let stored = |app: &crate::helpers::TestApp| {
        app.with_conn(|c| minyi::villages::store::supervision_phone(c, v.id).expect("phone"))
    };
    assert_eq!(stored(&app), "");

    let saved = b
        .post(
            "/staff/v/np/notices/phone",
            &[("phone", " 0571-8888 1234 ")],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(stored(&app), "0571-8888 1234");
    let after = print(&app).await;
    assert!(
        after.body.contains("监督电话：0571-8888 1234"),
        "the phone is printed"
    );
    let settings = b.get("/staff/v/np/notices/periods").await;
    assert!(settings.body.contains("value=\"0571-8888 1234\""));
    assert!(
        app.audit_actions()
            .iter()
            .any(|(action, _, _)| action == "village.supervision_phone"),
        "the change is audited"
    );
}

/// `000036_collection_result_notices` rebuilds `notices` on SQLite (a CHECK cannot be altered):
/// run down and up again over published notices, every row and hash is kept and a published
/// notice still refuses changes and deletion; going down is refused while a results notice exists.
#[actix_web::test]
async fn the_collection_result_migration_keeps_every_notice_and_its_guards() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    let v = app.village("nm");
    let first = crate::notices::published(&app, &v, "修路公示", None, 3);
    let second = crate::notices::published(&app, &v, "路灯公示", Some("project:1"), 0);
    let rows = |c: &mut minyi::db::DbConn| -> Vec<(i64, String, Option<String>)> {
        use minyi::db::schema::notices as n;
        n::table
            .select((n::id, n::title, n::content_hash))
            .order(n::id)
            .load(c)
            .expect("notices")
    };
    let before = app.with_conn(rows);
    assert_eq!(before.len(), 2);
    app.with_conn(|c| {
        let mut reverted = Vec::new();
        while !reverted.iter().any(|n: &String| n.contains("000036")) {
            reverted.push(minyi::db::migrations::revert_last(c).expect("down"));
        }
        assert_eq!(rows(c), before, "down kept the notices ({reverted:?})");
        minyi::db::migrations::run_pending(c).expect("up again");
        assert_eq!(rows(c), before, "up kept the notices and their hashes");
    });
    for (sql, message) in [
        (
            format!("UPDATE notices SET title = 'x' WHERE id = {first}"),
            "notices: published notices are immutable",
        ),
        (
            format!("DELETE FROM notices WHERE id = {second}"),
            "notices: published notices are immutable",
        ),
    ] {
        let refused = app.with_conn(|c| diesel::sql_query(&sql).execute(c));
        let refused = refused.expect_err("a published notice never changes");
        assert!(refused.to_string().contains(message), "{sql}: {refused}");
    }
    // With a results notice on record, going down is refused and nothing is lost.
    app.with_conn(|c| {
        let draft = minyi::notices::store::Draft {
            village_id: v.id,
            kind: minyi::notices::domain::Kind::CollectionResult,
            title: "征集结果公示",
            body: "合计",
            subject: Some("results:1"),
            supersedes: None,
            created_by: before_author(c),
        };
        minyi::notices::store::create_published(c, &draft, minyi::db::now()).expect("posted");
        let mut result = Ok(String::new());
        while result.as_ref().is_ok_and(|n| !n.contains("000036")) {
            result = minyi::db::migrations::revert_last(c);
        }
        assert!(result.is_err(), "going down would lose the results notice");
        minyi::db::migrations::run_pending(c).expect("up again");
        assert_eq!(rows(c).len(), 3);
    });
}

fn before_author(c: &mut minyi::db::DbConn) -> i64 {
    use diesel::prelude::*;
    use minyi::db::schema::notices as n;
    n::table.select(n::created_by).first(c).expect("an author")
}
