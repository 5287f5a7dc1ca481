//! Integration tests: the clerk's household register, PIN slips and spreadsheet import.

use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, TestApp, Village, spawn_app};

async fn clerk_of(app: &TestApp, village: &Village) -> Browser {
    let name = format!("clerk.{}", village.code);
    app.staff(&name, Role::Clerk, Scope::Village(village.id));
    let browser = app.browser();
    browser.login_staff(&name).await;
    browser
}

fn pin_on(body: &str) -> String {
    let marker = "big-number pin\">";
    let start = body.find(marker).expect("a PIN on the slip") + marker.len();
    body[start..start + 6].to_string()
}

fn count_households(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use minyi::db::schema::households::dsl as h;
    app.with_conn(|c| h::households.count().get_result(c).expect("count"))
}

#[actix_web::test]
async fn a_registered_household_gets_a_slip_and_can_sign_in_with_it() {
    let app = spawn_app().await;
    let v = app.village("hx");
    let clerk = clerk_of(&app, &v).await;
    let group = v.groups[1].to_string();
    let page = clerk
        .post(
            "/staff/v/hx/households/new",
            &[
                ("number", "0301"),
                ("head_name", "王秀英"),
                ("members", "4"),
                ("group", &group),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("0301"));
    assert!(page.body.contains("王**"), "slip shows the masked name");
    assert!(
        !page.body.contains("王秀英"),
        "slip does not show the full name"
    );
    let pin = pin_on(&page.body);

    let phone = app.browser();
    let login = phone
        .post("/v/hx/login", &[("number", "0301"), ("pin", &pin)])
        .await;
    assert_eq!(login.status, 303);
    assert_eq!(login.location.as_deref(), Some("/v/hx/me"));
    let actions: Vec<String> = app.audit_actions().into_iter().map(|a| a.0).collect();
    assert!(
        actions.contains(&"household.create".to_string()),
        "{actions:?}"
    );
}

#[actix_web::test]
async fn a_bad_form_comes_back_with_fields_kept_and_messages_beside_them() {
    let app = spawn_app().await;
    let v = app.village("hb");
    let clerk = clerk_of(&app, &v).await;
    let page = clerk
        .post(
            "/staff/v/hb/households/new",
            &[
                ("number", "03 01"),
                ("head_name", "李<b>四"),
                ("members", "abc"),
                ("group", "999999"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("value=\"03 01\""),
        "the typed number is kept"
    );
    assert!(
        page.body.contains("李&#60;b&#62;四"),
        "the typed name is kept, escaped"
    );
    assert!(page.body.contains("户号只能包含数字、字母和短横线"));
    assert!(page.body.contains("人口请填 1 到 99 之间的整数"));
    assert!(page.body.contains("请选择本村的一个小组"));
    assert_eq!(count_households(&app), 0, "nothing was written");
}

#[actix_web::test]
async fn a_taken_number_is_refused_by_the_database_with_a_message() {
    let app = spawn_app().await;
    let v = app.village("hd");
    app.household(&v, "0101", "104729");
    let clerk = clerk_of(&app, &v).await;
    let group = v.groups[0].to_string();
    let page = clerk
        .post(
            "/staff/v/hd/households/new",
            &[
                ("number", "0101"),
                ("head_name", "赵六"),
                ("members", "2"),
                ("group", &group),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("本村已有这个户号"));
    assert_eq!(count_households(&app), 1);
}

#[actix_web::test]
async fn a_moved_household_can_no_longer_sign_in() {
    let app = spawn_app().await;
    let v = app.village("hm");
    let id = app.household(&v, "0102", "104729");
    let clerk = clerk_of(&app, &v).await;
    let group = v.groups[0].to_string();
    let page = clerk
        .post(
            &format!("/staff/v/hm/households/{id}"),
            &[
                ("number", "0102"),
                ("head_name", "张三丰"),
                ("members", "3"),
                ("group", &group),
                ("status", "moved"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let login = app
        .browser()
        .post("/v/hm/login", &[("number", "0102"), ("pin", "104729")])
        .await;
    assert_eq!(login.status, 422);
    let update = app
        .audit_actions()
        .into_iter()
        .find(|a| a.0 == "household.update")
        .expect("audited");
    assert_eq!(update.1, format!("household:{id}"));
}

#[actix_web::test]
async fn resetting_a_pin_retires_the_old_one() {
    let app = spawn_app().await;
    let v = app.village("hp");
    let id = app.household(&v, "0103", "104729");
    let clerk = clerk_of(&app, &v).await;
    let page = clerk
        .post(&format!("/staff/v/hp/households/{id}/pin"), &[])
        .await;
    assert_eq!(page.status, 200);
    let new_pin = pin_on(&page.body);
    let old = app
        .browser()
        .post("/v/hp/login", &[("number", "0103"), ("pin", "104729")])
        .await;
    assert_eq!(old.status, 422, "the old PIN no longer works");
    let new = app
        .browser()
        .post("/v/hp/login", &[("number", "0103"), ("pin", &new_pin)])
        .await;
    assert_eq!(new.status, 303, "the new PIN works");
}

#[actix_web::test]
async fn an_import_with_one_bad_row_writes_nothing_and_names_the_row() {
    let app = spawn_app().await;
    let v = app.village("hi");
    let clerk = clerk_of(&app, &v).await;
    let rows = "户号,户主姓名,人口,小组\n0101,张三,4,一组\n0102,李四,x,二组\n0103,王五,2,九组\n";
    let page = clerk
        .post("/staff/v/hi/households/import", &[("rows", rows)])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("发现 2 处问题"), "{}", page.body);
    assert!(
        page.body.contains("0102,李四,x,二组"),
        "the pasted table is kept"
    );
    assert_eq!(count_households(&app), 0);
}

#[actix_web::test]
async fn a_clean_import_writes_every_row_and_prints_a_slip_each() {
    let app = spawn_app().await;
    let v = app.village("hc");
    let clerk = clerk_of(&app, &v).await;
    let rows = "户号\t户主姓名\t人口\t小组\n0101\t张三\t4\t一组\n0102\t李四\t3\t二组\n0103\t王五\t2\t二组\n";
    let page = clerk
        .post("/staff/v/hc/households/import", &[("rows", rows)])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("class=\"slip\"").count(), 3);
    assert_eq!(count_households(&app), 3);
    let list = clerk
        .get("/staff/v/hc/households?group=".to_string().as_str())
        .await;
    assert!(list.body.contains("共 3 户"));
}

#[actix_web::test]
async fn the_list_pages_and_filters() {
    let app = spawn_app().await;
    let v = app.village("hl");
    {
        use minyi::households::domain::{Status, ValidHousehold};
        let mut conn = app.conn();
        for n in 0..60 {
            let h = ValidHousehold {
                number: format!("{n:04}"),
                head_name: "某".into(),
                members: 1,
                group_id: v.groups[n % 2],
                status: Status::Active,
            };
            minyi::households::store::create(&mut conn, v.id, &h, "x")
                .expect("insert")
                .expect("free");
        }
    }
    let clerk = clerk_of(&app, &v).await;
    let first = clerk.get("/staff/v/hl/households").await;
    assert_eq!(
        first.body.matches("/staff/v/hl/households/").count(),
        50 + 2,
        "50 edit links, plus new and import"
    );
    assert!(first.body.contains("第 1 页，共 2 页"));
    let second = clerk.get("/staff/v/hl/households?page=1").await;
    assert!(second.body.contains(">0059<"));
    assert!(!second.body.contains(">0000<"));
    let group = format!("/staff/v/hl/households?group={}", v.groups[0]);
    assert!(clerk.get(&group).await.body.contains("共 30 户"));
    assert!(
        clerk
            .get("/staff/v/hl/households?q=005")
            .await
            .body
            .contains("共 10 户")
    );
    assert_eq!(
        clerk
            .get("/staff/v/hl/households?page=-4&q=%25")
            .await
            .status,
        200,
        "odd input is harmless"
    );
}
