//! Integration tests: the database keeps the council's promises on both backends (votes are
//! never changed and cast only on open motions; a closed motion's roll and tally and a closed
//! meeting's roll never change), and a stored value the code does not know is an error naming
//! the row, never a default.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::council::convene;

#[actix_web::test]
async fn the_database_refuses_changing_votes_and_snapshots() {
    let c = convene("cr5").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("修路").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    assert_eq!(c.vote(0, motion, "yes").await, 303);
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "close")])
        .await;
    let m2 = c.members[1].0;
    let m6 = c
        .app
        .staff("m6.cr5", Role::CouncilMember, Scope::Village(c.v.id));
    // Each forbidden write, with the words of the trigger that refuses it (so a write failing
    // for another reason, a typo say, does not pass for a refusal).
    for (sql, because) in [
        (
            format!("UPDATE votes SET choice = 'no' WHERE motion_id = {motion}"),
            "votes: a vote never changes",
        ),
        (
            format!(
                "INSERT INTO votes (motion_id, staff_id, choice, cast_at) \
                 VALUES ({motion}, {m2}, 'yes', CURRENT_TIMESTAMP)"
            ),
            "votes: votes are cast only on open motions",
        ),
        (
            format!("UPDATE motion_roll SET display_name = 'x' WHERE motion_id = {motion}"),
            "motion_roll: the roll of a decided motion never changes",
        ),
        (
            format!("DELETE FROM motion_roll WHERE motion_id = {motion}"),
            "motion_roll: a roll is never deleted",
        ),
        (
            format!(
                "INSERT INTO motion_roll (motion_id, staff_id, display_name, present_at_open, \
                 recused) VALUES ({motion}, {m6}, 'x', TRUE, FALSE)"
            ),
            "motion_roll: a roll is taken while the motion is open",
        ),
        (
            format!("UPDATE motion_tallies SET yes = 9 WHERE motion_id = {motion}"),
            "motion_tallies: a tally never changes",
        ),
        (
            format!("DELETE FROM motion_tallies WHERE motion_id = {motion}"),
            "motion_tallies: a tally is never deleted",
        ),
        (
            format!(
                "INSERT INTO motion_tallies (motion_id, result, members, present, quorum_needed, \
                 recused, yes, no, abstain, base, needed, closed_by, recorded_at) \
                 VALUES ({motion}, 'passed', 1, 1, 1, 0, 1, 0, 0, 1, 1, {m2}, CURRENT_TIMESTAMP)"
            ),
            "motion_tallies: a decided motion already has its tally",
        ),
        (
            "UPDATE meeting_roll SET status = 'absent'".to_string(),
            "meeting_roll: a meeting roll never changes",
        ),
        (
            "DELETE FROM meeting_roll".to_string(),
            "meeting_roll: a meeting roll is never deleted",
        ),
    ] {
        let refused = c
            .app
            .with_conn(|conn| diesel::sql_query(sql.as_str()).execute(conn));
        let message = refused
            .expect_err(&format!("the database refused: {sql}"))
            .to_string();
        assert!(message.contains(because), "{sql}: refused with {message}");
    }
}

#[actix_web::test]
async fn a_stored_rule_or_state_the_code_does_not_know_is_an_error_naming_the_row() {
    let c = convene("cr6").await;
    let motion = c.motion("修路").await;
    c.app.with_conn(|conn| {
        // Past the CHECK constraints, as a damaged or foreign database would be.
        let bypass = match conn {
            minyi::db::DbConn::Sqlite(_) => "PRAGMA ignore_check_constraints = ON",
            minyi::db::DbConn::Pg(_) => {
                "ALTER TABLE motions DROP CONSTRAINT motions_rule_base_check"
            }
        };
        diesel::sql_query(bypass).execute(conn).expect("bypass");
        diesel::sql_query(format!(
            "UPDATE motions SET rule_base = 'half_of_something' WHERE id = {motion}"
        ))
        .execute(conn)
        .expect("damage");
        let read = minyi::council::store::motion(conn, 1, motion);
        match read {
            Err(minyi::db::DbError::UnknownValue {
                table,
                id,
                column,
                value,
            }) => {
                assert_eq!((table, column), ("motions", "rule_base"));
                assert_eq!(
                    (id, value.as_str()),
                    (motion.to_string(), "half_of_something")
                );
            }
            other => panic!("an unknown rule base is an error, not a default: {other:?}"),
        }
    });
    let page = c.clerk.get(&c.meeting).await;
    assert_eq!(page.status, 500, "never shown with a default rule");
}

/// The four-bases migration rebuilds `motions` on SQLite (a CHECK cannot be altered there). Run
/// down and up again over a real meeting, it keeps every motion, vote and snapshot, the guards
/// still refuse changing a closed motion, and the new base can be stored afterwards.
#[actix_web::test]
async fn the_four_bases_migration_keeps_every_motion_and_its_guards() {
    let c = convene("cr7").await;
    c.clerk
        .post(&format!("{}/state", c.meeting), &[("action", "open")])
        .await;
    c.attend(&[0, 1, 2, 3]).await;
    let motion = c.motion("修路").await;
    c.clerk
        .post(&format!("{}/motions/{motion}/open", c.meeting), &[])
        .await;
    assert_eq!(c.vote(0, motion, "yes").await, 303);
    assert_eq!(c.vote(1, motion, "no").await, 303);
    c.clerk
        .post(&format!("{}/motions/{motion}/close", c.meeting), &[])
        .await;
    let count = |conn: &mut minyi::db::DbConn, table: &str| -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(conn)
            .expect("count")
            .n
    };
    let tables = [
        "motions",
        "votes",
        "motion_roll",
        "motion_tallies",
        "council_settings",
    ];
    let before: Vec<i64> = c
        .app
        .with_conn(|conn| tables.iter().map(|t| count(conn, t)).collect());
    assert!(before[..4].iter().all(|n| *n > 0), "{before:?}");
    c.app.with_conn(|conn| {
        let mut reverted = Vec::new();
        while !reverted.iter().any(|n: &String| n.contains("000030")) {
            reverted.push(minyi::db::migrations::revert_last(conn).expect("down"));
        }
        let after_down: Vec<i64> = tables.iter().map(|t| count(conn, t)).collect();
        assert_eq!(after_down, before, "down kept the rows ({reverted:?})");
        minyi::db::migrations::run_pending(conn).expect("up again");
    });
    let after: Vec<i64> = c
        .app
        .with_conn(|conn| tables.iter().map(|t| count(conn, t)).collect());
    assert_eq!(after, before, "up kept the rows");
    let refused = c.app.with_conn(|conn| {
        diesel::sql_query(format!("UPDATE motions SET text = 'x' WHERE id = {motion}"))
            .execute(conn)
    });
    assert!(
        refused
            .expect_err("a closed motion never changes")
            .to_string()
            .contains("motions: a closed motion never changes")
    );
    let refused = c.app.with_conn(|conn| {
        diesel::sql_query(format!("DELETE FROM motions WHERE id = {motion}")).execute(conn)
    });
    assert!(
        refused
            .expect_err("a closed motion is never deleted")
            .to_string()
            .contains("motions: only a draft motion may be deleted")
    );
    // The meeting goes on with the fourth base.
    let put = c
        .clerk
        .post(
            &format!("{}/motions", c.meeting),
            &[
                ("kind", "general"),
                ("text", "路灯"),
                ("base", "yes_no_abstain"),
                ("fraction", "1/2"),
                ("strict", "on"),
                ("min_yes", "1"),
            ],
        )
        .await;
    assert_eq!(put.status, 303, "{}", put.body);
}
