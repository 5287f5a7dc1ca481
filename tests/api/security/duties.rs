//! Separation of duties: an administrator cannot give itself roles; every role or password
//! change of an account mails its holder when an address is known; a password an administrator
//! reset cannot be used to act as the holder before the holder's own is set (see
//! `passwords::a_one_time_or_reset_password_must_be_changed_first`).

use minyi::accounts::domain::{Role, Scope};

use super::{mail_to, set_email};
use crate::helpers::{STAFF_PASSWORD, spawn_app};

#[actix_web::test]
async fn an_admin_cannot_grant_itself_roles() {
    let app = spawn_app().await;
    let v = app.village("du1");
    let boss = app.staff("boss.du1", Role::Admin, Scope::Township(v.township_id));
    let admin = app.browser();
    admin.login_staff("boss.du1").await;
    let scope = format!("v:{}", v.id);
    let township = format!("t:{}", v.township_id);
    for (role, scope) in [("clerk", &scope), ("auditor", &township)] {
        let page = admin
            .post(
                &format!("/staff/accounts/{boss}/roles"),
                &[("role", role), ("scope", scope)],
            )
            .await;
        assert_eq!(page.status, 409, "{role}");
        assert!(page.body.contains("不能给自己的账号增加角色"));
    }
    assert_eq!(
        admin.get("/staff/v/du1/households").await.status,
        403,
        "no clerk role was added"
    );
    let added: Vec<_> = crate::helpers::TestApp::audit_actions(&app)
        .into_iter()
        .filter(|a| a.0 == "staff.add_role")
        .collect();
    assert!(added.is_empty(), "{added:?}");
}

#[actix_web::test]
async fn role_and_password_changes_mail_the_holder() {
    let app = spawn_app().await;
    let v = app.village("du2");
    app.staff("boss.du2", Role::Admin, Scope::Township(v.township_id));
    let admin = app.browser();
    admin.login_staff("boss.du2").await;
    let clerk = app.staff("clerk.du2", Role::Clerk, Scope::Village(v.id));
    set_email(&app, clerk, "clerk@du2.example");
    let scope = format!("v:{}", v.id);
    let added = admin
        .post(
            &format!("/staff/accounts/{clerk}/roles"),
            &[("role", "supervisor"), ("scope", &scope)],
        )
        .await;
    assert_eq!(added.status, 303);
    let reset = admin
        .post(&format!("/staff/accounts/{clerk}/password"), &[])
        .await;
    assert_eq!(reset.status, 200);
    let mails = mail_to(&app, "clerk@du2.example");
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[0].1.contains("supervisor") && mails[0].1.contains("clerk.du2"));
    assert!(mails[1].1.contains("重置") && mails[1].1.contains("reset"));

    // The holder's own change is mailed too.
    let own = app.staff("own.du2", Role::Clerk, Scope::Village(v.id));
    set_email(&app, own, "own@du2.example");
    let browser = app.browser();
    browser.login_staff("own.du2").await;
    let changed = browser
        .post(
            "/staff/password",
            &[
                ("current", STAFF_PASSWORD),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(changed.status, 200);
    assert_eq!(mail_to(&app, "own@du2.example").len(), 1);
    // No address, no mail, and the change still happens.
    let silent = app.staff("quiet.du2", Role::Clerk, Scope::Village(v.id));
    let reset = admin
        .post(&format!("/staff/accounts/{silent}/password"), &[])
        .await;
    assert_eq!(reset.status, 200);
}
