//! The handlers' own refusals on the forms that keep what was typed (`text` walks the NULs): a
//! value the form's rule refuses comes back as a 422 with every typed value kept, the refused
//! one included, the rule's message shown, and nothing written.

use super::{Method, ROUTES, post_fields, shows, world};

/// (route, field, refused value, the message shown).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "/staff/v/{village}/meetings",
        "starts_at",
        "明天上午",
        "meeting.error.time",
    ),
    (
        "/staff/v/{village}/meetings/{meeting}/motions",
        "min_yes",
        "abc",
        "motion.error.rule",
    ),
    (
        "/staff/v/{village}/council-settings",
        "quorum",
        "3/4",
        "settings.error",
    ),
    (
        "/staff/v/{village}/rounds/{round}/roll",
        "number",
        "不是户号",
        "round.error.number",
    ),
    (
        "/staff/v/{village}/rounds/{round}/sites/{site}/certify",
        "custodian_two",
        "李明",
        "site.error.custodians_distinct",
    ),
    (
        "/staff/v/{village}/projects/{project}/progress",
        "percent",
        "三十",
        "progress.error.percent",
    ),
    (
        "/staff/v/{village}/funds/{fund}/statement",
        "month",
        "2027-13",
        "ledger.error.month",
    ),
    (
        "/staff/v/{village}/notices/periods",
        "days",
        "400",
        "notice.error.period",
    ),
    (
        "/staff/v/{village}/funds/{fund}/entries/{entry}/reject",
        "reason",
        " ",
        "ledger.error.reason",
    ),
];

/// What askama writes for a value inside the page.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

#[actix_web::test]
async fn a_value_the_form_s_rule_refuses_comes_back_as_typed_with_the_message() {
    let w = world().await;
    let mut sessions = Vec::new();
    for name in ["clerk.a", "supervisor.a2"] {
        sessions.push((name, w.signed_in(name).await));
    }
    let before = w.snapshot();
    let mut not_kept = Vec::new();
    for (pattern, field, value, key) in CASES {
        let route = ROUTES
            .iter()
            .find(|r| r.method == Method::Post && r.pattern == *pattern)
            .unwrap_or_else(|| panic!("no route {pattern}"));
        let allowed = super::right_accounts(route.allowed);
        let (_, browser) = sessions
            .iter()
            .find(|(name, _)| allowed.contains(name))
            .unwrap_or_else(|| panic!("no session in this test may use {pattern}"));
        let mut sent = w.fields(route);
        let at = sent
            .iter()
            .position(|(k, _)| k == field)
            .unwrap_or_else(|| panic!("{pattern} has no field {field}"));
        sent[at].1 = value.to_string();
        let page = post_fields(browser, &w.path_a(route), &sent).await;
        let what = format!("POST {pattern} with {field}={value:?}");
        if page.status != 422 {
            not_kept.push(format!("{what}: {}", page.status));
            continue;
        }
        if !shows(&page, key) {
            not_kept.push(format!("{what}: without {key}"));
        }
        let lost: Vec<_> = sent
            .iter()
            .filter(|(k, v)| *k != "once" && !v.trim().is_empty())
            .filter(|(_, v)| !page.body.contains(&escaped(v)))
            .map(|(k, _)| *k)
            .collect();
        if !lost.is_empty() {
            not_kept.push(format!("{what}: the page lost {lost:?}"));
        }
    }
    w.snapshot()
        .assert_same_as(&before, "forms refused by their own rule");
    assert!(not_kept.is_empty(), "not kept: {not_kept:#?}");
}
