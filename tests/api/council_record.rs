//! Integration tests: a council decision is a snapshot. The public record of a signed meeting
//! never changes when members, names or attendance change later, and recounts to its stated
//! outcome; closing re-checks the quorum (no quorum: lapsed); an open motion can be withdrawn;
//! a late vote is refused and told; minutes are signed on the text shown.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::council::{Council, convene};
use crate::helpers::STAFF_PASSWORD;

/// Recounts a motion from its CSV download alone, by the columns docs/council-record.md
/// describes, with its own arithmetic (not the product's tally): members on the roll, who was
/// present at the close, recusals and each standing give the base and the votes needed; the
/// quorum decides whether the vote counts. Also checks the stated counts against the rows.
/// Returns (recounted passed, stated passed).
fn recount_csv(body: &str) -> (bool, bool) {
    let body = body
        .strip_prefix('\u{feff}')
        .expect("the CSV starts with a byte-order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows: Vec<std::collections::HashMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.expect("row").iter().map(String::from))
                .collect()
        })
        .collect();
    let first = &rows[0];
    let int = |row: &std::collections::HashMap<String, String>, k: &str| -> i64 {
        row[k]
            .parse()
            .unwrap_or_else(|_| panic!("{k} = {:?}", row[k]))
    };
    let count = |f: &dyn Fn(&std::collections::HashMap<String, String>) -> bool| {
        rows.iter().filter(|r| f(r)).count() as i64
    };
    let members = rows.len() as i64;
    let present = count(&|r| r["present_at_close"] == "true");
    let recused = count(&|r| r["standing"] == "recused");
    let yes = count(&|r| r["standing"] == "yes");
    let no = count(&|r| r["standing"] == "no");
    let abstain = count(&|r| r["standing"] == "abstain");
    for (column, counted) in [
        ("members", members),
        ("present", present),
        ("recused", recused),
        ("yes", yes),
        ("no", no),
        ("abstain", abstain),
    ] {
        assert_eq!(
            int(first, column),
            counted,
            "stated {column} against the rows"
        );
    }
    let base = match first["rule_base"].as_str() {
        "all_members" => members - recused,
        "present" => count(&|r| r["present_at_close"] == "true" && r["standing"] != "recused"),
        "votes_cast" => yes + no,
        "yes_no_abstain" => yes + no + abstain,
        other => panic!("undocumented rule_base {other}"),
    };
    let (num, den) = (int(first, "rule_numerator"), int(first, "rule_denominator"));
    let needed = if first["rule_strict"] == "true" {
        base * num / den + 1
    } else {
        (base * num + den - 1) / den
    }
    .max(int(first, "rule_min_yes"));
    assert_eq!(int(first, "base"), base, "stated base");
    assert_eq!(int(first, "needed"), needed, "stated votes needed");
    let quorate = present >= int(first, "quorum_needed");
    assert_eq!(
        first["state"] == "lapsed",
        !quorate,
        "lapsed exactly when inquorate"
    );
    (quorate && yes >= needed, first["passed"] == "true")
}

pub(crate) async fn sign_all(c: &Council, who: &[usize]) {
    let page = c.member_page();
    for i in who {
        let b = &c.members[*i].1;
        let shown = b.get(&page).await.field("minutes_hash").expect("hash");
        let signed = b
            .post(
                &format!("{page}/sign"),
                &[("password", STAFF_PASSWORD), ("minutes_hash", &shown)],
            )
            .await;
        assert_eq!(signed.status, 303, "{}", signed.body);
    }
}

#[actix_web::test]
async fn a_signed_meeting_reads_the_same_after_members_change_and_recounts_to_its_outcome() {
    let c = convene("cr1").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let first = c.motion("修建村口路灯").await;
    c.clerk
        .post(&format!("{}/motions/{first}/open", c.meeting), &[])
        .await;
    for (i, choice) in [(0, "yes"), (1, "yes"), (3, "no")] {
        assert_eq!(c.vote(i, first, choice).await, 303);
    }
    // Member 2 votes by a show of hands, recorded by the clerk.
    let hands = c
        .clerk
        .post(
            &format!("{}/motions/{first}/hands", c.meeting),
            &[("member", &c.members[2].0.to_string()), ("value", "yes")],
        )
        .await;
    assert!(hands.status < 400, "{}", hands.body);
    c.clerk
        .post(&format!("{}/motions/{first}/close", c.meeting), &[])
        .await;
    let second = c.motion("硬化村道").await;
    c.clerk
        .post(&format!("{}/motions/{second}/open", c.meeting), &[])
        .await;
    let recused = c.members[0]
        .1
        .post(
            &format!("{}/motions/{second}/recuse", c.member_page()),
            &[("reason", "承包人是我亲属")],
        )
        .await;
    assert_eq!(recused.status, 303);
    assert_eq!(c.vote(1, second, "yes").await, 303);
    assert_eq!(c.vote(2, second, "no").await, 303);
    c.clerk
        .post(&format!("{}/motions/{second}/close", c.meeting), &[])
        .await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    c.clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    sign_all(&c, &[0, 1, 2, 3]).await;

    let public = Council::public_of(&c.meeting);
    let paths = [
        public.clone(),
        format!("{public}/motions/{first}.json"),
        format!("{public}/motions/{first}.csv"),
        format!("{public}/motions/{second}.json"),
        format!("{public}/motions/{second}.csv"),
    ];
    let visitor = c.app.browser();
    let mut before = Vec::new();
    for path in &paths {
        let page = visitor.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        before.push(page.body);
    }
    assert!(before[0].contains("m1.cr1") && before[0].contains("承包人是我亲属"));
    // Later: m1 deactivated, m2 renamed, a new member added, attendance rewritten by hand.
    c.app.with_conn(|conn| {
        use minyi::db::schema::{attendance as at, staff as st};
        diesel::update(st::table.filter(st::id.eq(c.members[0].0)))
            .set(st::active.eq(false))
            .execute(conn)
            .expect("deactivate");
        diesel::update(st::table.filter(st::id.eq(c.members[1].0)))
            .set(st::display_name.eq("改名者"))
            .execute(conn)
            .expect("rename");
        diesel::update(at::table)
            .set(at::status.eq("absent"))
            .execute(conn)
            .expect("attendance");
    });
    c.app
        .staff("m6.cr1", Role::CouncilMember, Scope::Village(c.v.id));
    for (path, earlier) in paths.iter().zip(&before) {
        let now = visitor.get(path).await;
        assert_eq!(&now.body, earlier, "{path} changed after the members did");
    }
    for motion in [first, second] {
        let csv = visitor
            .get(&format!("{public}/motions/{motion}.csv"))
            .await
            .body;
        let (recounted, stated) = recount_csv(&csv);
        assert_eq!(
            recounted, stated,
            "motion {motion} recounts to its outcome: {csv}"
        );
        let json: serde_json::Value = serde_json::from_str(
            &visitor
                .get(&format!("{public}/motions/{motion}.json"))
                .await
                .body,
        )
        .expect("json");
        assert_eq!(json["members"], 5);
        assert_eq!(json["passed"].as_bool(), Some(stated), "JSON and CSV agree");
        // The JSON's names are the CSV's column names.
        for column in [
            "motion_id",
            "rule_base",
            "present",
            "quorum_needed",
            "yes",
            "needed",
        ] {
            assert!(json.get(column).is_some(), "JSON lacks {column}: {json}");
        }
        for column in [
            "member_id",
            "present_at_close",
            "standing",
            "recorded_by_clerk",
            "cast_at",
        ] {
            assert!(
                json["roll_call"][0].get(column).is_some(),
                "roll_call lacks {column}"
            );
        }
    }
    let first_csv = visitor
        .get(&format!("{public}/motions/{first}.csv"))
        .await
        .body;
    let by_clerk = first_csv
        .lines()
        .filter(|l| l.contains(",yes,true,"))
        .count();
    assert_eq!(
        by_clerk, 1,
        "one vote marked as recorded by the clerk: {first_csv}"
    );
    assert!(
        before[0].contains("工作人员据举手表决代录") && before[0].contains("法定人数"),
        "the public page marks the clerk's record and states the quorum"
    );
}

#[actix_web::test]
async fn attendance_cut_after_opening_makes_the_close_lapse() {
    let c = convene("cr2").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3, 4]).await;
    let motion = c.motion("修桥").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    for i in 0..3 {
        assert_eq!(c.vote(i, motion, "yes").await, 303);
    }
    c.attend(&[0, 1]).await;
    let closed = c
        .clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    assert_eq!(closed.status, 303);
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        page.body
            .contains("未达法定人数，表决无效：成员 5 人，出席 2 人，法定人数 4 人"),
        "{}",
        page.body
    );
    let (result, yes, ..) = c.stored_tally(motion).expect("tally");
    assert_eq!((result.as_str(), yes), ("lapsed", 3));
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
    assert_eq!(
        (json["state"].as_str(), json["passed"].as_bool()),
        (Some("lapsed"), Some(false))
    );
    let csv = c
        .app
        .browser()
        .get(&format!(
            "{}/motions/{motion}.csv",
            Council::public_of(&c.meeting)
        ))
        .await
        .body;
    assert_eq!(
        recount_csv(&csv),
        (false, false),
        "a recount finds no quorum either"
    );
}

#[actix_web::test]
async fn an_open_motion_is_withdrawn_with_a_reason_and_a_late_vote_is_refused_and_told() {
    let c = convene("cr3").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("重复的议题").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    let stuck = c
        .clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    assert_eq!(stuck.status, 409, "an open motion keeps the meeting open");
    let path = format!("{}/motions/{motion}/withdraw", c.meeting);
    assert_eq!(c.clerk.post(&path, &[("reason", "")]).await.status, 422);
    assert_eq!(
        c.clerk
            .post(&path, &[("reason", "与第一项议题重复")])
            .await
            .status,
        303
    );
    let late = c.members[1]
        .1
        .post(
            &format!("{}/motions/{motion}/vote", c.member_page()),
            &[("choice", "yes")],
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(late.body.contains("表决已经结束"), "{}", late.body);
    assert_eq!(c.stored_votes(motion), 0);
    assert_eq!(
        c.clerk.post(&path, &[("reason", "再撤一次")]).await.status,
        409
    );
    let closed = c
        .clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    c.clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", ""), ("chair", &c.chair())],
        )
        .await;
    let page = c.clerk.get(&c.meeting).await;
    assert!(
        page.body.contains("已撤回：与第一项议题重复"),
        "{}",
        page.body
    );
    let public = c.app.browser().get(&Council::public_of(&c.meeting)).await;
    assert!(public.body.contains("已撤回：与第一项议题重复"));
    assert!(
        c.app
            .audit_actions()
            .iter()
            .any(|(a, s, _)| a == "motion.close" && s == &format!("motion:{motion}"))
    );
}

#[actix_web::test]
async fn minutes_sign_the_text_shown_and_are_not_regenerated_after_a_signature() {
    let c = convene("cr4").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    c.clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", "初稿"), ("chair", &c.chair())],
        )
        .await;
    let page = c.member_page();
    let member = &c.members[0].1;
    let shown = member.get(&page).await.field("minutes_hash").expect("hash");
    c.clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", "修改稿"), ("chair", &c.chair())],
        )
        .await;
    let stale = member
        .post(
            &format!("{page}/sign"),
            &[("password", STAFF_PASSWORD), ("minutes_hash", &shown)],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(
        stale.body.contains("重新生成过") && stale.body.contains("修改稿"),
        "the member is told and shown the current text: {}",
        stale.body
    );
    sign_all(&c, &[0]).await;
    let again = c
        .clerk
        .post(
            &format!("{}/minutes", c.meeting),
            &[("notes", "第三稿"), ("chair", &c.chair())],
        )
        .await;
    assert_eq!(again.status, 409, "a signed text is never regenerated");
    let body = c.app.with_conn(|conn| {
        minyi::council::store::minutes(conn, 1)
            .expect("minutes")
            .expect("written")
            .body
    });
    assert!(body.contains("修改稿") && !body.contains("第三稿"));
}
