//! Two supervisors post different entries of one fund at the same moment: the fund's lock makes
//! them line up, so the chain stays linear and the sequence numbers gapless.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::race_runs;
use crate::ledger::world;

#[actix_web::test]
async fn race_two_supervisors_post_at_once() {
    let runs = race_runs();
    let mut forks = 0;
    for run in 0..runs {
        let w = world(&format!("lr{run}")).await;
        w.app.staff(
            &format!("sup2.lr{run}"),
            Role::Supervisor,
            Scope::Village(w.v.id),
        );
        let sup2 = w.app.browser();
        sup2.login_staff(&format!("sup2.lr{run}")).await;
        for v in ["拨-1", "拨-2"] {
            assert_eq!(w.record("allocation", v, "100", None).await.status, 303);
        }
        let (a, b) = tokio::join!(w.post_as(&w.sup, "拨-1"), w.post_as(&sup2, "拨-2"));
        assert_eq!((a.status, b.status), (303, 303), "{} {}", a.body, b.body);
        let rows: Vec<(Option<i64>, Option<String>, Option<String>)> = w.app.with_conn(|c| {
            use minyi::db::schema::ledger_entries::dsl as e;
            e::ledger_entries
                .order(e::seq)
                .select((e::seq, e::prev_hash, e::hash))
                .load(c)
                .expect("rows")
        });
        let seqs: Vec<i64> = rows.iter().filter_map(|r| r.0).collect();
        let linear = seqs == [1, 2] && rows[1].1 == rows[0].2;
        if !linear {
            forks += 1;
        }
        let verdict = w.app.with_conn(|c| {
            let fund = minyi::ledger::store::all_funds(c).expect("funds").remove(0);
            minyi::ledger::verify::verify_fund(c, &fund, |_| {}).expect("verify")
        });
        assert!(
            matches!(
                verdict,
                minyi::ledger::domain::chain::Verdict::Intact { entries: 2, .. }
            ),
            "{verdict:?}"
        );
    }
    println!("RACE race_two_supervisors_post_at_once: runs={runs} x={forks}");
    assert_eq!(forks, 0);
}
