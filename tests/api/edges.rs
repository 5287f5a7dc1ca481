//! Integration tests: answers at the edges of what a request may carry.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn an_oversize_form_is_refused_with_413_and_a_page() {
    let app = spawn_app().await;
    let browser = app.browser();
    let token = browser.csrf().await;
    // Three MiB of text in one field: above the 2 MiB form limit.
    let big = "字".repeat(1024 * 1024);
    let page = browser
        .post_raw(
            "/login",
            &[("csrf", token.as_str()), ("username", big.as_str())],
        )
        .await;
    assert_eq!(
        page.status,
        413,
        "{}",
        &page.body[..page.body.len().min(300)]
    );
    assert!(page.body.contains("提交的内容太大"), "a page that says why");
}
