//! Integration tests: a present member who never signs cannot block the minutes. The clerk
//! records the refusal with its reason (audited), or the member refuses on their own page; the
//! minutes lock once every present member has signed or refused; the record says who signed and
//! who refused.

use diesel::prelude::*;

use crate::council::convene_with;
use crate::helpers::STAFF_PASSWORD;

#[actix_web::test]
async fn a_refusal_to_sign_is_recorded_and_the_minutes_lock_when_everyone_answered() {
    let c = convene_with("rf1", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2]).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let written = c
        .clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    assert_eq!(written.status, 303);
    let page = c.member_page();
    let sign = |i: usize| {
        let b = &c.members[i].1;
        let page = page.clone();
        async move {
            let shown = b.get(&page).await.field("minutes_hash").unwrap_or_default();
            b.post(
                &format!("{page}/sign"),
                &[("password", STAFF_PASSWORD), ("minutes_hash", &shown)],
            )
            .await
            .status
        }
    };
    let locked = || {
        c.app.with_conn(|conn| {
            minyi::council::store::minutes(conn, 1)
                .expect("minutes")
                .expect("written")
                .locked_at
                .is_some()
        })
    };
    assert_eq!(sign(0).await, 303);
    let refusal = format!("{}/refusal", c.meeting);
    let (m1, m3) = (c.members[0].0.to_string(), c.members[2].0.to_string());
    let short = c
        .clerk
        .post(&refusal, &[("member", &m3), ("reason", "不")])
        .await;
    assert_eq!(short.status, 422, "a refusal states its reason");
    let signed_already = c
        .clerk
        .post(&refusal, &[("member", &m1), ("reason", "记录与事实不符")])
        .await;
    assert_eq!(signed_already.status, 409, "m1 has signed");
    let recorded = c
        .clerk
        .post(&refusal, &[("member", &m3), ("reason", "记录与事实不符")])
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    assert!(!locked(), "m2 has not answered yet");
    let again = c
        .clerk
        .post(&refusal, &[("member", &m3), ("reason", "记录与事实不符")])
        .await;
    assert_eq!(again.status, 409);
    assert!(
        c.members[2]
            .1
            .get(&page)
            .await
            .body
            .contains("拒签：记录与事实不符"),
        "m3 sees their refusal"
    );
    assert_eq!(sign(1).await, 303);
    assert!(locked(), "every member present signed or refused");
    assert_eq!(sign(2).await, 409, "the locked minutes take no signature");
    let actions: Vec<String> = c
        .app
        .audit_actions()
        .into_iter()
        .map(|(action, _, _)| action)
        .collect();
    assert!(
        actions.iter().any(|a| a == "minutes.refusal"),
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a == "minutes.lock"), "{actions:?}");

    let public = c
        .app
        .browser()
        .get(
            &c.meeting
                .replace("/staff/v/", "/v/")
                .replace("/meetings/", "/council/"),
        )
        .await;
    assert!(
        public.body.contains("签署人：m1.rf1、m2.rf1")
            && public.body.contains("拒签：m3.rf1（记录与事实不符）"),
        "{}",
        public.body
    );
    let notice: String = c.app.with_conn(|conn| {
        use minyi::db::schema::notices::dsl as nt;
        nt::notices
            .filter(nt::kind.eq("council_result"))
            .select(nt::body)
            .first(conn)
            .expect("published")
    });
    assert!(
        notice.contains("拒签：m3.rf1（理由：记录与事实不符）"),
        "{notice}"
    );
}

#[actix_web::test]
async fn a_member_refuses_to_sign_on_their_own_page_and_the_record_lists_it() {
    let c = convene_with("rf2", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    // m3 is absent: only m1 and m2 answer for the minutes.
    c.attend(&[0, 1]).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let written = c
        .clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    assert_eq!(written.status, 303);
    let page = c.member_page();
    let refuse = format!("{page}/refuse");
    let (m1, m2, m3) = (&c.members[0].1, &c.members[1].1, &c.members[2].1);
    assert!(
        m2.get(&page)
            .await
            .body
            .contains(&format!("action=\"{refuse}\"")),
        "the member page offers the refusal form"
    );
    let short = m2.post(&refuse, &[("reason", "不")]).await;
    assert_eq!(short.status, 422, "a refusal states its reason");
    let absent = m3.post(&refuse, &[("reason", "我没有到会")]).await;
    assert_eq!(
        absent.status, 409,
        "an absent member neither signs nor refuses"
    );
    let refused = m2
        .post(&refuse, &[("reason", "记录漏写了我的反对意见")])
        .await;
    assert_eq!(refused.status, 303, "{}", refused.body);
    let mine = m2.get(&page).await.body;
    assert!(mine.contains("拒签：记录漏写了我的反对意见"), "{mine}");
    assert!(
        !mine.contains("/sign\""),
        "no signature form after refusing"
    );
    assert_eq!(
        m2.post(&refuse, &[("reason", "记录漏写了我的反对意见")])
            .await
            .status,
        409,
        "one refusal"
    );
    let shown = m1
        .get(&page)
        .await
        .field("minutes_hash")
        .unwrap_or_default();
    let signed = m1
        .post(
            &format!("{page}/sign"),
            &[("password", STAFF_PASSWORD), ("minutes_hash", &shown)],
        )
        .await;
    assert_eq!(signed.status, 303);
    assert_eq!(
        m1.post(&refuse, &[("reason", "改变主意了")]).await.status,
        409,
        "a signature stands"
    );
    let public = c
        .app
        .browser()
        .get(
            &c.meeting
                .replace("/staff/v/", "/v/")
                .replace("/meetings/", "/council/"),
        )
        .await;
    assert!(
        public.body.contains("签署人：m1.rf2")
            && public
                .body
                .contains("拒签：m2.rf2（记录漏写了我的反对意见）"),
        "{}",
        public.body
    );
}
