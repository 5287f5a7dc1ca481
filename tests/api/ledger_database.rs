//! The ledger's promises seen from outside: the database refuses to change posted entries,
//! `minyi verify` and the auditor's page name an entry edited in the database file, other
//! villages' ids are 404, and the auditor's CSV carries the BOM and the hashes.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::db::DbConn;

use crate::helpers::TestApp;
use crate::ledger::{raw, world};

#[actix_web::test]
async fn the_database_refuses_to_change_or_delete_posted_entries() {
    let w = world("lg6").await;
    w.posted("allocation", "拨-1", "100", None).await;
    assert_eq!(
        w.record("allocation", "拨-2", "100", None).await.status,
        303
    );
    w.app.with_conn(|c| {
        let e = raw(
            c,
            "UPDATE ledger_entries SET amount_fen = 1 WHERE voucher = '拨-1'",
        )
        .unwrap_err();
        assert!(
            e.contains("ledger_entries: a decided entry never changes"),
            "{e}"
        );
        let e = raw(c, "DELETE FROM ledger_entries WHERE voucher = '拨-1'").unwrap_err();
        assert!(
            e.contains("ledger_entries: entries are never deleted"),
            "{e}"
        );
        let e = raw(c, "DELETE FROM ledger_entries WHERE voucher = '拨-2'").unwrap_err();
        assert!(e.contains("never deleted"), "{e}");
        let e = raw(c, "UPDATE funds SET hash_algorithm = 'sm3'").unwrap_err();
        assert!(
            e.contains("funds: a fund with posted entries never changes"),
            "{e}"
        );
        let e = raw(c, "DELETE FROM funds").unwrap_err();
        assert!(e.contains("funds: funds are never deleted"), "{e}");
    });
}

fn verify_cli(app: &TestApp) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_minyi"))
        .arg("--data-dir")
        .arg(app.dir.path())
        .arg("--database-url")
        .arg(app.state.settings.effective_database_url())
        .arg("verify")
        .output()
        .expect("run minyi verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[actix_web::test]
async fn verify_names_the_entry_edited_in_the_database_file() {
    let w = world("lg7").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    for i in 1..=3 {
        w.posted("expense", &format!("付-{i}"), "100", Some(w.project))
            .await;
    }
    let (ok, text) = verify_cli(&w.app);
    assert!(ok, "{text}");
    assert!(text.contains("chain intact, 4 entries"), "{text}");
    // An attacker with the file drops the trigger and lowers an amount.
    w.app.with_conn(|c| {
        let drop = match c {
            DbConn::Pg(_) => "DROP TRIGGER ledger_entries_no_update ON ledger_entries",
            DbConn::Sqlite(_) => "DROP TRIGGER ledger_entries_no_update",
        };
        raw(c, drop).expect("drop");
        raw(
            c,
            "UPDATE ledger_entries SET amount_fen = 1000 WHERE seq = 3",
        )
        .expect("edit");
    });
    let (ok, text) = verify_cli(&w.app);
    assert!(!ok, "{text}");
    assert!(text.contains("BROKEN at entry seq 3"), "{text}");
    // The auditor's page names it too.
    let auditor = w
        .app
        .staff("aud.lg7", Role::Auditor, Scope::Township(w.v.township_id));
    let _ = auditor;
    let b = w.app.browser();
    b.login_staff("aud.lg7").await;
    let page = b
        .get(&format!("/staff/ledger/funds/{}?verify=1", w.fund))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("序号 3"), "{}", page.body);
}

#[actix_web::test]
async fn another_villages_fund_and_entry_ids_are_not_found() {
    let w = world("lg8").await;
    w.posted("allocation", "拨-1", "100", None).await;
    assert_eq!(
        w.record("allocation", "拨-2", "100", None).await.status,
        303
    );
    let other = w.app.village("lg8b");
    w.app
        .staff("clerk.lg8b", Role::Clerk, Scope::Village(other.id));
    w.app
        .staff("sup.lg8b", Role::Supervisor, Scope::Village(other.id));
    let clerk_b = w.app.browser();
    clerk_b.login_staff("clerk.lg8b").await;
    let sup_b = w.app.browser();
    sup_b.login_staff("sup.lg8b").await;
    let theirs = format!("/staff/v/lg8b/funds/{}", w.fund);
    assert_eq!(clerk_b.get(&theirs).await.status, 404);
    let id = w.entry("拨-2");
    let r = sup_b
        .post(&format!("{theirs}/entries/{id}/post"), &[])
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        w.app
            .browser()
            .get(&format!("/v/lg8b/funds/{}", w.fund))
            .await
            .status,
        404
    );
    assert_eq!(w.state_of("拨-2").0, "pending");
    // An entry id of another fund in this village's fund path: 404 as well.
    let r = w
        .sup
        .post(&format!("{}/entries/999999/post", w.fund_path()), &[])
        .await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn the_auditor_sees_every_fund_and_exports_csv_with_bom_and_hashes() {
    let w = world("lg9").await;
    w.posted("allocation", "拨-1", "10000", None).await;
    w.posted("expense", "=付-1", "100", Some(w.project)).await;
    w.app
        .staff("aud.lg9", Role::Auditor, Scope::Township(w.v.township_id));
    let b = w.app.browser();
    b.login_staff("aud.lg9").await;
    let list = b.get("/staff/ledger").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("¥9,900.00"), "{}", list.body);
    let csv = b
        .get(&format!("/staff/ledger/funds/{}/export.csv", w.fund))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'), "no BOM");
    assert!(csv.body.contains("prev_hash,hash"));
    assert!(csv.body.contains("'=付-1"), "{}", csv.body);
    let hash: Option<String> = w.app.with_conn(|c| {
        use minyi::db::schema::ledger_entries::dsl as e;
        e::ledger_entries
            .filter(e::seq.eq(2))
            .select(e::hash)
            .first(c)
            .expect("hash")
    });
    assert!(csv.body.contains(&hash.expect("hash")));
    assert!(
        w.app
            .audit_actions()
            .iter()
            .any(|(a, _, _)| a == "ledger.export")
    );
    // A clerk is no auditor.
    assert_eq!(w.clerk.get("/staff/ledger").await.status, 403);
}
