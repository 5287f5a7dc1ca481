//! Integration tests: council members reach their vote. The invitation carries the agenda and
//! the member page; the clerk sees who was not mailed; the dashboard's council link shows a
//! member the meetings that still need them.

use diesel::prelude::*;

use crate::council::convene_with;
use crate::helpers::STAFF_PASSWORD;

/// The invitation bodies mailed to `recipient`.
fn mailed(c: &crate::council::Council, recipient: &str) -> Vec<String> {
    c.app.with_conn(|conn| {
        use minyi::db::schema::outbox::dsl as ob;
        ob::outbox
            .filter(ob::recipient.eq(recipient))
            .select(ob::body)
            .load::<String>(conn)
            .expect("outbox")
    })
}

#[actix_web::test]
async fn the_invitation_carries_the_agenda_and_the_member_page_and_the_clerk_sees_who_was_not_mailed()
 {
    let c = convene_with("rc1", 3).await;
    let convened = c
        .clerk
        .post(
            "/staff/v/rc1/meetings",
            &[
                ("title", "第二次议事会"),
                ("place", "村部会议室"),
                ("starts_at", "2026-12-02T09:00"),
                ("agenda", "修建村口路灯\n\n  村道硬化  "),
            ],
        )
        .await;
    assert_eq!(convened.status, 303, "{}", convened.body);
    let clerk_page = convened.location.expect("meeting page");
    let id = clerk_page.rsplit('/').next().expect("id").to_string();
    let bodies = mailed(&c, "m1@example.test");
    let body = bodies
        .iter()
        .find(|b| b.contains("第二次议事会"))
        .expect("m1 was invited to the second meeting");
    assert!(body.contains("1. 修建村口路灯\n2. 村道硬化"), "{body}");
    assert!(
        body.contains(&format!(
            "{}/staff/v/rc1/council/{id}",
            c.app.state.settings.public_base()
        )),
        "the mail links the member page at the public address: {body}"
    );
    assert!(body.contains("Agenda:"), "the English part follows: {body}");

    let shown = c.clerk.get(&clerk_page).await;
    let not_mailed = shown
        .body
        .split("id=\"not-mailed\"")
        .nth(1)
        .expect("the clerk is told who was not mailed");
    let list = not_mailed.split("</div>").next().unwrap_or_default();
    assert!(list.contains("m2.rc1") && list.contains("m3.rc1"), "{list}");
    assert!(!list.contains("m1.rc1"), "m1 has an address: {list}");
    assert!(
        shown.body.contains("修建村口路灯"),
        "the agenda is on the page"
    );

    let too_long = c
        .clerk
        .post(
            "/staff/v/rc1/meetings",
            &[
                ("title", "第三次议事会"),
                ("place", "村部会议室"),
                ("starts_at", "2026-12-03T09:00"),
                ("agenda", &"长".repeat(201)),
            ],
        )
        .await;
    assert_eq!(too_long.status, 422, "an agenda item over 200 characters");
}

#[actix_web::test]
async fn a_member_finds_each_meeting_that_needs_them_from_the_council_page() {
    let c = convene_with("rc2", 3).await;
    let member_page = c.member_page();
    // The dashboard's council link goes to the village's council page.
    let dashboard = c.members[1].1.get("/staff").await;
    assert!(
        dashboard.body.contains("/v/rc2/council"),
        "{}",
        dashboard.body
    );
    let seen = c.members[1].1.get("/v/rc2/council").await;
    assert!(seen.body.contains("id=\"my-meetings\""), "{}", seen.body);
    assert!(
        seen.body.contains(&format!("href=\"{member_page}\"")),
        "the scheduled meeting links to the member page: {}",
        seen.body
    );
    let anonymous = c.app.browser().get("/v/rc2/council").await;
    assert!(!anonymous.body.contains("my-meetings"));
    assert!(
        !c.clerk
            .get("/v/rc2/council")
            .await
            .body
            .contains("my-meetings")
    );

    // Through the meeting: members 0 and 1 present, minutes written; the link stays until
    // the member has signed.
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1]).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let closed = c.members[1].1.get("/v/rc2/council").await;
    assert!(
        !closed.body.contains(&format!("href=\"{member_page}\"")),
        "closed without minutes: nothing to do"
    );
    let written = c
        .clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    assert_eq!(written.status, 303, "{}", written.body);
    let to_sign = c.members[1].1.get("/v/rc2/council").await;
    assert!(
        to_sign.body.contains(&format!("href=\"{member_page}\""))
            && to_sign.body.contains("待签署会议记录"),
        "{}",
        to_sign.body
    );
    let absent = c.members[2].1.get("/v/rc2/council").await;
    assert!(
        !absent.body.contains(&format!("href=\"{member_page}\"")),
        "an absent member does not sign"
    );
    let b = &c.members[1].1;
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
    assert_eq!(signed.status, 303);
    let after = b.get("/v/rc2/council").await;
    assert!(!after.body.contains(&format!("href=\"{member_page}\"")));
}
