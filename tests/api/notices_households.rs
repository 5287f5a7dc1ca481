//! Integration tests: households reach the notices open for objection from the kiosk start
//! screen, the kiosk's notice board and their home pages; the public notice page links to the
//! sign-in and comes back to the notice afterwards.

use crate::helpers::spawn_app;
use crate::notices::{clerk, published};

#[actix_web::test]
async fn the_kiosk_and_the_household_home_list_open_notices_with_an_objection_link() {
    let app = spawn_app().await;
    let v = app.village("nh1");
    clerk(&app, &v).await;
    app.household(&v, "0401", "104729");
    let open = published(&app, &v, "村道硬化方案", None, 0);
    let old = published(&app, &v, "去年的旧公示", None, 400);

    let kiosk = app.browser();
    let start = kiosk.get("/kiosk/nh1").await;
    assert_eq!(start.status, 200);
    assert!(
        start.body.contains("村道硬化方案"),
        "the start screen lists it"
    );
    assert!(
        start
            .body
            .contains(&format!("href=\"/kiosk/nh1/notices/{open}/object\"")),
        "with 提出异议"
    );
    assert!(
        !start.body.contains("去年的旧公示"),
        "closed periods are not listed"
    );
    assert!(
        start.body.contains("href=\"/kiosk/nh1/notices\""),
        "and the kiosk board"
    );

    let board = kiosk.get("/kiosk/nh1/notices").await;
    assert_eq!(board.status, 200);
    assert!(board.body.contains("class=\"kiosk\""), "in kiosk chrome");
    assert!(
        board
            .body
            .contains(&format!("/kiosk/nh1/notices/{open}/object"))
    );
    assert!(!board.body.contains(&format!("/notices/{old}/object")));
    assert_eq!(kiosk.get("/kiosk/nobody/notices").await.status, 404);

    kiosk
        .post("/kiosk/nh1/login", &[("number", "0401"), ("pin", "104729")])
        .await;
    let home = kiosk.get("/kiosk/nh1/home").await;
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains(&format!("/kiosk/nh1/notices/{open}/object"))
    );
    let object = kiosk
        .get(&format!("/kiosk/nh1/notices/{open}/object"))
        .await;
    assert_eq!(object.status, 200, "the link leads to the objection form");

    let phone = app.browser();
    phone
        .post("/v/nh1/login", &[("number", "0401"), ("pin", "104729")])
        .await;
    let me = phone.get("/v/nh1/me").await;
    assert!(
        me.body
            .contains(&format!("href=\"/v/nh1/notices/{open}/object\""))
    );
    assert!(!me.body.contains("去年的旧公示"));
}

#[actix_web::test]
async fn the_public_notice_links_to_the_sign_in_and_returns_to_the_notice() {
    let app = spawn_app().await;
    let v = app.village("nh2");
    clerk(&app, &v).await;
    app.household(&v, "0402", "104729");
    let id = published(&app, &v, "低保名单", None, 0);
    let stranger = app.browser();
    let page = stranger.get(&format!("/v/nh2/notices/{id}")).await;
    let link = format!("href=\"/v/nh2/login?next=/v/nh2/notices/{id}\"");
    assert!(
        page.body.contains(&link),
        "a real link to the sign-in: {}",
        page.body
    );

    let login = stranger
        .get(&format!("/v/nh2/login?next=/v/nh2/notices/{id}"))
        .await;
    assert!(
        login
            .body
            .contains(&format!("name=\"next\" value=\"/v/nh2/notices/{id}\""))
    );
    let next = format!("/v/nh2/notices/{id}");
    let signed_in = stranger
        .post(
            "/v/nh2/login",
            &[("number", "0402"), ("pin", "104729"), ("next", &next)],
        )
        .await;
    assert_eq!(signed_in.status, 303);
    assert_eq!(signed_in.location.as_deref(), Some(next.as_str()));
    let back = stranger.get(&next).await;
    assert!(back.body.contains(&format!("/v/nh2/notices/{id}/object")));

    // Anywhere else is not a place to return to.
    let other = app.browser();
    let elsewhere = other
        .post(
            "/v/nh2/login",
            &[
                ("number", "0402"),
                ("pin", "104729"),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(elsewhere.location.as_deref(), Some("/v/nh2/me"));
    let shown = other.get("/v/nh2/login?next=//evil.example").await;
    assert!(
        !shown.body.contains("name=\"next\""),
        "no place to return to"
    );
}
