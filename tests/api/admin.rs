//! Integration tests: the administrator's account pages.

use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, STAFF_PASSWORD, TestApp, Village, spawn_app};

fn shown_password(body: &str) -> String {
    let marker = "big-number pin\">";
    let start = body.find(marker).expect("a one-time password") + marker.len();
    let end = body[start..].find('<').expect("end") + start;
    body[start..end].to_string()
}

async fn admin_of(app: &TestApp, village: &Village) -> (i64, Browser) {
    let id = app.staff("boss", Role::Admin, Scope::Township(village.township_id));
    let browser = app.browser();
    browser.login_staff("boss").await;
    (id, browser)
}

#[actix_web::test]
async fn an_admin_creates_a_clerk_who_can_then_work() {
    let app = spawn_app().await;
    let v = app.village("ad1");
    let (_, admin) = admin_of(&app, &v).await;
    let scope = format!("v:{}", v.id);
    let page = admin
        .post(
            "/staff/accounts/new",
            &[
                ("username", "Li.Clerk"),
                ("display_name", "李文书"),
                ("email", ""),
                ("role", "clerk"),
                ("scope", &scope),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let password = shown_password(&page.body);
    let clerk = app.browser();
    let login = clerk
        .post(
            "/login",
            &[("username", "li.clerk"), ("password", &password)],
        )
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(
        login.location.as_deref(),
        Some("/staff/password"),
        "a one-time password is replaced first"
    );
    let changed = clerk
        .post(
            "/staff/password",
            &[
                ("current", &password),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(clerk.get("/staff/v/ad1/households").await.status, 200);
    let list = admin.get("/staff/accounts").await;
    assert!(list.body.contains("li.clerk") && list.body.contains("ad1村"));
    assert!(app.audit_actions().iter().any(|a| a.0 == "staff.create"));
}

#[actix_web::test]
async fn bad_account_forms_come_back_with_messages() {
    let app = spawn_app().await;
    let v = app.village("ad2");
    let (_, admin) = admin_of(&app, &v).await;
    let township = format!("t:{}", v.township_id);
    let page = admin
        .post(
            "/staff/accounts/new",
            &[
                ("username", "x"),
                ("display_name", ""),
                ("email", "nope"),
                ("role", "clerk"),
                ("scope", &township),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("用户名需 3 到 32 个小写字母"));
    assert!(page.body.contains("请填写姓名"));
    assert!(page.body.contains("电子邮箱格式不对"));
    let page = admin
        .post(
            "/staff/accounts/new",
            &[
                ("username", "clerk.two"),
                ("display_name", "文书"),
                ("role", "clerk"),
                ("scope", &township),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("这个角色不能用于这个范围"));
    assert!(page.body.contains("value=\"clerk.two\""), "fields are kept");
    let page = admin
        .post(
            "/staff/accounts/new",
            &[
                ("username", "boss"),
                ("display_name", "重名"),
                ("role", "auditor"),
                ("scope", &township),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("这个用户名已被使用"));
}

#[actix_web::test]
async fn deactivating_ends_the_session_and_the_login() {
    let app = spawn_app().await;
    let v = app.village("ad3");
    let (admin_id, admin) = admin_of(&app, &v).await;
    let clerk_id = app.staff("clerk.ad3", Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff("clerk.ad3").await;
    assert_eq!(clerk.get("/staff").await.status, 200);

    let off = admin
        .post(
            &format!("/staff/accounts/{clerk_id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(
        clerk.get("/staff").await.status,
        303,
        "the open session ends"
    );
    let again = app
        .browser()
        .post(
            "/login",
            &[("username", "clerk.ad3"), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 422);

    admin
        .post(
            &format!("/staff/accounts/{clerk_id}/active"),
            &[("active", "true")],
        )
        .await;
    app.browser().login_staff("clerk.ad3").await;

    let own = admin
        .post(
            &format!("/staff/accounts/{admin_id}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(own.status, 409);
    assert!(own.body.contains("不能停用自己的账号"));
}

#[actix_web::test]
async fn roles_are_added_and_removed_but_never_the_last() {
    let app = spawn_app().await;
    let v = app.village("ad4");
    let (_, admin) = admin_of(&app, &v).await;
    let id = app.staff("member.ad4", Role::CouncilMember, Scope::Group(v.groups[0]));
    let scope = format!("v:{}", v.id);
    let added = admin
        .post(
            &format!("/staff/accounts/{id}/roles"),
            &[("role", "supervisor"), ("scope", &scope)],
        )
        .await;
    assert_eq!(added.status, 303);
    let bad = admin
        .post(
            &format!("/staff/accounts/{id}/roles"),
            &[("role", "admin"), ("scope", &scope)],
        )
        .await;
    assert_eq!(bad.status, 422);
    let roles = app.with_conn(|c| minyi::accounts::store::all_with_roles(c).expect("roles"));
    let member = roles.into_iter().find(|s| s.id == id).expect("account");
    assert_eq!(member.roles.len(), 2);
    let first = member.roles[0].0;
    let second = member.roles[1].0;
    assert_eq!(
        admin
            .post(&format!("/staff/accounts/{id}/roles/{first}/remove"), &[])
            .await
            .status,
        303
    );
    let last = admin
        .post(&format!("/staff/accounts/{id}/roles/{second}/remove"), &[])
        .await;
    assert_eq!(last.status, 409);
}

#[actix_web::test]
async fn an_admin_sees_only_their_own_township() {
    let app = spawn_app().await;
    let v = app.village("ad5");
    let (_, admin) = admin_of(&app, &v).await;
    let other_township = app.with_conn(|c| {
        minyi::villages::store::create_township(c, "far", "远镇").expect("township")
    });
    let stranger = app.staff("stranger", Role::Auditor, Scope::Township(other_township));
    assert_eq!(
        admin
            .get(&format!("/staff/accounts/{stranger}"))
            .await
            .status,
        404
    );
    let reset = admin
        .post(&format!("/staff/accounts/{stranger}/password"), &[])
        .await;
    assert_eq!(reset.status, 404);
    assert!(!admin.get("/staff/accounts").await.body.contains("stranger"));
}

#[actix_web::test]
async fn a_password_reset_retires_the_old_password() {
    let app = spawn_app().await;
    let v = app.village("ad6");
    let (_, admin) = admin_of(&app, &v).await;
    let id = app.staff("clerk.ad6", Role::Clerk, Scope::Village(v.id));
    let page = admin
        .post(&format!("/staff/accounts/{id}/password"), &[])
        .await;
    assert_eq!(page.status, 200);
    let fresh = shown_password(&page.body);
    let old = app
        .browser()
        .post(
            "/login",
            &[("username", "clerk.ad6"), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 422);
    let new = app
        .browser()
        .post("/login", &[("username", "clerk.ad6"), ("password", &fresh)])
        .await;
    assert_eq!(new.status, 303);
}
