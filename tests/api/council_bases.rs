//! Integration tests: the base of a rule is stated in words wherever the rule is shown. Votes
//! cast (有效表决票) are yes + no; abstentions are not counted: with 3 yes, 1 no, 2 abstain and
//! "more than half", the base is 4 and the motion passes (a reference counting abstentions
//! would make it 6 and fail it). The sentence, the minutes, the public page in both languages
//! and the downloads say so, and JSON and CSV spell the base the same way.

use crate::council::convene_with;

#[actix_web::test]
async fn votes_cast_leave_abstentions_out_and_every_record_says_so() {
    let c = convene_with("bs1", 6).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4, 5]).await;
    let put = c
        .clerk
        .post(
            &format!("{}/motions", c.meeting),
            &[
                ("kind", "general"),
                ("text", "村道硬化"),
                ("base", "votes_cast"),
                ("fraction", "1/2"),
                ("strict", "on"),
                ("min_yes", "1"),
            ],
        )
        .await;
    assert_eq!(put.status, 303, "{}", put.body);
    let motion = c.app.with_conn(|conn| {
        use diesel::prelude::*;
        use minyi::db::schema::motions::dsl as mo;
        mo::motions
            .filter(mo::text.eq("村道硬化"))
            .select(mo::id)
            .first::<i64>(conn)
            .expect("motion")
    });
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    for (member, choice) in [
        (0, "yes"),
        (1, "yes"),
        (2, "yes"),
        (3, "no"),
        (4, "abstain"),
        (5, "abstain"),
    ] {
        assert_eq!(c.vote(member, motion, choice).await, 303);
    }
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        page.body.contains(
            "通过：赞成 3 票，超过有效表决票 4 票（赞成与反对之和，弃权不计）的半数（需 3 票）；反对 1，弃权 2"
        ),
        "{}",
        page.body
    );
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    c.clerk
        .post(&format!("{}/minutes", c.meeting), &[("notes", "")])
        .await;
    let minutes = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
            .body
    });
    assert!(
        minutes.contains("表决规则：有效表决票（赞成+反对，弃权不计）超过 1/2"),
        "{minutes}"
    );

    let public_page = c
        .meeting
        .replace("/staff/v/", "/v/")
        .replace("/meetings/", "/council/");
    let zh = c.app.browser().get(&public_page).await;
    assert!(
        zh.body
            .contains("有效表决票（赞成+反对，弃权不计）超过 1/2"),
        "{}",
        zh.body
    );
    let english = c.app.browser();
    english.get(&format!("/lang/en?next={public_page}")).await;
    let en = english.get(&public_page).await;
    assert!(
        en.body
            .contains("Votes cast (yes + no; abstentions not counted): more than 1/2")
            && en.body.contains(
                "Passed: 3 yes, more than half of the 4 votes cast (yes and no; abstentions not counted) (needs 3)"
            )
            && !en.body.contains("有效表决票"),
        "{}",
        en.body
    );
    let json: serde_json::Value = serde_json::from_str(
        &c.app
            .browser()
            .get(&format!("{public_page}/motions/{motion}.json"))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(json["rule_base"], "votes_cast");
    let csv = c
        .app
        .browser()
        .get(&format!("{public_page}/motions/{motion}.csv"))
        .await
        .body;
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.contains("rule_base"), "{csv}");
    assert!(csv.contains(",votes_cast,"), "{csv}");
}
