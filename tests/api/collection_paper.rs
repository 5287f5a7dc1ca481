//! Integration tests: paper ballots (single and double entry, replacing an online ballot) and
//! collection sites with their closure certificates.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::collection::{ballots, confirm, household, open_round};

#[actix_web::test]
async fn a_paper_ballot_replaces_and_locks_the_online_one() {
    let s = open_round("c7", false).await;
    let phone = household(&s.app, "c7", "0101", "104729").await;
    assert_eq!(confirm(&phone, "c7", "网上的建议", "0").await.status, 303);
    let paper = s
        .clerk
        .post(
            &format!("/staff/v/c7/rounds/{}/paper", s.round),
            &[
                ("number", "0101"),
                ("serial", "P-001"),
                ("site", ""),
                ("category", "其他"),
                ("title", "纸上的建议"),
                ("details", ""),
                ("place", ""),
                ("cost", ""),
            ],
        )
        .await;
    assert_eq!(paper.status, 200, "{}", paper.body);
    assert!(paper.body.contains("已录入并计入"));
    let rows = ballots(&s.app, s.round);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].1.as_str(), rows[0].2), ("paper", 2));
    let locked = confirm(&phone, "c7", "再改一次", "2").await;
    assert_eq!(locked.status, 409);
    assert!(
        phone
            .get("/v/c7/me")
            .await
            .body
            .contains("纸质户票已由村委会录入")
    );
    let reused = s
        .clerk
        .post(
            &format!("/staff/v/c7/rounds/{}/paper", s.round),
            &[
                ("number", "0102"),
                ("serial", "P-001"),
                ("category", "其他"),
                ("title", "x"),
            ],
        )
        .await;
    assert_eq!(reused.status, 409);
    assert!(reused.body.contains("编号在本轮已经用过"));
}

#[actix_web::test]
async fn double_entry_posts_agreeing_typings_and_holds_differing_ones() {
    let s = open_round("c8", true).await;
    s.app
        .staff("clerk2.c8", Role::Clerk, Scope::Village(s.v.id));
    let second = s.app.browser();
    second.login_staff("clerk2.c8").await;
    let path = format!("/staff/v/c8/rounds/{}/paper", s.round);
    let paper = |number: &'static str, serial: &'static str, title: &'static str| {
        vec![
            ("number", number),
            ("serial", serial),
            ("category", "照明"),
            ("title", title),
            ("details", ""),
            ("place", ""),
            ("cost", ""),
        ]
    };
    let first = s.clerk.post(&path, &paper("0101", "A1", "路灯")).await;
    assert!(first.body.contains("等待另一位文书"), "{}", first.body);
    assert!(
        ballots(&s.app, s.round).is_empty(),
        "one typing counts for nothing"
    );
    let same = s.clerk.post(&path, &paper("0101", "A1", "路灯")).await;
    assert_eq!(same.status, 409);
    assert!(same.body.contains("须由另一位文书录入"));
    let agree = second.post(&path, &paper("0101", "A1", " 路灯 ")).await;
    assert!(agree.body.contains("已录入并计入"), "{}", agree.body);
    assert_eq!(ballots(&s.app, s.round).len(), 1);
    // The clerk who completed it gets the household's printable receipt slip.
    let receipt: String = s.app.with_conn(|c| {
        use minyi::db::schema::ballots::dsl as b;
        b::ballots
            .filter(b::round_id.eq(s.round))
            .select(b::receipt)
            .first(c)
            .expect("receipt")
    });
    assert!(agree.body.contains("纸质户票回执") && agree.body.contains(&receipt));
    assert!(
        !first.body.contains("纸质户票回执"),
        "no slip before the paper counts"
    );
    // The household, signed in, sees what the clerks recorded from its paper.
    let home = crate::collection::household(&s.app, "c8", "0101", "104729").await;
    let shown = home.get("/v/c8/receipt").await;
    assert!(shown.body.contains(&receipt), "{}", shown.body);
    assert!(
        shown.body.contains("村委会录入的纸质票（票号 A1）") && shown.body.contains("照明：路灯")
    );

    s.clerk.post(&path, &paper("0102", "A2", "修桥")).await;
    let differ = second.post(&path, &paper("0102", "A2", "修路")).await;
    assert!(differ.body.contains("待核对"));
    assert_eq!(
        ballots(&s.app, s.round).len(),
        1,
        "a mismatch counts only after reconciliation"
    );
    let list = s
        .clerk
        .get(&format!("/staff/v/c8/rounds/{}/reconcile", s.round))
        .await;
    assert!(list.body.contains("修桥") && list.body.contains("修路"));
    // The differing field is marked in both typings, in words and a symbol; the rest is not.
    assert!(
        list.body.contains("<mark class=\"differs\">≠ 修桥</mark>"),
        "{}",
        list.body
    );
    assert!(list.body.contains("<mark class=\"differs\">≠ 修路</mark>"));
    assert!(!list.body.contains("≠ 照明") && !list.body.contains("≠ <strong>0102"));
    assert!(list.body.contains("标有 ≠ 的地方两遍录入不一样"));
    let entry = {
        use minyi::db::schema::paper_entries::dsl as pe;
        s.app.with_conn(|c| {
            pe::paper_entries
                .filter(pe::paper_serial.eq("A2"))
                .order(pe::id)
                .select(pe::id)
                .first::<i64>(c)
                .expect("entry")
        })
    };
    assert!(
        list.body.contains("clerk.c8") && list.body.contains("clerk2.c8"),
        "the reconcile page shows who typed what"
    );
    assert!(
        !list
            .body
            .contains(&format!("name=\"entry\" value=\"{entry}\"")),
        "a clerk is not offered their own typing"
    );
    let own = s
        .clerk
        .post(
            &format!("/staff/v/c8/rounds/{}/reconcile", s.round),
            &[("entry", &entry.to_string())],
        )
        .await;
    assert_eq!(
        own.status, 409,
        "a clerk cannot settle a mismatch with their own typing"
    );
    assert!(own.body.contains("不能选定自己录入的版本"));
    assert_eq!(ballots(&s.app, s.round).len(), 1, "nothing was posted");
    // The other typist may choose the first typing.
    let chosen = second
        .post(
            &format!("/staff/v/c8/rounds/{}/reconcile", s.round),
            &[("entry", &entry.to_string())],
        )
        .await;
    assert_eq!(chosen.status, 303);
    assert_eq!(ballots(&s.app, s.round).len(), 2);
    let again = second.post(&path, &paper("0102", "A2", "修路")).await;
    assert!(
        again.body.contains("已经处理完"),
        "a settled paper is not typed again"
    );
    // The supervisory board sees how it was settled: both typings, the first one counting.
    s.app
        .staff("sup.c8", Role::Supervisor, Scope::Village(s.v.id));
    let board = s.app.browser();
    board.login_staff("sup.c8").await;
    let page = board.get("/staff/v/c8/supervision").await;
    let row = |typist: &str| {
        page.body
            .split("<tr>")
            .find(|r| r.contains("<td>A2</td>") && r.contains(typist))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(">clerk.c8<").contains("以这一遍为准"), "{}", page.body);
    assert!(row(">clerk2.c8<").contains("不一致已核定"));
    assert!(!row(">clerk2.c8<").contains("以这一遍为准"));
}

#[actix_web::test]
async fn a_site_certificate_shows_what_does_not_add_up() {
    let s = open_round("cb", false).await;
    let base = format!("/staff/v/cb/rounds/{}", s.round);
    assert_eq!(
        s.clerk
            .post(&format!("{base}/sites"), &[("name", "村民代表大会会场")])
            .await
            .status,
        303
    );
    let site = s
        .app
        .with_conn(|c| {
            minyi::collection::paper_store::sites(c, s.round).expect("sites")[0]
                .0
                .id
        })
        .to_string();
    s.clerk
        .post(
            &format!("{base}/paper"),
            &[
                ("number", "0101"),
                ("serial", "S-1"),
                ("site", &site),
                ("category", "其他"),
                ("title", "修水渠"),
            ],
        )
        .await;
    let same_names = s
        .clerk
        .post(
            &format!("{base}/sites/{site}/certify"),
            &[
                ("issued", "10"),
                ("returned", "3"),
                ("spoiled", "1"),
                ("custodian_one", "王五"),
                ("custodian_two", "赵六"),
                ("staff_custodian_one", "文书甲"),
                ("staff_custodian_two", "王五"),
            ],
        )
        .await;
    assert_eq!(same_names.status, 422, "four different people");
    assert!(same_names.body.contains("四位保管人须是不同的人"));
    assert!(
        same_names.body.contains("value=\"文书甲\""),
        "the typed names are kept"
    );
    let three = s
        .clerk
        .post(
            &format!("{base}/sites/{site}/certify"),
            &[
                ("issued", "10"),
                ("returned", "3"),
                ("spoiled", "1"),
                ("custodian_one", "王五"),
                ("custodian_two", "赵六"),
                ("staff_custodian_one", "文书甲"),
            ],
        )
        .await;
    assert_eq!(three.status, 422, "two residents and two staff");
    let signed = s
        .clerk
        .post(
            &format!("{base}/sites/{site}/certify"),
            &[
                ("issued", "10"),
                ("returned", "3"),
                ("spoiled", "1"),
                ("custodian_one", "王五"),
                ("custodian_two", "赵六"),
                ("staff_custodian_one", "文书甲"),
                ("staff_custodian_two", "镇干部乙"),
            ],
        )
        .await;
    assert_eq!(signed.status, 303);
    let page = s.clerk.get(&format!("{base}/sites")).await;
    assert!(page.body.contains("王五、赵六") && page.body.contains("文书甲、镇干部乙"));
    assert!(page.body.contains("村民代表签字") && page.body.contains("工作人员签字"));
    assert!(
        page.body.contains("收回减废票应为 2 张，实际录入计入 1 张"),
        "{}",
        page.body
    );
    let twice = s
        .clerk
        .post(
            &format!("{base}/sites/{site}/certify"),
            &[
                ("issued", "3"),
                ("returned", "2"),
                ("spoiled", "1"),
                ("custodian_one", "王五"),
                ("custodian_two", "赵六"),
                ("staff_custodian_one", "文书甲"),
                ("staff_custodian_two", "镇干部乙"),
            ],
        )
        .await;
    assert_eq!(twice.status, 409, "a signed certificate does not change");
    assert!(twice.body.contains("这份封存证明已经签署"));
}

/// A second typing whose ballot is refused leaves nothing behind (the transaction rolls back).
#[actix_web::test]
async fn a_refused_second_typing_is_not_kept() {
    let s = open_round("ce", true).await;
    s.app
        .staff("clerk2.ce", Role::Clerk, Scope::Village(s.v.id));
    let second = s.app.browser();
    second.login_staff("clerk2.ce").await;
    let path = format!("/staff/v/ce/rounds/{}/paper", s.round);
    let paper = |serial: &'static str| {
        vec![
            ("number", "0101"),
            ("serial", serial),
            ("category", "照明"),
            ("title", "路灯"),
        ]
    };
    s.clerk.post(&path, &paper("A1")).await;
    assert!(
        second
            .post(&path, &paper("A1"))
            .await
            .body
            .contains("已录入并计入")
    );
    s.clerk.post(&path, &paper("B1")).await;
    let refused = second.post(&path, &paper("B1")).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("这户已有纸质户票"));
    let kept: i64 = {
        use minyi::db::schema::paper_entries::dsl as pe;
        s.app.with_conn(|c| {
            pe::paper_entries
                .filter(pe::paper_serial.eq("B1"))
                .count()
                .get_result(c)
                .expect("count")
        })
    };
    assert_eq!(kept, 1, "only the first typing of B1 is stored");
}

#[actix_web::test]
async fn a_round_with_unsettled_paper_does_not_close_and_lists_each_paper() {
    let s = open_round("cp1", true).await;
    s.app
        .staff("clerk2.cp1", Role::Clerk, Scope::Village(s.v.id));
    let second = s.app.browser();
    second.login_staff("clerk2.cp1").await;
    let base = format!("/staff/v/cp1/rounds/{}", s.round);
    let paper = |number: &'static str, serial: &'static str, cost: &'static str| {
        vec![
            ("number", number),
            ("serial", serial),
            ("category", "照明"),
            ("title", "路灯"),
            ("details", ""),
            ("place", ""),
            ("cost", cost),
        ]
    };
    let close_path = format!("{base}/state");
    s.clerk
        .post(&format!("{base}/paper"), &paper("0101", "Q1", "800"))
        .await;
    s.clerk
        .post(&format!("{base}/paper"), &paper("0102", "Q2", "800"))
        .await;
    second
        .post(&format!("{base}/paper"), &paper("0102", "Q2", "8000"))
        .await;

    let refused = s.clerk.post(&close_path, &[("action", "close")]).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("不能结束征集"));
    assert!(refused.body.contains("Q1") && refused.body.contains("只录入了一次"));
    assert!(refused.body.contains("Q2") && refused.body.contains("两次录入不一致"));
    let state = |app: &crate::helpers::TestApp| {
        use minyi::db::schema::collection_rounds::dsl as r;
        app.with_conn(|c| {
            r::collection_rounds
                .filter(r::id.eq(s.round))
                .select(r::state)
                .first::<String>(c)
                .expect("round")
        })
    };
    assert_eq!(state(&s.app), "open", "nothing was closed");

    // Settle both: the second typing of Q1, and Q2 chosen by the clerk who did not type it.
    second
        .post(&format!("{base}/paper"), &paper("0101", "Q1", "800"))
        .await;
    let first_q2 = {
        use minyi::db::schema::paper_entries::dsl as pe;
        s.app.with_conn(|c| {
            pe::paper_entries
                .filter(pe::paper_serial.eq("Q2"))
                .order(pe::id)
                .select(pe::id)
                .first::<i64>(c)
                .expect("entry")
        })
    };
    let chosen = second
        .post(
            &format!("{base}/reconcile"),
            &[("entry", &first_q2.to_string())],
        )
        .await;
    assert_eq!(chosen.status, 303);
    let closed = s.clerk.post(&close_path, &[("action", "close")]).await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert_eq!(state(&s.app), "closed");
    assert_eq!(ballots(&s.app, s.round).len(), 2, "no paper was lost");
}

/// Blank paper ballots print pre-numbered for a site: the serials asked for, the round's rules
/// and categories, one row per allowed suggestion; a range out of bounds is a 422 with the
/// fields kept; a site of another round is not found; the demo's typed serials use the same form.
#[actix_web::test]
async fn blank_paper_ballots_print_with_pre_numbered_serials() {
    let s = open_round("pf", true).await;
    let base = format!("/staff/v/pf/rounds/{}", s.round);
    let created = s
        .clerk
        .post(&format!("{base}/sites"), &[("name", "村部"), ("once", "")])
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let site: i64 = s.app.with_conn(|c| {
        use minyi::db::schema::collection_sites as cs;
        cs::table
            .filter(cs::round_id.eq(s.round))
            .select(cs::id)
            .first(c)
            .expect("site")
    });
    let sites = s.clerk.get(&format!("{base}/sites")).await;
    assert!(
        sites.body.contains(&format!("{base}/sites/{site}/forms")),
        "linked"
    );

    let page = s
        .clerk
        .get(&format!("{base}/sites/{site}/forms?from=21&count=3"))
        .await;
    assert_eq!(page.status, 200);
    for n in 21..=23 {
        assert!(page.body.contains(&format!("S{site}-00{n}")), "serial {n}");
    }
    assert!(
        !page.body.contains(&format!("S{site}-0020"))
            && !page.body.contains(&format!("S{site}-0024"))
    );
    assert_eq!(page.body.matches("class=\"ballot-form\"").count(), 3);
    assert!(page.body.contains("请写 1–3 条建议") && page.body.contains("道路交通、照明、其他"));
    // Three rows per form, one per allowed suggestion.
    assert_eq!(page.body.matches("<tr><td>3</td>").count(), 3);
    assert_eq!(page.body.matches("<tr><td>4</td>").count(), 0);

    let refused = s
        .clerk
        .get(&format!("{base}/sites/{site}/forms?from=9990&count=50"))
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("value=\"9990\"") && refused.body.contains("value=\"50\""));
    assert!(!refused.body.contains("class=\"ballot-form\""));
    let other = s
        .clerk
        .get(&format!("{base}/sites/{}/forms", site + 1000))
        .await;
    assert_eq!(other.status, 404);

    // A paper typed with a printed serial goes through double entry like any other.
    let serial = minyi::collection::paper::serial(site, 21);
    assert_eq!(serial, format!("S{site}-0021"));
}
