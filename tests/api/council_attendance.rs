//! Integration tests: attendance over time. Arrivals and departures are kept with their times;
//! the minutes list a member who left after voting as having left (with the times), never as
//! absent, and state who was present when each motion's voting opened.

use diesel::prelude::*;

use crate::council::convene_with;

#[actix_web::test]
async fn a_member_who_leaves_after_voting_is_never_listed_absent() {
    let c = convene_with("at1", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1]).await;
    // m3 arrives late.
    c.attend(&[0, 1, 2]).await;
    let motion = c.motion("修建村口路灯").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    for (member, choice) in [(0, "yes"), (1, "yes"), (2, "no")] {
        assert_eq!(c.vote(member, motion, choice).await, 303);
    }
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    // m3 leaves before the meeting closes.
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
    let minutes = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
            .body
    });
    assert!(minutes.contains("中途离会（1）：m3.at1"), "{minutes}");
    assert!(minutes.contains("缺席（0）："), "{minutes}");
    assert!(
        minutes.contains("m3.at1：反对"),
        "her vote stands: {minutes}"
    );
    assert!(
        minutes.contains("表决开始时到会（3）：m1.at1、m2.at1、m3.at1"),
        "{minutes}"
    );
    let timeline = minutes
        .split("到会与离会时间：\n")
        .nth(1)
        .expect("the times of arrivals and departures");
    let m3 = timeline
        .lines()
        .find(|l| l.starts_with("m3.at1："))
        .expect("m3's times");
    assert_eq!(m3.matches("到会").count(), 1, "{m3}");
    assert_eq!(m3.matches("离会").count(), 1, "{m3}");
    assert!(m3.contains(" 到会；") && m3.ends_with(" 离会"), "{m3}");
    let m3_changes: i64 = c.app.with_conn(|conn| {
        use minyi::db::schema::attendance_changes::dsl as ac;
        ac::attendance_changes
            .filter(ac::staff_id.eq(c.members[2].0))
            .count()
            .get_result(conn)
            .expect("changes")
    });
    assert_eq!(m3_changes, 3, "absent, arrived, left: {m3_changes}");
}
