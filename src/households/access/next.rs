//! Where a household returns after signing in: `?next=` names one of this village's notice
//! pages (the public notice links to the sign-in to object); anything else is ignored, so the
//! sign-in never redirects elsewhere.

use serde::Deserialize;

/// `?next=` on the sign-in page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

/// `next` if it is one of this village's notice pages (nothing else: no open redirect).
pub(super) fn safe_next(village: &str, next: &str) -> Option<String> {
    let id = next.strip_prefix(&format!("/v/{village}/notices/"))?;
    let digits = !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| next.to_string())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_this_villages_notice_pages_are_returned_to() {
        assert_eq!(
            safe_next("ty", "/v/ty/notices/12").as_deref(),
            Some("/v/ty/notices/12")
        );
        for bad in [
            "",
            "/v/ty/notices/",
            "/v/other/notices/12",
            "https://evil.example/v/ty/notices/12",
            "//evil.example",
            "/v/ty/notices/12/../../../staff",
            "/v/ty/me",
        ] {
            assert_eq!(safe_next("ty", bad), None, "{bad}");
        }
    }
}
