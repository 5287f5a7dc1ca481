//! Text that cannot be stored, on every staff POST route: a NUL put into each field the route's
//! form carries in turn (and into an extra field of forms that carry none) is a 422 and writes
//! nothing. A form with typed fields comes back with what was typed and the message beside the
//! field (`web::text`); a form of buttons and choices answers with the sentence that says why.

use super::{Method, ROUTES, post_fields, shows, world};

/// Routes whose form holds no typed text (buttons, choices, codes, credentials): refused with
/// the sentence, as a whole, since there is nothing typed to keep.
const MESSAGE_ONLY: &[&str] = &[
    "/staff/2fa",
    "/staff/locks/lift",
    "/staff/v/{village}/locks/lift",
    "/staff/accounts/{id}/active",
    "/staff/v/{village}/rounds/{round}/state",
    "/staff/v/{village}/reviews/{review}/state",
    "/staff/v/{village}/reviews/settings",
    "/staff/v/{village}/rounds/{round}/reconcile",
    "/staff/v/{village}/meetings/{meeting}/state",
    "/staff/v/{village}/meetings/{meeting}/attendance",
    "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands",
    "/staff/v/{village}/council/{meeting}/motions/{motion}/vote",
    "/staff/v/{village}/notices/{notice}/publish",
    "/staff/v/{village}/notices/{notice}/supersede",
    "/staff/v/{village}/rounds/{round}/candidates/shortlist",
    "/staff/v/{village}/rounds/{round}/candidates/{candidate}/merge",
    // Buttons (`NoFields`): the NUL went into a field the form does not have.
    "/staff/sessions/end-others",
    "/staff/accounts/{id}/roles/{assignment}/remove",
    "/staff/accounts/{id}/password",
    "/staff/v/{village}/households/{id}/pin",
    "/staff/v/{village}/funds/{fund}/entries/{entry}/post",
    "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open",
    "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close",
    "/staff/v/{village}/projects/{project}/notice",
    "/staff/v/{village}/projects/{project}/start",
    "/staff/v/{village}/projects/{project}/complete",
    "/staff/v/{village}/projects/{project}/inspections/{inspection}/close",
    // Uploads (multipart): a file and a choice of record, nothing typed that a page could show
    // again (no browser lets a page fill in a file field).
    "/staff/v/{village}/projects/{project}/attachments",
    "/staff/v/{village}/funds/{fund}/entries/{entry}/vouchers",
];

/// Fields never shown again, whatever happens: secrets, and the one-time token a form page
/// issues afresh.
const NEVER_SHOWN: &[&str] = &["current", "new", "repeat", "password", "once"];

/// What askama writes for a value inside the page.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

#[actix_web::test]
async fn a_nul_in_any_field_of_any_staff_form_is_a_422_with_the_form_kept_and_nothing_written() {
    let w = world().await;
    let mut sessions = Vec::new();
    for name in ["clerk.a", "admin.t", "council.a", "supervisor.a2"] {
        sessions.push((name, w.signed_in(name).await));
    }
    let before = w.snapshot();
    let mut kept = Vec::new();
    let mut message_only = Vec::new();
    let mut not_clean = Vec::new();
    for route in ROUTES.iter().filter(|r| r.method == Method::Post) {
        let allowed = super::right_accounts(route.allowed);
        let (name, browser) = sessions
            .iter()
            .find(|(name, _)| allowed.contains(name))
            .unwrap_or_else(|| panic!("no session in this test may use {}", route.pattern));
        let mut path = w.path_a(route);
        if route.pattern.ends_with("/{meeting}/refusal") {
            // The walk's `closed` meeting has minutes only once `/minutes` has written them,
            // which this walk never does: the refusal form is on the page of minutes unanswered.
            let (closed, refusing) = (w.council.closed, w.council.refusing);
            path = path.replace(
                &format!("/meetings/{closed}/"),
                &format!("/meetings/{refusing}/"),
            );
        }
        let fields = w.fields(route);
        let tries: Vec<Vec<(&'static str, String)>> = if fields.is_empty() {
            vec![vec![("note", "a\0b".to_string())]]
        } else {
            (0..fields.len())
                .map(|i| {
                    let mut with_nul = fields.clone();
                    with_nul[i].1 = format!("{}\0", with_nul[i].1);
                    with_nul
                })
                .collect()
        };
        for (i, sent) in tries.iter().enumerate() {
            let bad = sent.get(i).map_or("note", |(k, _)| *k);
            let page = post_fields(browser, &path, sent).await;
            let what = format!("{name}: POST {path} with a NUL in {bad}");
            if page.status != 422 {
                not_clean.push(format!("{what}: {}", page.status));
                continue;
            }
            if shows(&page, "error.invalid_text_field") {
                let lost: Vec<_> = sent
                    .iter()
                    .filter(|(k, v)| {
                        *k != bad
                            && !NEVER_SHOWN.contains(k)
                            && !v.is_empty()
                            && !page.body.contains(&escaped(v))
                    })
                    .map(|(k, _)| *k)
                    .collect();
                if lost.is_empty() {
                    kept.push(route.pattern);
                } else {
                    not_clean.push(format!("{what}: the page lost {lost:?}"));
                }
            } else if shows(&page, "error.invalid_text") {
                message_only.push(route.pattern);
            } else {
                not_clean.push(format!("{what}: 422 without the field's message"));
            }
        }
    }
    w.snapshot()
        .assert_same_as(&before, "POSTs with a NUL in a field");
    assert!(not_clean.is_empty(), "not a clean answer: {not_clean:#?}");
    kept.dedup();
    message_only.dedup();
    let unexpected: Vec<_> = message_only
        .iter()
        .filter(|p| !MESSAGE_ONLY.contains(p))
        .collect();
    println!("TEXT form kept on {} routes: {kept:?}", kept.len());
    println!(
        "TEXT sentence only on {} routes: {message_only:?}",
        message_only.len()
    );
    assert!(
        unexpected.is_empty(),
        "typed text lost (the sentence, not the form) on {unexpected:#?}"
    );
}
