//! Integration tests: collection rounds, one ballot per household, results. Paper ballots and
//! sites are in `collection_paper.rs`.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::collection::domain::roll_hash;

use crate::helpers::{Browser, Page, TestApp, Village, spawn_app};

pub(crate) struct Setup {
    pub(crate) app: TestApp,
    pub(crate) v: Village,
    pub(crate) clerk: Browser,
    pub(crate) round: i64,
}

/// A village with three households, a clerk, and a round the clerk created and opened.
pub(crate) async fn open_round(code: &str, double_entry: bool) -> Setup {
    let app = spawn_app().await;
    let v = app.village(code);
    for (n, pin) in [("0101", "104729"), ("0102", "104730"), ("0103", "104731")] {
        app.household(&v, n, pin);
    }
    app.staff(&format!("clerk.{code}"), Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff(&format!("clerk.{code}")).await;
    let round = create_and_open(&clerk, code, double_entry).await;
    Setup {
        app,
        v,
        clerk,
        round,
    }
}

/// A round the signed-in `clerk` creates in village `code` and opens; its id.
pub(crate) async fn create_and_open(clerk: &Browser, code: &str, double_entry: bool) -> i64 {
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
    let location = created.location.expect("location");
    let round: i64 = location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("round id");
    let opened = clerk
        .post(&format!("{location}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    round
}

pub(crate) async fn household(app: &TestApp, code: &str, number: &str, pin: &str) -> Browser {
    let browser = app.browser();
    let login = browser
        .post(
            &format!("/v/{code}/login"),
            &[("number", number), ("pin", pin)],
        )
        .await;
    assert_eq!(login.status, 303, "login of {number}");
    browser
}

/// Confirms a one-suggestion ballot made from version `expected`.
pub(crate) async fn confirm(browser: &Browser, code: &str, title: &str, expected: &str) -> Page {
    browser
        .post(
            &format!("/v/{code}/ballot/confirm"),
            &[
                ("expected_version", expected),
                ("category", "照明"),
                ("title", title),
                ("details", ""),
                ("place", "村口"),
                ("cost", "3000"),
                ("step", "confirm"),
            ],
        )
        .await
}

pub(crate) fn ballots(
    app: &TestApp,
    round: i64,
) -> Vec<(i64, String, i32, Option<chrono::NaiveDateTime>)> {
    use minyi::db::schema::ballots::dsl as b;
    app.with_conn(|c| {
        b::ballots
            .filter(b::round_id.eq(round))
            .select((b::household_id, b::channel, b::version, b::voided_at))
            .order(b::id)
            .load(c)
            .expect("ballots")
    })
}

pub(crate) fn receipt_on(body: &str) -> String {
    let marker = "class=\"receipt-code\">";
    let start = body.find(marker).expect("a receipt code") + marker.len();
    body[start..start + 9].to_string()
}

#[actix_web::test]
async fn opening_freezes_the_roll_and_publishes_its_fingerprint() {
    let s = open_round("c1", false).await;
    let round = s.app.with_conn(|c| {
        minyi::collection::store::get(c, s.v.id, s.round)
            .expect("query")
            .expect("round")
    });
    assert_eq!(round.roll_size, Some(3));
    let expected = roll_hash(&["0101".into(), "0102".into(), "0103".into()]);
    assert_eq!(round.roll_hash.as_deref(), Some(expected.as_str()));
    let anon = s.app.browser();
    let roll = anon
        .get(&format!("/v/c1/rounds/{}/roll.txt", s.round))
        .await;
    assert_eq!(roll.body, "0101\n0102\n0103\n");
    let page = anon.get(&format!("/v/c1/rounds/{}", s.round)).await;
    assert!(page.body.contains(&expected));
    assert!(
        page.body.contains("征集结束前不公开"),
        "nothing of the contents while open"
    );
    let again = s
        .clerk
        .post(
            &format!("/staff/v/c1/rounds/{}/state", s.round),
            &[("action", "open")],
        )
        .await;
    assert_eq!(again.status, 409, "a round opens once");
    let publish = s
        .clerk
        .post(
            &format!("/staff/v/c1/rounds/{}/state", s.round),
            &[("action", "publish")],
        )
        .await;
    assert_eq!(publish.status, 409, "an open round cannot be published");
}

#[actix_web::test]
async fn a_household_previews_confirms_gets_a_receipt_and_may_revise() {
    let s = open_round("c2", false).await;
    let phone = household(&s.app, "c2", "0101", "104729").await;
    let form = phone.get("/v/c2/ballot").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("第 3 条建议"),
        "as many rows as the round allows"
    );
    let preview = phone
        .post(
            "/v/c2/ballot",
            &[
                ("expected_version", "0"),
                ("category", "照明"),
                ("title", "村口装路灯"),
                ("details", ""),
                ("place", "村口"),
                ("cost", "3,000"),
                ("step", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("¥3,000.00"));
    let done = confirm(&phone, "c2", "村口装路灯", "0").await;
    assert_eq!(done.status, 303, "{}", done.body);
    let receipt = phone.get("/v/c2/receipt").await;
    let code = receipt_on(&receipt.body);
    let revised = confirm(&phone, "c2", "村口装两盏路灯", "1").await;
    assert_eq!(revised.status, 303);
    let rows = ballots(&s.app, s.round);
    assert_eq!(rows.len(), 1, "still one ballot");
    assert_eq!(rows[0].2, 2, "the last version counts");
    assert_eq!(
        receipt_on(&phone.get("/v/c2/receipt").await.body),
        code,
        "the receipt stays"
    );
    let home = phone.get("/v/c2/me").await;
    assert!(home.body.contains(&code));
}

#[actix_web::test]
async fn a_replayed_confirmation_is_told_why_and_stores_nothing() {
    let s = open_round("c4", false).await;
    let phone = household(&s.app, "c4", "0101", "104729").await;
    assert_eq!(confirm(&phone, "c4", "修桥", "0").await.status, 303);
    let replay = confirm(&phone, "c4", "修桥", "0").await;
    assert_eq!(replay.status, 409);
    assert!(replay.body.contains("已经记下了"));
    assert!(
        replay.body.contains("receipt-code"),
        "the receipt is shown again"
    );
    assert_eq!(ballots(&s.app, s.round).len(), 1);
}

#[actix_web::test]
async fn bad_ballots_get_messages_and_store_nothing() {
    let s = open_round("c5", false).await;
    let phone = household(&s.app, "c5", "0101", "104729").await;
    let long = "长".repeat(61);
    let page = phone
        .post(
            "/v/c5/ballot/confirm",
            &[
                ("expected_version", "0"),
                ("category", "火箭"),
                ("title", &long),
                ("details", ""),
                ("place", ""),
                ("cost", "abc"),
                ("step", "confirm"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("请从列表中选择一个类别"));
    assert!(page.body.contains("建议最多 60 个字"));
    assert!(page.body.contains("费用请填数字"));
    assert!(page.body.contains("value=\"abc\""), "typed values are kept");
    let empty = phone
        .post(
            "/v/c5/ballot/confirm",
            &[("expected_version", "0"), ("step", "confirm")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("建议条数太少"));
    assert!(ballots(&s.app, s.round).is_empty());
}

#[actix_web::test]
async fn a_late_household_votes_only_once_a_clerk_adds_it_with_a_reason() {
    let s = open_round("c6", false).await;
    s.app.household(&s.v, "0199", "104799");
    let phone = household(&s.app, "c6", "0199", "104799").await;
    let refused = confirm(&phone, "c6", "修路", "0").await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("不在本轮的名册上"));
    let base = format!("/staff/v/c6/rounds/{}", s.round);
    let no_reason = s
        .clerk
        .post(
            &format!("{base}/roll"),
            &[("number", "0199"), ("reason", "")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    let added = s
        .clerk
        .post(
            &format!("{base}/roll"),
            &[("number", "0199"), ("reason", "十一月新分户")],
        )
        .await;
    assert_eq!(added.status, 303);
    let again = s
        .clerk
        .post(
            &format!("{base}/roll"),
            &[("number", "0199"), ("reason", "十一月新分户")],
        )
        .await;
    assert_eq!(again.status, 409, "added once");
    assert!(again.body.contains("这户已经在名册上"), "{}", again.body);
    assert_eq!(confirm(&phone, "c6", "修路", "0").await.status, 303);
    let round = s.app.with_conn(|c| {
        minyi::collection::store::get(c, s.v.id, s.round)
            .expect("q")
            .expect("round")
    });
    assert_eq!(
        round.roll_size,
        Some(3),
        "the frozen roll's size and hash do not change"
    );
}

#[actix_web::test]
async fn a_voided_ballot_lets_the_household_vote_again_and_is_counted_as_voided() {
    let s = open_round("c9", false).await;
    let phone = household(&s.app, "c9", "0101", "104729").await;
    assert_eq!(confirm(&phone, "c9", "第一次", "0").await.status, 303);
    let base = format!("/staff/v/c9/rounds/{}", s.round);
    let without = s
        .clerk
        .post(
            &format!("{base}/void"),
            &[("number", "0101"), ("reason", "")],
        )
        .await;
    assert_eq!(without.status, 422, "a reason is required");
    let voided = s
        .clerk
        .post(
            &format!("{base}/void"),
            &[("number", "0101"), ("reason", "户主称系他人代投")],
        )
        .await;
    assert_eq!(voided.status, 303);
    // The household is told at its next visit, with the reason; the clerk sees the list.
    let home = phone.get("/v/c9/me").await;
    assert!(
        home.body.contains("被作废") && home.body.contains("户主称系他人代投"),
        "{}",
        home.body
    );
    let clerk_page = s.clerk.get(&base).await;
    assert!(
        clerk_page.body.contains("id=\"voids\"")
            && clerk_page.body.contains("户主称系他人代投")
            && clerk_page.body.contains("<td>0101</td>"),
        "{}",
        clerk_page.body
    );
    assert_eq!(confirm(&phone, "c9", "第二次", "0").await.status, 303);
    let home = phone.get("/v/c9/me").await;
    assert!(
        !home.body.contains("被作废"),
        "told only while nothing counts"
    );
    let rows = ballots(&s.app, s.round);
    assert_eq!(rows.len(), 2);
    assert!(rows[0].3.is_some() && rows[1].3.is_none());
    assert!(s.app.audit_actions().iter().any(|a| a.0 == "ballot.void"));
    s.clerk
        .post(&format!("{base}/state"), &[("action", "close")])
        .await;
    // Once closed, a void (or any correction) is refused with a sentence and changes nothing.
    let late = s
        .clerk
        .post(
            &format!("{base}/void"),
            &[("number", "0101"), ("reason", "截止后才发现问题")],
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(
        late.body.contains("只有征集中的轮次才能这样操作"),
        "{}",
        late.body
    );
    assert_eq!(
        ballots(&s.app, s.round),
        rows,
        "nothing voided after closing"
    );
    let public = s
        .app
        .browser()
        .get(&format!("/v/c9/rounds/{}", s.round))
        .await;
    assert!(public.body.contains("作废 1 张"));
    assert!(public.body.contains("第二次") && !public.body.contains("第一次"));
    assert!(
        public.body.contains("户主称系他人代投：1 张") && !public.body.contains("0101"),
        "voids are counted by reason in public, no household named: {}",
        public.body
    );
}

#[actix_web::test]
async fn closed_rounds_take_no_ballots_and_publish_their_results() {
    let s = open_round("ca", false).await;
    let one = household(&s.app, "ca", "0101", "104729").await;
    let two = household(&s.app, "ca", "0102", "104730").await;
    confirm(&one, "ca", "村口装路灯", "0").await;
    confirm(&two, "ca", "修村道", "0").await;
    let code = receipt_on(&one.get("/v/ca/receipt").await.body);
    let base = format!("/staff/v/ca/rounds/{}", s.round);
    assert_eq!(
        s.clerk
            .post(&format!("{base}/state"), &[("action", "close")])
            .await
            .status,
        303
    );
    let late = household(&s.app, "ca", "0103", "104731").await;
    let refused = confirm(&late, "ca", "太晚了", "0").await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("征集已经截止") || refused.body.contains("没有正在征集"));

    let anon = s.app.browser();
    let page = anon.get(&format!("/v/ca/rounds/{}", s.round)).await;
    assert!(page.body.contains(&code));
    assert!(page.body.contains("66.7%"), "2 of 3 households");
    assert!(!page.body.contains("张三丰"), "no household identity");
    let found = anon
        .get(&format!(
            "/v/ca/rounds/{}?receipt={}",
            s.round,
            code.to_lowercase()
        ))
        .await;
    assert!(found.body.contains("已计入"));
    let missing = anon
        .get(&format!("/v/ca/rounds/{}?receipt=ZZZZ-ZZZZ", s.round))
        .await;
    assert!(missing.body.contains("没有找到回执"));
    let csv = anon
        .get(&format!("/v/ca/rounds/{}/results.csv", s.round))
        .await;
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM");
    assert!(csv.body.contains("村口装路灯") && csv.body.contains("3000.00"));
    let json: serde_json::Value = serde_json::from_str(
        &anon
            .get(&format!("/v/ca/rounds/{}/results.json", s.round))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(json["ballots"], 2);
    assert!(
        json["receipts"]
            .as_array()
            .expect("receipts")
            .iter()
            .any(|r| r == code.as_str())
    );
    assert_eq!(
        s.clerk
            .post(&format!("{base}/state"), &[("action", "publish")])
            .await
            .status,
        303
    );
}

/// Long result lists come a page at a time; the downloads hold everything.
#[actix_web::test]
async fn long_result_lists_are_paged() {
    use minyi::collection::ballot::Suggestion;
    use minyi::collection::ballot_store::{Casting, write};
    let s = open_round("cf", false).await;
    s.app.with_conn(|c| {
        for n in 0..60 {
            let id = s.app.household(&s.v, &format!("08{n:02}"), "104729");
            minyi::collection::store::add_to_roll(c, s.round, id, s.v.groups[0], "测试补登", 1)
                .expect("roll");
            let casting = Casting {
                round_id: s.round,
                household_id: id,
                group_id: s.v.groups[0],
                channel: minyi::collection::ballot::BallotChannel::Phone,
                paper_serial: None,
                site_id: None,
                entered_by: None,
            };
            let list: Vec<Suggestion> = (0..2)
                .map(|k| Suggestion {
                    category: "其他".into(),
                    title: format!("建议-{n:02}-{k}"),
                    details: String::new(),
                    place: String::new(),
                    cost_fen: None,
                })
                .collect();
            write(c, &casting, 0, &list).expect("write");
        }
    });
    let base = format!("/staff/v/cf/rounds/{}", s.round);
    s.clerk
        .post(&format!("{base}/state"), &[("action", "close")])
        .await;
    let anon = s.app.browser();
    let first = anon.get(&format!("/v/cf/rounds/{}", s.round)).await;
    assert!(first.body.contains("全部建议（120 条"));
    assert!(first.body.contains("建议-00-0") && !first.body.contains("建议-59-1"));
    assert!(first.body.contains("第 1 页，共 2 页"));
    let second = anon
        .get(&format!("/v/cf/rounds/{}?sp=1&rp=0", s.round))
        .await;
    assert!(second.body.contains("建议-59-1") && !second.body.contains("建议-00-0"));
    let odd = anon
        .get(&format!("/v/cf/rounds/{}?sp=999&rp=x", s.round))
        .await;
    assert_eq!(odd.status, 200, "out-of-range pages show the last page");
    let csv = anon
        .get(&format!("/v/cf/rounds/{}/results.csv", s.round))
        .await;
    assert_eq!(csv.body.lines().count(), 121, "header and every suggestion");
}
