//! Integration tests: a show of hands and a member's own vote never override each other.
//! Whichever came first stands; the member is told when the clerk recorded their hand, the
//! clerk is told of every line not recorded.

use diesel::prelude::*;

use crate::council::convene_with;

#[actix_web::test]
async fn the_first_vote_stands_and_the_member_sees_the_clerk_recorded_it() {
    let c = convene_with("hd1", 3).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2]).await;
    let motion = c.motion("修建村口路灯").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    assert_eq!(c.vote(0, motion, "no").await, 303);
    let (m0, m1, m2) = (c.members[0].0, c.members[1].0, c.members[2].0);
    let hands = [
        ("member", m0.to_string()),
        ("value", "yes".to_string()),
        ("member", m1.to_string()),
        ("value", "abstain".to_string()),
        ("member", m2.to_string()),
        ("value", "maybe".to_string()),
        ("member", "999999".to_string()),
        ("value", "yes".to_string()),
    ];
    let refs: Vec<(&str, &str)> = hands.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let hands_path = format!("{}/motions/{motion}/hands", c.meeting);
    let told = c.clerk.post(&hands_path, &refs).await;
    assert_eq!(told.status, 200, "{}", told.body);
    for line in [
        "m1.hd1：已经投过票（例如在手机上）",
        "m3.hd1：表决意见无效",
        "999999：不在这个议题的成员名单上",
    ] {
        assert!(told.body.contains(line), "{line} in {}", told.body);
    }

    // m2's hand was recorded first: their page says so, with the choice, and their own vote
    // is refused with that explanation.
    let page = c.member_page();
    let seen = c.members[1].1.get(&page).await;
    assert!(
        seen.body.contains("书记员已按举手表决记录您的票：弃权"),
        "{}",
        seen.body
    );
    let refused = c.members[1]
        .1
        .post(
            &format!("{page}/motions/{motion}/vote"),
            &[("choice", "yes")],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("书记员已按举手表决记录了您的票")
            && refused.body.contains("书记员已按举手表决记录您的票：弃权"),
        "{}",
        refused.body
    );
    // A second show of hands cannot change it either, and says why.
    let again = c
        .clerk
        .post(&hands_path, &[("member", &m1.to_string()), ("value", "no")])
        .await;
    assert!(
        again.body.contains("m2.hd1：已按举手表决记录过"),
        "{}",
        again.body
    );
    // m1's own vote, on the phone, is not marked as the clerk's.
    let own = c.members[0].1.get(&page).await;
    assert!(own.body.contains("您已投票：反对"), "{}", own.body);

    let stored: Vec<(i64, String, Option<i64>)> = c.app.with_conn(|conn| {
        use minyi::db::schema::votes::dsl as vt;
        vt::votes
            .filter(vt::motion_id.eq(motion))
            .order(vt::staff_id)
            .select((vt::staff_id, vt::choice, vt::recorded_by))
            .load(conn)
            .expect("votes")
    });
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert_eq!((stored[0].0, stored[0].1.as_str()), (m0, "no"));
    assert!(stored[0].2.is_none(), "m1 voted on the phone");
    assert_eq!((stored[1].0, stored[1].1.as_str()), (m1, "abstain"));
    assert!(stored[1].2.is_some(), "m2's hand was recorded by the clerk");
}
