//! Trusting a proxy correctly: with `--trust-proxy` the client address is the one the trusted
//! proxy appended to X-Forwarded-For (the N-th from the right with N proxy hops), never a value
//! the client sent itself.

use super::{app_with, audit_rows};

async fn failed_login_from(base: &str, forwarded: &str) {
    let browser = crate::helpers::Browser::new(base);
    let token = browser.csrf().await;
    let response = browser
        .client
        .post(format!("{base}/login"))
        .header("X-Forwarded-For", forwarded)
        .form(&[
            ("csrf", token.as_str()),
            ("username", "nobody"),
            ("password", "whatever-1A"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 422);
}

fn last_address(app: &crate::helpers::TestApp) -> Option<String> {
    audit_rows(app).into_iter().last().and_then(|r| r.3)
}

#[actix_web::test]
async fn the_address_is_the_one_the_trusted_proxy_appended() {
    let app = app_with(|s| s.trust_proxy = true).await;
    // The client sent "6.6.6.6" itself; the proxy appended the address it saw.
    failed_login_from(&app.base, "6.6.6.6, 203.0.113.9").await;
    assert_eq!(last_address(&app).as_deref(), Some("203.0.113.9"));
    failed_login_from(&app.base, "203.0.113.10").await;
    assert_eq!(last_address(&app).as_deref(), Some("203.0.113.10"));
}

#[actix_web::test]
async fn with_two_hops_the_second_from_the_right_counts() {
    let app = app_with(|s| {
        s.trust_proxy = true;
        s.proxy_hops = 2;
    })
    .await;
    failed_login_from(&app.base, "6.6.6.6, 198.51.100.4, 10.0.0.2").await;
    assert_eq!(last_address(&app).as_deref(), Some("198.51.100.4"));
}

#[actix_web::test]
async fn without_trust_the_header_is_ignored() {
    let app = app_with(|_| {}).await;
    failed_login_from(&app.base, "6.6.6.6, 203.0.113.9").await;
    assert_eq!(last_address(&app).as_deref(), Some("127.0.0.1"));
}
