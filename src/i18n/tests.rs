//! Completeness checks: both locales hold the same keys, and every key the code and the
//! templates ask for exists.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

fn keys(source: &str) -> BTreeSet<String> {
    parse(source).into_keys().collect()
}

#[test]
fn both_locales_have_the_same_keys() {
    let zh = keys(ZH_CN);
    let en = keys(EN);
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(only_zh.is_empty(), "keys missing in en.yml: {only_zh:?}");
    assert!(only_en.is_empty(), "keys missing in zh-CN.yml: {only_en:?}");
}

#[test]
fn no_translation_is_empty() {
    for (name, source) in [("zh-CN", ZH_CN), ("en", EN)] {
        for (key, text) in parse(source) {
            assert!(!text.is_empty(), "{name}: {key} is empty");
        }
    }
}

#[test]
fn placeholders_are_filled() {
    assert_eq!(
        Locale::En.t_with("household.pin_slip.count", &[("n", "3")]),
        Locale::En
            .t("household.pin_slip.count")
            .replace("%{n}", "3")
    );
    assert!(
        !Locale::En
            .t_with("household.pin_slip.count", &[("n", "3")])
            .contains("%{")
    );
}

#[test]
fn unknown_codes_fall_back_to_chinese() {
    assert_eq!(Locale::from_code("fr"), Locale::ZhCn);
    assert_eq!(Locale::from_code("en"), Locale::En);
    assert_eq!(Locale::default(), Locale::ZhCn);
}

/// Every `t("…")` / `t_with("…"` in templates and every quoted key passed to `.t(` in the source
/// must exist, so no page ever shows a raw key.
#[test]
fn every_key_used_exists() {
    let known = keys(ZH_CN);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for dir in ["templates", "src"] {
        visit(&root.join(dir), &mut |path, text| {
            for key in used_keys(text) {
                if !known.contains(&key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        });
    }
    assert!(missing.is_empty(), "unknown i18n keys: {missing:#?}");
}

fn used_keys(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["t(\"", "t1(\"", "t2(\"", "t_with(\""] {
        let mut rest = text;
        while let Some(start) = rest.find(marker) {
            let after = &rest[start + marker.len()..];
            let end = after.find('"').unwrap_or(0);
            let key = &after[..end];
            // Keys are dotted identifiers; skip anything else that happens to match.
            if key.contains('.')
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            {
                found.push(key.to_string());
            }
            rest = &after[end..];
        }
    }
    found
}

fn visit(dir: &Path, each: &mut dyn FnMut(&Path, &str)) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, each);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "html")
        ) {
            let text = std::fs::read_to_string(&path).expect("utf-8 source");
            each(&path, &text);
        }
    }
}

#[test]
fn times_are_shown_in_shanghai() {
    let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(16, 5, 0))
        .expect("valid");
    // 16:05 UTC is 00:05 the next day in Asia/Shanghai.
    assert_eq!(format_time(Locale::ZhCn, utc), "2026年11月24日 00:05");
    assert_eq!(format_time(Locale::En, utc), "2026-11-24 00:05");
}

/// Message keys also travel as plain literals (`errors.add("number", "household.error.…")`):
/// any dotted literal in the source that starts with a catalog namespace must exist. Audit
/// action names (`audit::Action`, in audit/action.rs) are identifiers, not messages.
#[test]
fn every_message_literal_exists() {
    let known = keys(ZH_CN);
    let namespaces: BTreeSet<&str> = known.iter().filter_map(|k| k.split('.').next()).collect();
    let mut missing = Vec::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut |path, text| {
            if path.ends_with("i18n/tests.rs") || path.ends_with("audit/action.rs") {
                return;
            }
            for line in text.lines() {
                for literal in line.split('"').skip(1).step_by(2) {
                    let is_key_shaped = literal.contains('.')
                        && literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                        });
                    let namespace = literal.split('.').next().unwrap_or_default();
                    if is_key_shaped && namespaces.contains(namespace) && !known.contains(literal) {
                        missing.push(format!("{}: {literal}", path.display()));
                    }
                }
            }
        },
    );
    assert!(missing.is_empty(), "unknown message keys: {missing:#?}");
}
