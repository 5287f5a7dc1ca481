//! Integration tests: the base of a rule is stated in words wherever the rule is shown. Four
//! bases exist: all members, members present, votes cast counting abstentions
//! (`yes_no_abstain`, 表决票) and yes + no only (`votes_cast`, 有效表决票). With 3 yes, 1 no,
//! 2 abstain and "more than half", `votes_cast` has base 4 and passes, `yes_no_abstain` has
//! base 6 and fails, and the failed outcome says it did not reach the bar. The sentence, the
//! minutes, the public page in both languages and the downloads say which base, and JSON and
//! CSV spell it the same way.

use crate::council::convene_with;
use minyi::i18n::Locale;

/// What one motion voted 3 yes, 1 no, 2 abstain under `base` left behind.
struct Record {
    staff_page: String,
    minutes: String,
    public_zh: String,
    public_en: String,
    json: serde_json::Value,
    csv: String,
}

async fn three_one_two(code: &str, base: &str) -> Record {
    let c = convene_with(code, 6).await;
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
                ("base", base),
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
    let staff_page = c.clerk.get(&c.meeting).await.body;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    c.clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    let minutes = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
            .body
    });
    let public_page = c
        .meeting
        .replace("/staff/v/", "/v/")
        .replace("/meetings/", "/council/");
    let public_zh = c.app.browser().get(&public_page).await.body;
    let english = c.app.browser();
    english.get(&format!("/lang/en?next={public_page}")).await;
    let public_en = english.get(&public_page).await.body;
    let json = serde_json::from_str(
        &c.app
            .browser()
            .get(&format!("{public_page}/motions/{motion}.json"))
            .await
            .body,
    )
    .expect("json");
    let csv = c
        .app
        .browser()
        .get(&format!("{public_page}/motions/{motion}.csv"))
        .await
        .body;
    Record {
        staff_page,
        minutes,
        public_zh,
        public_en,
        json,
        csv,
    }
}

#[actix_web::test]
async fn votes_cast_leave_abstentions_out_and_every_record_says_so() {
    let r = three_one_two("bs1", "votes_cast").await;
    assert!(
        r.staff_page.contains(
            "通过：赞成 3 票，超过有效表决票 4 票（赞成与反对之和，弃权不计）的半数（需 3 票）；反对 1，弃权 2"
        ),
        "{}",
        r.staff_page
    );
    assert!(
        r.minutes
            .contains("表决规则：有效表决票（赞成+反对，弃权不计）超过 1/2"),
        "{}",
        r.minutes
    );
    assert!(
        r.public_zh
            .contains("有效表决票（赞成+反对，弃权不计）超过 1/2"),
        "{}",
        r.public_zh
    );
    assert!(
        r.public_en
            .contains("Votes cast (yes + no; abstentions not counted): more than 1/2")
            && r.public_en.contains(
                "Passed: 3 yes, more than half of the 4 votes cast (yes and no; abstentions not counted) (needs 3)"
            )
            && !r.public_en.contains("有效表决票"),
        "{}",
        r.public_en
    );
    assert_eq!(r.json["rule_base"], "votes_cast");
    let header = r.csv.lines().next().unwrap_or_default();
    assert!(header.contains("rule_base"), "{}", r.csv);
    assert!(r.csv.contains(",votes_cast,"), "{}", r.csv);
}

/// The fourth base: abstentions counted among the votes cast. The same votes fail, and every
/// record says so in its own words.
#[actix_web::test]
async fn votes_cast_with_abstentions_is_a_base_of_its_own_and_the_failure_says_so() {
    let r = three_one_two("bs2", "yes_no_abstain").await;
    assert!(
        r.staff_page.contains(
            "未通过：赞成 3 票，未达到通过所需的票数：须超过表决票 6 票（赞成、反对与弃权之和）的半数（需 4 票）；反对 1，弃权 2"
        ),
        "{}",
        r.staff_page
    );
    assert!(
        r.minutes
            .contains("表决规则：表决票（赞成+反对+弃权，弃权计入）超过 1/2"),
        "{}",
        r.minutes
    );
    assert!(
        r.public_zh
            .contains("表决票（赞成+反对+弃权，弃权计入）超过 1/2")
            && r.public_zh
                .contains("未达到通过所需的票数：须超过表决票 6 票"),
        "{}",
        r.public_zh
    );
    assert!(
        r.public_en.contains(
            "Votes cast including abstentions (yes + no + abstain): more than 1/2"
        ) && r.public_en.contains(
            "Not passed: 3 yes, short of the bar of more than half of the 6 votes cast including abstentions (yes, no and abstain) (needs 4)"
        ),
        "{}",
        r.public_en
    );
    assert_eq!(r.json["rule_base"], "yes_no_abstain");
    assert_eq!(r.json["base"], 6);
    assert!(r.csv.contains(",yes_no_abstain,"), "{}", r.csv);
}

/// Each of the four bases is offered on the motion form, in words of its own in both languages.
#[actix_web::test]
async fn the_motion_form_offers_four_bases_in_words() {
    let c = convene_with("bs3", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2]).await;
    let page = c.clerk.get(&c.meeting).await.body;
    for (value, key) in [
        ("all_members", "motion.base.all_members"),
        ("present", "motion.base.present"),
        ("yes_no_abstain", "motion.base.yes_no_abstain"),
        ("votes_cast", "motion.base.votes_cast"),
    ] {
        assert!(
            page.contains(&format!("value=\"{value}\"")),
            "{value} offered: {page}"
        );
        assert!(page.contains(&Locale::ZhCn.t(key)), "{key}");
        assert_ne!(Locale::ZhCn.t(key), Locale::En.t(key), "{key} translated");
    }
}
