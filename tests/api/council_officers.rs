//! Integration tests: minutes name the chair (主持人) and the recorder (记录人). The chair is a
//! member who attended; the recorder is the clerk writing the minutes or such a member. Anyone
//! else is refused (422) and nothing is written. The names are written into the signed text and
//! kept with the minutes: renaming the chair later changes nothing, and the public page names
//! both.

use diesel::prelude::*;

use crate::council::convene_with;
use crate::helpers::STAFF_PASSWORD;

fn minutes(c: &crate::council::Council) -> Option<minyi::council::store::Minutes> {
    c.app
        .with_conn(|conn| minyi::council::store::minutes(conn, 1).expect("minutes"))
}

#[actix_web::test]
async fn minutes_name_the_chair_and_the_recorder_who_attended() {
    let c = convene_with("of1", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    // m1 and m2 attend; m3 never comes.
    c.attend(&[0, 1]).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let path = format!("{}/minutes", c.meeting);
    let page = c.clerk.get(&c.meeting).await.body;
    assert!(
        page.contains("name=\"chair\"") && page.contains("name=\"recorder\""),
        "the form asks for both: {page}"
    );
    let (m1, m2, m3) = (
        c.members[0].0.to_string(),
        c.members[1].0.to_string(),
        c.members[2].0.to_string(),
    );
    for (fields, why) in [
        (vec![("notes", "x")], "no chair named"),
        (vec![("chair", m3.as_str())], "the chair never attended"),
        (vec![("chair", "abc")], "not a member id"),
        (
            vec![("chair", m1.as_str()), ("recorder", m3.as_str())],
            "the recorder never attended",
        ),
    ] {
        let refused = c.clerk.post(&path, &fields).await;
        assert_eq!(refused.status, 422, "{why}: {}", refused.body);
        assert!(minutes(&c).is_none(), "{why}: nothing written");
    }
    // Recorded by the clerk writing them, unless a member is named.
    let written = c.clerk.post(&path, &[("chair", m2.as_str())]).await;
    assert_eq!(written.status, 303, "{}", written.body);
    let first = minutes(&c).expect("written");
    assert!(
        first.body.contains("主持人：m2.of1\n记录人：clerk.of1\n"),
        "{}",
        first.body
    );
    let rewritten = c
        .clerk
        .post(&path, &[("chair", m1.as_str()), ("recorder", m2.as_str())])
        .await;
    assert_eq!(rewritten.status, 303, "rewritten while nobody has signed");
    let written = minutes(&c).expect("written");
    assert!(
        written.body.contains("主持人：m1.of1\n记录人：m2.of1\n"),
        "{}",
        written.body
    );
    assert_eq!(
        (written.chair_id, written.recorder_id),
        (Some(c.members[0].0), Some(c.members[1].0))
    );
    // Both sign: the minutes lock over the text that names them.
    let member_page = c.member_page();
    for i in [0, 1] {
        let b = &c.members[i].1;
        let shown = b
            .get(&member_page)
            .await
            .field("minutes_hash")
            .unwrap_or_default();
        let signed = b
            .post(
                &format!("{member_page}/sign"),
                &[("password", STAFF_PASSWORD), ("minutes_hash", &shown)],
            )
            .await;
        assert_eq!(signed.status, 303, "{}", signed.body);
    }
    let locked = minutes(&c).expect("written");
    assert!(locked.content_hash.is_some(), "locked");
    // Renaming the chair afterwards changes nothing that was signed.
    c.app.with_conn(|conn| {
        use minyi::db::schema::staff::dsl as st;
        diesel::update(st::staff.filter(st::id.eq(c.members[0].0)))
            .set(st::display_name.eq("改名之后"))
            .execute(conn)
            .expect("rename")
    });
    let after = minutes(&c).expect("written");
    assert_eq!(after.body, locked.body);
    assert_eq!(after.chair_name.as_deref(), Some("m1.of1"));
    let public_page = c
        .meeting
        .replace("/staff/v/", "/v/")
        .replace("/meetings/", "/council/");
    let public = c.app.browser().get(&public_page).await.body;
    assert!(
        public.contains("主持人：m1.of1；记录人：m2.of1") && !public.contains("改名之后"),
        "{public}"
    );
    let english = c.app.browser();
    english.get(&format!("/lang/en?next={public_page}")).await;
    let en = english.get(&public_page).await.body;
    assert!(en.contains("Chair: m1.of1; recorder: m2.of1"), "{en}");
}
