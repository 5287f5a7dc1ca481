//! Passwords: common ones and ones built from the username, the village or the product's name
//! are refused; a one-time or reset password must be replaced before anything else.

use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, STAFF_PASSWORD, spawn_app};

async fn try_password(browser: &Browser, new: &str) -> crate::helpers::Page {
    browser
        .post(
            "/staff/password",
            &[("current", STAFF_PASSWORD), ("new", new), ("repeat", new)],
        )
        .await
}

#[actix_web::test]
async fn common_and_guessable_passwords_are_refused() {
    let app = spawn_app().await;
    let v = app.village("zhangcun");
    app.staff("wang.clerk", Role::Clerk, Scope::Village(v.id));
    let browser = app.browser();
    browser.login_staff("wang.clerk").await;
    for (password, message) in [
        ("Password123", "这个密码太常见"),
        ("Admin@2026", "这个密码太常见"),
        ("P@ssw0rd-2026", "这个密码太常见"),
        ("Village-2027!", "这个密码太常见"),
        ("Minyi2026!", "容易被猜到"),
        ("Zhangcun@2026", "容易被猜到"),
        ("Wang.Clerk2026", "不能包含用户名"),
    ] {
        let page = try_password(&browser, password).await;
        assert_eq!(page.status, 422, "{password} was accepted");
        assert!(page.body.contains(message), "{password}: {}", page.body);
    }
    let good = try_password(&browser, "Lantern-Rice-2027!").await;
    assert_eq!(good.status, 200, "{}", good.body);
}

fn shown_password(body: &str) -> String {
    let marker = "big-number pin\">";
    let start = body.find(marker).expect("a one-time password") + marker.len();
    let end = body[start..].find('<').expect("end") + start;
    body[start..end].to_string()
}

/// Signs in with a password someone else set and checks that nothing but the password page is
/// reachable until it is replaced.
async fn forced_to_change(browser: &Browser, username: &str, password: &str, village: &str) {
    let login = browser
        .post("/login", &[("username", username), ("password", password)])
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(login.location.as_deref(), Some("/staff/password"));
    let work = browser.get(&format!("/staff/v/{village}/households")).await;
    assert_eq!(work.status, 303, "a page before the change");
    assert!(
        work.location
            .as_deref()
            .unwrap_or("")
            .starts_with("/staff/password"),
        "{:?}",
        work.location
    );
    let post = browser
        .post(
            &format!("/staff/v/{village}/households/new"),
            &[("number", "0909")],
        )
        .await;
    assert_eq!(post.status, 403, "a form before the change");
    let form = browser.get("/staff/password").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("临时密码"));
    let changed = browser
        .post(
            "/staff/password",
            &[
                ("current", password),
                ("new", "Lantern-Rice-2027!"),
                ("repeat", "Lantern-Rice-2027!"),
            ],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        browser
            .get(&format!("/staff/v/{village}/households"))
            .await
            .status,
        200,
        "after the change the work starts"
    );
}

#[actix_web::test]
async fn a_one_time_or_reset_password_must_be_changed_first() {
    let app = spawn_app().await;
    let v = app.village("pw2");
    app.staff("boss.pw2", Role::Admin, Scope::Township(v.township_id));
    let admin = app.browser();
    admin.login_staff("boss.pw2").await;
    let scope = format!("v:{}", v.id);
    let created = admin
        .post(
            "/staff/accounts/new",
            &[
                ("username", "li.pw2"),
                ("display_name", "李文书"),
                ("email", ""),
                ("role", "clerk"),
                ("scope", &scope),
            ],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    forced_to_change(
        &app.browser(),
        "li.pw2",
        &shown_password(&created.body),
        "pw2",
    )
    .await;

    let id = app.staff("zhao.pw2", Role::Clerk, Scope::Village(v.id));
    let reset = admin
        .post(&format!("/staff/accounts/{id}/password"), &[])
        .await;
    assert_eq!(reset.status, 200);
    forced_to_change(
        &app.browser(),
        "zhao.pw2",
        &shown_password(&reset.body),
        "pw2",
    )
    .await;
}
