//! The chained audit log: `minyi verify` finds an edited row even with the database's triggers
//! removed; sign-ins, refused sign-ins and sign-outs are recorded; auditors filter the log and
//! export it as spreadsheet-safe CSV (the export itself is recorded).

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::audit::chain::{self, Verdict};
use minyi::audit::{Action, Actor, Event};
use minyi::db::DbConn;

use super::audit_rows;
use crate::helpers::{TestApp, spawn_app};

/// Runs `minyi verify` against the app's database, as an operator would.
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

fn drop_update_trigger(conn: &mut DbConn) {
    let sql = match conn {
        DbConn::Pg(_) => "DROP TRIGGER audit_events_no_update ON audit_events",
        DbConn::Sqlite(_) => "DROP TRIGGER audit_events_no_update",
    };
    diesel::sql_query(sql).execute(conn).expect("drop trigger");
}

#[actix_web::test]
async fn verify_names_the_first_edited_event() {
    let app = spawn_app().await;
    let v = app.village("au1");
    app.staff("clerk.au1", Role::Clerk, Scope::Village(v.id));
    for _ in 0..3 {
        app.browser().login_staff("clerk.au1").await;
    }
    let (ok, text) = verify_cli(&app);
    assert!(ok, "{text}");
    assert!(text.contains("intact"), "{text}");
    let ids: Vec<i64> = app.with_conn(|c| {
        use minyi::db::schema::audit_events::dsl as ae;
        ae::audit_events
            .order(ae::id)
            .select(ae::id)
            .load(c)
            .expect("ids")
    });
    assert!(ids.len() >= 3);
    let target = ids[1];
    app.with_conn(|c| {
        drop_update_trigger(c);
        diesel::sql_query(format!(
            "UPDATE audit_events SET detail = 'result=Rejected' WHERE id = {target}"
        ))
        .execute(c)
        .expect("tamper")
    });
    let verdict = app.with_conn(chain::verify).expect("verify");
    assert!(
        matches!(verdict, Verdict::Broken { id, .. } if id == target),
        "{verdict:?}"
    );
    let (ok, text) = verify_cli(&app);
    assert!(!ok, "{text}");
    assert!(text.contains(&format!("event {target}")), "{text}");
}

#[actix_web::test]
async fn a_removed_last_event_breaks_the_chain_too() {
    let app = spawn_app().await;
    let v = app.village("au2");
    app.staff("clerk.au2", Role::Clerk, Scope::Village(v.id));
    app.browser().login_staff("clerk.au2").await;
    app.browser().login_staff("clerk.au2").await;
    app.with_conn(|c| {
        let sql = match c {
            DbConn::Pg(_) => "DROP TRIGGER audit_events_no_delete ON audit_events",
            DbConn::Sqlite(_) => "DROP TRIGGER audit_events_no_delete",
        };
        diesel::sql_query(sql).execute(c).expect("drop trigger");
        diesel::sql_query("DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)")
            .execute(c)
            .expect("delete");
    });
    let verdict = app.with_conn(chain::verify).expect("verify");
    assert_eq!(verdict, Verdict::HeadMismatch);
}

#[actix_web::test]
async fn sign_ins_refusals_and_sign_outs_are_recorded_and_filtered() {
    let app = spawn_app().await;
    let v = app.village("au3");
    app.staff("clerk.au3", Role::Clerk, Scope::Village(v.id));
    app.staff("audit.au3", Role::Auditor, Scope::Township(v.township_id));
    let clerk = app.browser();
    let wrong = clerk
        .post(
            "/login",
            &[("username", "clerk.au3"), ("password", "Wrong-pass-1")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    clerk.login_staff("clerk.au3").await;
    clerk.post("/logout", &[]).await;
    let rows: Vec<(String, String)> = audit_rows(&app).into_iter().map(|r| (r.0, r.2)).collect();
    for wanted in [
        ("staff.login", "denied"),
        ("staff.login", "ok"),
        ("staff.logout", "ok"),
    ] {
        assert!(
            rows.contains(&(wanted.0.to_string(), wanted.1.to_string())),
            "{wanted:?} in {rows:?}"
        );
    }
    let auditor = app.browser();
    auditor.login_staff("audit.au3").await;
    let denied = auditor
        .get("/staff/audit?what=staff.login&result=denied")
        .await;
    assert_eq!(denied.status, 200);
    assert_eq!(denied.body.matches("<td>staff.login</td>").count(), 1);
    assert!(!denied.body.contains("<td>staff.logout</td>"));
    let bad = auditor.get("/staff/audit?what=nothing.such").await;
    assert_eq!(bad.status, 422);
}

#[actix_web::test]
async fn the_csv_export_is_spreadsheet_safe_and_recorded() {
    let app = spawn_app().await;
    let v = app.village("au4");
    app.staff("audit.au4", Role::Auditor, Scope::Township(v.township_id));
    app.with_conn(|c| {
        minyi::audit::record(
            c,
            Event::ok(Actor::System, Action::DemoSeed, "=HYPERLINK(\"http://x\")")
                .in_township(v.township_id)
                .detail("+cmd|' /C calc'!A0"),
        )
        .expect("record")
    });
    let auditor = app.browser();
    auditor.login_staff("audit.au4").await;
    let response = auditor
        .client
        .get(format!(
            "{}/staff/audit/export.csv?what=demo.seed",
            app.base
        ))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM first");
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("'+cmd"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",+"), "{text}");
    assert_eq!(text.lines().count(), 2, "header and the one event: {text}");
    let exports: Vec<_> = audit_rows(&app)
        .into_iter()
        .filter(|r| r.0 == "audit.export")
        .collect();
    assert_eq!(exports.len(), 1);
}
