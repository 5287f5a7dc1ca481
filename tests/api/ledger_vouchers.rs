//! Integration tests: vouchers of ledger entries. The clerk attaches a voucher (checked by its
//! content) to a pending entry; the supervisor sees it on the verification page and opens it;
//! it is never served publicly; once the entry is posted no voucher is added (409). At each
//! month end the statement of the month is drafted as a notice, once.

use crate::helpers::Browser;
use crate::ledger::world;

const BOUNDARY: &str = "----minyi-voucher-boundary";

fn multipart(token: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(b: &Browser, path: &str, file_name: &str, bytes: &[u8]) -> u16 {
    let token = b.csrf().await;
    b.client
        .post(format!("{}{path}", b.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&token, file_name, bytes))
        .send()
        .await
        .expect("POST")
        .status()
        .as_u16()
}

#[actix_web::test]
async fn a_voucher_goes_with_its_pending_entry_to_the_verifier_and_never_to_the_public() {
    let w = world("lv1").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    let recorded = w.record("expense", "付-1", "100", Some(w.project)).await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let entry = w.entry("付-1");
    let path = format!("{}/entries/{entry}/vouchers", w.fund_path());
    let png = b"\x89PNG\r\n\x1a\n a scanned invoice";
    assert_eq!(upload(&w.clerk, &path, "发票.png", png).await, 303);
    assert_eq!(
        upload(&w.clerk, &path, "not-an-image.png", b"just some text").await,
        422,
        "the type is read from the content"
    );
    assert_eq!(
        upload(&w.sup, &path, "发票.png", png).await,
        403,
        "the supervisor verifies, the clerk records"
    );
    let attachment: i64 = w.app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::ledger_vouchers as lv;
        lv::table
            .filter(lv::entry_id.eq(entry))
            .select(lv::attachment_id)
            .first(c)
            .expect("the voucher's link")
    });
    let verify = w.sup.get(&format!("{}/verify", w.fund_path())).await;
    assert!(verify.body.contains("发票.png"), "{}", verify.body);
    let served = w
        .sup
        .get(&format!("{}/vouchers/{attachment}", w.fund_path()))
        .await;
    assert_eq!(served.status, 200);
    assert_eq!(
        served
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("private, no-store")
    );
    let public = w
        .app
        .browser()
        .get(&format!("/v/lv1/attachments/{attachment}"))
        .await;
    assert_eq!(public.status, 404, "a voucher is never public");
    let posted = w.post_as(&w.sup, "付-1").await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    assert_eq!(
        upload(&w.clerk, &path, "补充.png", png).await,
        409,
        "a posted entry's vouchers never change"
    );
    assert!(
        w.app
            .audit_actions()
            .iter()
            .any(|a| a.0 == "ledger.voucher")
    );
}

#[actix_web::test]
async fn a_statement_is_drafted_once_when_a_month_ends() {
    use diesel::prelude::*;
    use minyi::db::schema::notices as n;
    let w = world("lm1").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    let url = |code: &str, fund: i64| format!("https://村务.example/v/{code}/funds/{fund}");
    // The 2nd of April: March has ended.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 4, 2).expect("date");
    let drafted = w.app.with_conn(|c| {
        minyi::ledger::statement::draft_month_end(c, today, &url).expect("month end")
    });
    assert_eq!(drafted, 1, "one fund, one statement");
    let again = w.app.with_conn(|c| {
        minyi::ledger::statement::draft_month_end(c, today, &url).expect("month end")
    });
    assert_eq!(again, 0, "the next pass finds the draft");
    let (kind, state, title, body): (String, String, String, String) = w.app.with_conn(|c| {
        n::table
            .filter(n::subject.eq(format!("fund:{}:2026-03", w.fund)))
            .select((n::kind, n::state, n::title, n::body))
            .first(c)
            .expect("the statement")
    });
    assert_eq!((kind.as_str(), state.as_str()), ("fund_statement", "draft"));
    assert!(title.contains("2026年3月"), "{title}");
    assert!(
        body.contains("¥10,000.00") && body.contains("壹万元整"),
        "figures in numbers and in 金额大写: {body}"
    );
    assert!(body.contains(&format!("https://村务.example/v/lm1/funds/{}", w.fund)));
}

/// The township auditor opens an entry's voucher from the fund page; each opening is audited.
/// An auditor of another township, or an id that is not this fund's voucher, gets 404.
#[actix_web::test]
async fn the_township_auditor_opens_vouchers_and_each_opening_is_audited() {
    use minyi::accounts::domain::{Role, Scope};
    let w = world("lv3").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    w.record("expense", "付-1", "100", Some(w.project)).await;
    let entry = w.entry("付-1");
    let path = format!("{}/entries/{entry}/vouchers", w.fund_path());
    let png = b"\x89PNG\r\n\x1a\n the contractor's invoice";
    assert_eq!(upload(&w.clerk, &path, "施工发票.png", png).await, 303);
    let attachment: i64 = w.app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::ledger_vouchers as lv;
        lv::table
            .filter(lv::entry_id.eq(entry))
            .select(lv::attachment_id)
            .first(c)
            .expect("the voucher's link")
    });
    w.app
        .staff("aud.lv3", Role::Auditor, Scope::Township(w.v.township_id));
    let auditor = w.app.browser();
    auditor.login_staff("aud.lv3").await;
    let voucher = format!("/staff/ledger/funds/{}/vouchers/{attachment}", w.fund);
    let page = auditor
        .get(&format!("/staff/ledger/funds/{}", w.fund))
        .await;
    assert!(
        page.body.contains(&format!("href=\"{voucher}\"")) && page.body.contains("施工发票.png"),
        "the fund page links the voucher: {}",
        page.body
    );
    let before = w.app.audit_actions().len();
    let served = auditor.get(&voucher).await;
    assert_eq!(served.status, 200);
    assert!(served.body.contains("the contractor's invoice"));
    assert_eq!(
        served
            .headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("private, no-store")
    );
    let actions = w.app.audit_actions();
    assert_eq!(actions.len(), before + 1);
    assert!(
        actions.iter().any(|a| a.0 == "ledger.voucher_read"),
        "{actions:?}"
    );
    let not_a_voucher = auditor
        .get(&format!(
            "/staff/ledger/funds/{}/vouchers/{}",
            w.fund,
            attachment + 1000
        ))
        .await;
    assert_eq!(not_a_voucher.status, 404);
    // An auditor of another township does not see this fund at all.
    let other = w
        .app
        .with_conn(|c| minyi::villages::store::create_township(c, "t2", "别镇").expect("township"));
    w.app
        .staff("aud.lv3b", Role::Auditor, Scope::Township(other));
    let stranger = w.app.browser();
    stranger.login_staff("aud.lv3b").await;
    let signed_in = w.app.audit_actions();
    assert_eq!(stranger.get(&voucher).await.status, 404);
    assert!(
        !w.app.audit_actions()[signed_in.len()..]
            .iter()
            .any(|a| a.0 == "ledger.voucher_read"),
        "a refusal opens nothing"
    );
}
