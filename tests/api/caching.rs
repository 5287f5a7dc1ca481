//! Integration tests: public records that never change are revalidated, not resent. A closed
//! round's results page and downloads carry a strong ETag; asking again with it answers 304
//! with no body; a changed record gets a new tag; a request with a session cookie (someone
//! signed in, perhaps at a shared kiosk) stays `no-store`.

use crate::collection::{confirm, household, open_round};

#[actix_web::test]
async fn closed_results_are_revalidated_with_an_etag_and_signed_in_pages_are_never_stored() {
    let s = open_round("et1", false).await;
    let phone = household(&s.app, "et1", "0101", "104729").await;
    assert_eq!(confirm(&phone, "et1", "修路", "0").await.status, 303);
    let base = format!("/staff/v/et1/rounds/{}", s.round);
    s.clerk
        .post(&format!("{base}/state"), &[("action", "close")])
        .await;
    let client = reqwest::Client::new();
    for (path, control) in [
        (format!("/v/et1/rounds/{}", s.round), "private, no-cache"),
        (
            format!("/v/et1/rounds/{}/results.csv", s.round),
            "public, max-age=300, must-revalidate",
        ),
    ] {
        let url = format!("{}{path}", s.app.base);
        let first = client.get(&url).send().await.expect("GET");
        assert_eq!(first.status(), 200, "{path}");
        let header = |r: &reqwest::Response, name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header(&first, "etag").expect("an ETag");
        assert_eq!(header(&first, "cache-control").as_deref(), Some(control));
        let again = client
            .get(&url)
            .header("If-None-Match", &etag)
            .send()
            .await
            .expect("GET");
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().await.expect("body").is_empty());
        let other = client
            .get(&url)
            .header("If-None-Match", "\"not-this-one\"")
            .send()
            .await
            .expect("GET");
        assert_eq!(other.status(), 200);
    }
    // The same page for a signed-in household: no validator, never stored.
    let page = phone.get(&format!("/v/et1/rounds/{}", s.round)).await;
    assert_eq!(page.status, 200);
    assert!(page.headers.get("etag").is_none());
    assert_eq!(
        page.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}
