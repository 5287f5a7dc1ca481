//! Attachments on project records: a photo is stored and served with safe headers; a text file
//! named .jpg is refused (422), a file over 5 MB is refused (413), a form whose CSRF token does
//! not come first is refused (403), another village's attachment is not found.

use super::work::noticed;
use super::{Flow, plan_approved};
use crate::helpers::Browser;

const BOUNDARY: &str = "----minyi-test-boundary";

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: image/jpeg\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send(b: &Browser, path: &str, body: Vec<u8>) -> reqwest::Response {
    b.client
        .post(format!("{}{path}", b.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST")
}

async fn upload(f: &Flow, target: &str, name: &str, bytes: &[u8]) -> u16 {
    let token = f.c.clerk.csrf().await;
    let body = multipart(&[
        ("csrf", None, token.as_bytes()),
        ("target", None, target.as_bytes()),
        ("file", Some(name), bytes),
    ]);
    send(&f.c.clerk, &format!("{}/attachments", f.page()), body)
        .await
        .status()
        .as_u16()
}

#[actix_web::test]
async fn attachments_are_checked_by_content_and_size_and_served_safely() {
    let f = plan_approved("pf1").await;
    noticed(&f, 20);
    assert_eq!(
        f.c.clerk
            .post(&format!("{}/start", f.page()), &[])
            .await
            .status,
        303
    );
    let posted =
        f.c.clerk
            .post(
                &format!("{}/progress", f.page()),
                &[
                    ("reported_on", "2026-12-10"),
                    ("percent", "20"),
                    ("body", "开工"),
                ],
            )
            .await;
    assert_eq!(posted.status, 303);
    let progress = f
        .c
        .app
        .with_conn(|c| minyi::projects::work_store::progress(c, f.project).expect("read")[0].id);
    let target = format!("progress:{progress}");
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    assert_eq!(upload(&f, &target, "村口.jpg", &jpeg).await, 303);
    assert_eq!(
        upload(&f, &target, "fake.jpg", b"just text pretending").await,
        422,
        "a .jpg that is really text"
    );
    let mut big = vec![0xFF, 0xD8, 0xFF];
    big.resize(5 * 1024 * 1024 + 1, 0);
    assert_eq!(upload(&f, &target, "big.jpg", &big).await, 413);
    // The token must come before the file.
    let token = f.c.clerk.csrf().await;
    let late = multipart(&[
        ("file", Some("a.jpg"), &jpeg),
        ("csrf", None, token.as_bytes()),
        ("target", None, target.as_bytes()),
    ]);
    let refused = send(&f.c.clerk, &format!("{}/attachments", f.page()), late).await;
    assert_eq!(refused.status().as_u16(), 403);
    let stored: Vec<i64> = f.c.app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::attachments as at;
        at::table.select(at::id).load(c).expect("rows")
    });
    assert_eq!(stored.len(), 1, "only the real photo was stored");
    let public = f.c.app.browser();
    let page = public.get(&format!("/v/pf1/projects/{}", f.project)).await;
    assert!(page.body.contains("村口.jpg"), "{}", page.body);
    let served = public
        .client
        .get(format!("{}/v/pf1/attachments/{}", public.base, stored[0]))
        .send()
        .await
        .expect("GET");
    assert_eq!(served.status().as_u16(), 200);
    let h = served.headers();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("inline")
    );
    assert_eq!(h["content-security-policy"], "default-src 'none'");
    assert!(
        h["cache-control"]
            .to_str()
            .unwrap_or("")
            .contains("max-age")
    );
    assert_eq!(served.bytes().await.expect("body").as_ref(), &jpeg);
    f.c.app.village("pf2");
    let foreign = public
        .get(&format!("/v/pf2/attachments/{}", stored[0]))
        .await;
    assert_eq!(foreign.status, 404, "another village's attachment");
    // Supervisors attach to inspections, not to progress.
    let token = f.supervisor.csrf().await;
    let body = multipart(&[
        ("csrf", None, token.as_bytes()),
        ("target", None, target.as_bytes()),
        ("file", Some("b.jpg"), &jpeg),
    ]);
    let sup = send(&f.supervisor, &format!("{}/attachments", f.page()), body).await;
    assert_eq!(sup.status().as_u16(), 403);
}
