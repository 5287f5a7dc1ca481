//! Race tests of the council (`race_…`, run 100 times each by scripts/races.sh): members voting
//! while the clerk closes the motion, the clerk regenerating minutes while a member signs, and
//! attendance changing while a motion opens. Each uses real concurrent HTTP requests and prints
//! one `RACE …` line with what it found.

use diesel::prelude::*;
use futures_util::future::{join, join_all};

use crate::council::{Council, convene_with};
use crate::helpers::{STAFF_PASSWORD, race_runs};

impl Council {
    /// Convenes, opens and returns the clerk's page of a new meeting of the same council.
    pub(crate) async fn another_meeting(&self, title: &str) -> String {
        let created = self
            .clerk
            .post(
                &format!("/staff/v/{}/meetings", self.v.code),
                &[
                    ("title", title),
                    ("place", "村部会议室"),
                    ("starts_at", "2026-12-01T09:00"),
                    ("quorum", "2/3"),
                ],
            )
            .await;
        assert_eq!(created.status, 303, "{}", created.body);
        let meeting = created.location.expect("meeting page");
        let opened = self
            .clerk
            .post(&format!("{meeting}/state"), &[("action", "open")])
            .await;
        assert_eq!(opened.status, 303);
        meeting
    }

    /// Records `present` (member indexes) present and every other member absent at `meeting`.
    pub(crate) async fn attend_at(&self, meeting: &str, present: &[usize]) {
        let mut fields: Vec<(&str, String)> = Vec::new();
        for (i, (id, _)) in self.members.iter().enumerate() {
            fields.push(("member", id.to_string()));
            let status = if present.contains(&i) {
                "present"
            } else {
                "absent"
            };
            fields.push(("value", status.to_string()));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = self
            .clerk
            .post(&format!("{meeting}/attendance"), &refs)
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
    }

    /// The stored tally of a motion: (result, yes, no, abstain).
    pub(crate) fn stored_tally(&self, motion: i64) -> Option<(String, i32, i32, i32)> {
        use minyi::db::schema::motion_tallies as tl;
        self.app.with_conn(|c| {
            tl::table
                .find(motion)
                .select((tl::result, tl::yes, tl::no, tl::abstain))
                .first(c)
                .optional()
                .expect("tally")
        })
    }

    pub(crate) fn stored_votes(&self, motion: i64) -> i64 {
        use minyi::db::schema::votes as vt;
        self.app.with_conn(|c| {
            vt::table
                .filter(vt::motion_id.eq(motion))
                .count()
                .get_result(c)
                .expect("votes")
        })
    }

    /// The public page of `meeting` (the clerk's page path).
    pub(crate) fn public_of(meeting: &str) -> String {
        meeting
            .replace("/staff/v/", "/v/")
            .replace("/meetings/", "/council/")
    }
}

#[actix_web::test]
async fn race_close_motion_while_members_vote() {
    let c = convene_with("rv1", 8).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4, 5, 6, 7]).await;
    let runs = race_runs();
    let (mut late, mut refused) = (0, 0);
    for run in 0..runs {
        let motion = c.motion(&format!("第 {run} 项议题")).await;
        let opened = c
            .clerk
            .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
            .await;
        assert_eq!(opened.status, 303, "{}", opened.body);
        // Tokens first, so the requests themselves race.
        let mut tokens = Vec::new();
        for (_, b) in &c.members {
            tokens.push(b.csrf().await);
        }
        let clerk_token = c.clerk.csrf().await;
        let vote_path = format!("{}/motions/{motion}/vote", c.member_page());
        let close_path = format!("{}/motions/{motion}/close", c.meeting);
        let votes = c.members.iter().zip(&tokens).map(|((_, b), token)| {
            let fields = [("csrf", token.as_str()), ("choice", "yes")];
            let path = vote_path.as_str();
            async move {
                let page = b.post_raw(path, &fields).await;
                if !matches!(page.status, 303 | 409) {
                    eprintln!("vote answered {}: {}", page.status, page.body);
                }
                page.status
            }
        });
        let close_fields = [("csrf", clerk_token.as_str())];
        let close = c.clerk.post_raw(&close_path, &close_fields);
        let (answers, closed) = join(join_all(votes), close).await;
        assert_eq!(closed.status, 303, "closing never fails: {}", closed.body);
        for a in &answers {
            assert!(*a == 303 || *a == 409, "a vote is counted or refused: {a}");
        }
        let told_counted = answers.iter().filter(|a| **a == 303).count() as i64;
        refused += answers.len() as i64 - told_counted;
        let stored = c.stored_votes(motion);
        let (_, yes, no, abstain) = c.stored_tally(motion).expect("a tally at the close");
        let counted = i64::from(yes + no + abstain);
        // The public roll call (JSON) must state exactly what was counted.
        let json: serde_json::Value = serde_json::from_str(
            &c.app
                .browser()
                .get(&format!(
                    "{}/motions/{motion}.json",
                    Council::public_of(&c.meeting)
                ))
                .await
                .body,
        )
        .expect("json");
        let roll_yes = json["roll_call"]
            .as_array()
            .expect("roll call")
            .iter()
            .filter(|l| l["standing"] == "yes")
            .count() as i64;
        late += (stored - counted).abs()
            + (told_counted - stored).abs()
            + (roll_yes - i64::from(yes)).abs();
    }
    // Not a RACE count (those must be 0): how many votes lost to the close, i.e. how often the
    // race really interleaved.
    eprintln!("close_motion_while_voting: {refused} votes refused after the close");
    println!("RACE close_motion_while_voting: runs={runs} late_votes={late}");
    assert_eq!(late, 0, "no vote is stored or shown after the close");
}

#[actix_web::test]
async fn race_regenerate_minutes_while_member_signs() {
    let c = convene_with("rv2", 5).await;
    let runs = race_runs();
    let mut unseen = 0;
    for run in 0..runs {
        let meeting = c.another_meeting(&format!("第 {run} 次议事会")).await;
        c.attend_at(&meeting, &[0, 1, 2, 3]).await;
        let closed = c
            .clerk
            .post(&format!("{meeting}/state"), &[("action", "close")])
            .await;
        assert_eq!(closed.status, 303);
        let written = c
            .clerk
            .post(
                &format!("{meeting}/minutes"),
                &[("notes", "初稿"), ("chair", &c.chair())],
            )
            .await;
        assert_eq!(written.status, 303);
        let member = &c.members[0].1;
        let page = meeting.replace("/meetings/", "/council/");
        let shown = member
            .get(&page)
            .await
            .field("minutes_hash")
            .expect("the sign form carries the hash");
        let (clerk_token, member_token) = (c.clerk.csrf().await, member.csrf().await);
        let (minutes_path, sign_path) = (format!("{meeting}/minutes"), format!("{page}/sign"));
        let notes = format!("第 {run} 次修改稿");
        let chair = c.chair();
        let regenerate_fields = [
            ("csrf", clerk_token.as_str()),
            ("notes", notes.as_str()),
            ("chair", chair.as_str()),
        ];
        let sign_fields = [
            ("csrf", member_token.as_str()),
            ("password", STAFF_PASSWORD),
            ("minutes_hash", shown.as_str()),
        ];
        let regenerate = c.clerk.post_raw(&minutes_path, &regenerate_fields);
        let sign = member.post_raw(&sign_path, &sign_fields);
        let (regenerated, signed) = join(regenerate, sign).await;
        assert!(
            matches!(regenerated.status, 303 | 409),
            "{}",
            regenerated.body
        );
        assert!(matches!(signed.status, 303 | 409), "{}", signed.body);
        let meeting_id: i64 = meeting.rsplit('/').next().unwrap().parse().unwrap();
        let (body, signatures) = c.app.with_conn(|conn| {
            let body = minyi::council::store::minutes(conn, meeting_id)
                .expect("minutes")
                .expect("written")
                .body;
            let signed = minyi::council::store::signatures(conn, meeting_id).expect("sigs");
            (body, signed)
        });
        let signed_now = signatures.contains(&c.members[0].0);
        if signed_now && minyi::council::domain::minutes_hash(&body) != shown {
            unseen += 1;
        }
        if signed_now != (signed.status == 303) {
            unseen += 1;
        }
    }
    println!(
        "RACE regenerate_minutes_while_signing: runs={runs} signatures_on_unseen_text={unseen}"
    );
    assert_eq!(unseen, 0, "a signature always stands on the text shown");
}

#[actix_web::test]
async fn race_change_attendance_while_motion_opens() {
    use minyi::db::schema::motion_roll as rl;
    let c = convene_with("rv3", 5).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    let runs = race_runs();
    let mut mismatches = 0;
    for run in 0..runs {
        // Four of five present: quorate (2/3 of 5 needs 4). The cut leaves two.
        c.attend(&[0, 1, 2, 3]).await;
        let motion = c.motion(&format!("第 {run} 项议题")).await;
        let open_path = format!("{}/motions/{motion}/open", c.meeting);
        let token = c.clerk.csrf().await;
        let open_fields = [("csrf", token.as_str())];
        let open = c.clerk.post_raw(&open_path, &open_fields);
        let cut = c.attend_at(&c.meeting, &[0, 1]);
        let (opened, ()) = join(open, cut).await;
        assert!(matches!(opened.status, 303 | 409), "{}", opened.body);
        let roll: Vec<(i64, bool)> = c.app.with_conn(|conn| {
            rl::table
                .filter(rl::motion_id.eq(motion))
                .select((rl::staff_id, rl::present_at_open))
                .load(conn)
                .expect("roll")
        });
        if opened.status == 409 {
            // Refused because the cut came first: no roll may exist.
            mismatches += usize::from(!roll.is_empty());
            continue;
        }
        // Opened: the opening must have come first (the audit log's order is the order the
        // writes took effect), and the roll is the attendance at that instant, whole.
        let actions = c.app.audit_actions();
        let last = |action: &str, subject: &str| {
            actions
                .iter()
                .rposition(|(a, s, _)| a == action && s == subject)
                .expect("audited")
        };
        let meeting_id = c.meeting.rsplit('/').next().expect("meeting id");
        let cut_at = last("meeting.attendance", &format!("meeting:{meeting_id}"));
        let opened_at = last("motion.open", &format!("motion:{motion}"));
        mismatches += usize::from(cut_at < opened_at);
        let present: Vec<i64> = roll.iter().filter(|r| r.1).map(|r| r.0).collect();
        let before: Vec<i64> = c.members[..4].iter().map(|m| m.0).collect();
        let mut sorted = present.clone();
        sorted.sort_unstable();
        let mut expected = before.clone();
        expected.sort_unstable();
        mismatches += usize::from(roll.len() != 5 || sorted != expected);
        // The close uses the attendance at the close: two present, so it lapses.
        let closed = c
            .clerk
            .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
            .await;
        assert_eq!(closed.status, 303);
        let (result, ..) = c.stored_tally(motion).expect("tally");
        mismatches += usize::from(result != "lapsed");
    }
    println!("RACE change_attendance_while_motion_opens: runs={runs} mismatches={mismatches}");
    assert_eq!(
        mismatches, 0,
        "the roll is the attendance at the instant of opening"
    );
}
