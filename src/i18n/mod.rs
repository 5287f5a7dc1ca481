//! The i18n layer: every string a person reads comes from `locales/<locale>.yml` through
//! [`Locale::t`]. Simplified Chinese is the default; English is the second locale. The files are
//! flat `key: text` lines (with `%{name}` placeholders) compiled into the binary, so a missing
//! translation is caught by a unit test instead of showing a raw key to a villager.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A supported UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

/// The name of the cookie that keeps the chosen language.
pub const LOCALE_COOKIE: &str = "minyi_lang";

const ZH_CN: &str = include_str!("locales/zh-CN.yml");
const EN: &str = include_str!("locales/en.yml");

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a locale code; anything unknown falls back to the default.
    pub fn from_code(code: &str) -> Locale {
        match code {
            "en" => Locale::En,
            _ => Locale::ZhCn,
        }
    }

    /// The translation of `key`; the key itself if it is missing (tests forbid that).
    pub fn t(self, key: &str) -> String {
        match catalog(self).get(key) {
            Some(text) => text.clone(),
            None => {
                tracing::warn!(key, locale = self.code(), "missing translation");
                key.to_string()
            }
        }
    }

    /// The translation of `key` with `%{name}` placeholders filled in.
    pub fn t_with(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key);
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }
}

fn catalog(locale: Locale) -> &'static HashMap<String, String> {
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN_MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    match locale {
        Locale::ZhCn => ZH.get_or_init(|| parse(ZH_CN)),
        Locale::En => EN_MAP.get_or_init(|| parse(EN)),
    }
}

/// Reads flat `key: text` lines. Blank lines and `#` comments are skipped; text may be quoted.
pub fn parse(source: &str) -> HashMap<String, String> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(':'))
        .map(|(key, text)| (key.trim().to_string(), unquote(text.trim()).to_string()))
        .collect()
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text)
}

#[cfg(test)]
mod tests;

/// A stored UTC time shown in Asia/Shanghai: `2026年11月23日 14:05` in Chinese,
/// `2026-11-23 14:05` in English.
pub fn format_time(locale: Locale, utc: chrono::NaiveDateTime) -> String {
    let local = utc.and_utc().with_timezone(&chrono_tz::Asia::Shanghai);
    match locale {
        Locale::ZhCn => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
        Locale::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A calendar date as people read it: `2026年11月23日` in Chinese, `2026-11-23` in English.
pub fn format_date(locale: Locale, date: chrono::NaiveDate) -> String {
    match locale {
        Locale::ZhCn => date.format("%Y年%-m月%-d日").to_string(),
        Locale::En => date.format("%Y-%m-%d").to_string(),
    }
}
