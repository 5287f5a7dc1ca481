//! Integration tests: changes to a frozen roll. A household is taken off the roll only with a
//! written reason (audited): its ballot is voided, its sessions end, it cannot cast online or
//! on paper, and the removal can never be undone. A household marked as moved away loses its
//! sessions at once. The public page accounts for the frozen size, additions and removals by
//! reason so the numbers add up to the turnout table's total.

use crate::collection::{ballots, confirm, household, open_round};

#[actix_web::test]
async fn a_household_taken_off_the_roll_loses_its_ballot_and_sessions_and_the_numbers_add_up() {
    let s = open_round("rr1", false).await;
    let code = "rr1";
    let leaver = household(&s.app, code, "0101", "104729").await;
    let stayer = household(&s.app, code, "0102", "104730").await;
    assert_eq!(confirm(&leaver, code, "修路", "0").await.status, 303);
    assert_eq!(confirm(&stayer, code, "装灯", "0").await.status, 303);
    let base = format!("/staff/v/{code}/rounds/{}", s.round);
    let remove = |number: &'static str, reason: &'static str| {
        let (clerk, path) = (&s.clerk, format!("{base}/roll/remove"));
        async move {
            clerk
                .post(&path, &[("number", number), ("reason", reason)])
                .await
        }
    };
    assert_eq!(remove("0101", "").await.status, 422, "a reason is required");
    assert_eq!(
        remove("0999", "全家已经迁出").await.status,
        422,
        "no such household"
    );
    let removed = remove("0101", "全家迁往县城，户籍已迁出").await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert!(
        s.app
            .audit_actions()
            .iter()
            .any(|a| a.0 == "round.roll_remove"),
        "audited"
    );
    let twice = remove("0101", "再次移出本户").await;
    assert_eq!(twice.status, 409, "taken off once");
    assert!(twice.body.contains("不在本轮名册上"), "{}", twice.body);

    // Its ballot no longer counts; its session ended; signing in again cannot cast.
    let rows = ballots(&s.app, s.round);
    assert!(
        rows[0].3.is_some(),
        "the leaver's ballot is voided: {rows:?}"
    );
    let home = leaver.get(&format!("/v/{code}/me")).await;
    assert_eq!(home.status, 303, "the old session acts for nobody");
    let again = household(&s.app, code, "0101", "104729").await;
    let refused = confirm(&again, code, "再投", "0").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(ballots(&s.app, s.round).len(), 2, "nothing was written");

    // Paper for the household is refused too.
    let paper = s
        .clerk
        .post(
            &format!("{base}/paper"),
            &[
                ("number", "0101"),
                ("serial", "P-9"),
                ("category", "照明"),
                ("title", "纸质"),
                ("details", ""),
                ("place", "村口"),
                ("cost", ""),
            ],
        )
        .await;
    assert!(
        paper.status >= 400 && paper.status < 500,
        "{}",
        paper.status
    );

    // A household marked as moved away loses its sessions at once.
    let id: i64 = s.app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::households as h;
        h::table
            .filter(h::village_id.eq(s.v.id).and(h::number.eq("0102")))
            .select(h::id)
            .first(c)
            .expect("household")
    });
    let group = s.v.groups[0].to_string();
    let edited = s
        .clerk
        .post(
            &format!("/staff/v/{code}/households/{id}"),
            &[
                ("number", "0102"),
                ("head_name", "王五"),
                ("members", "3"),
                ("group", group.as_str()),
                ("status", "moved"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    assert_eq!(stayer.get(&format!("/v/{code}/me")).await.status, 303);

    // After the close the public page explains the roll: 3 frozen, 1 taken off, 2 now.
    s.clerk
        .post(&format!("{base}/state"), &[("action", "close")])
        .await;
    let public = s
        .app
        .browser()
        .get(&format!("/v/{code}/rounds/{}", s.round))
        .await;
    for text in [
        "开始征集时冻结名册 3 户",
        "其后移出 1 户",
        "全家迁往县城，户籍已迁出：1 户",
        "现名册 2 户",
    ] {
        assert!(public.body.contains(text), "{text}: {}", public.body);
    }
    assert!(!public.body.contains("0101"), "no household named");
    let json: serde_json::Value = serde_json::from_str(
        &s.app
            .browser()
            .get(&format!("/v/{code}/rounds/{}/results.json", s.round))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(json["roll_removed_by_reason"][0][1], 1, "{json}");
    let roll_total: i64 = json["turnout_by_group"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["roll"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        json["roll_size"].as_i64().unwrap_or(0) - 1,
        roll_total,
        "frozen size less the removal is the turnout table's roll"
    );
}
