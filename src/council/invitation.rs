//! The invitation a council member receives when a meeting is convened: title, time, place,
//! the agenda, and where the member votes: the member page at the configured public address
//! (`--public-url`; never a request's Host header), opened after signing in. The text is
//! written in both languages, Chinese first: staff accounts carry no language of their own.

use crate::i18n::{Locale, format_time};

/// What an invitation says, as plain data.
pub struct Invitation<'a> {
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: chrono::NaiveDateTime,
    pub agenda: &'a [&'a str],
    /// The member page at the public address: `https://…/staff/v/{village}/council/{meeting}`.
    pub member_page: &'a str,
}

/// The member's page of a meeting, where they vote, recuse and sign.
pub fn member_page(village_code: &str, meeting: i64) -> String {
    format!("/staff/v/{village_code}/council/{meeting}")
}

/// The mail's subject and body.
pub fn compose(inv: &Invitation<'_>) -> (String, String) {
    let subject = format!(
        "{} {} / {} {}",
        Locale::ZhCn.t("invitation.subject"),
        inv.title,
        Locale::En.t("invitation.subject"),
        inv.title
    );
    let body = [Locale::ZhCn, Locale::En]
        .into_iter()
        .map(|locale| part(locale, inv))
        .collect::<Vec<_>>()
        .join("\n----\n\n");
    (subject, body)
}

fn part(locale: Locale, inv: &Invitation<'_>) -> String {
    let when = format_time(locale, inv.starts_at);
    let mut text = String::new();
    let line = |key: &str, value: &str| format!("{}\n", locale.t_with(key, &[("value", value)]));
    text.push_str(&line("invitation.meeting", inv.title));
    text.push_str(&line("invitation.time", &when));
    text.push_str(&line("invitation.place", inv.place));
    text.push_str(&locale.t("invitation.agenda"));
    text.push('\n');
    if inv.agenda.is_empty() {
        text.push_str(&locale.t("invitation.no_agenda"));
        text.push('\n');
    }
    for (n, item) in inv.agenda.iter().enumerate() {
        text.push_str(&format!("{}. {item}\n", n + 1));
    }
    text.push('\n');
    text.push_str(&locale.t_with("invitation.where", &[("path", inv.member_page)]));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(agenda: &[&str]) -> (String, String) {
        let starts_at = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .expect("date");
        compose(&Invitation {
            title: "第一次议事会",
            place: "村部会议室",
            starts_at,
            agenda,
            member_page: &member_page("dz", 7),
        })
    }

    #[test]
    fn the_invitation_carries_time_place_numbered_agenda_and_the_member_page_in_both_languages() {
        let (subject, body) = sample(&["修建村口路灯", "村道硬化"]);
        assert!(subject.contains("第一次议事会"), "{subject}");
        // 01:00 UTC is 09:00 in Beijing.
        assert!(body.contains("2026年12月1日 09:00"), "{body}");
        assert!(body.contains("2026-12-01 09:00"), "{body}");
        assert!(body.contains("村部会议室"), "{body}");
        assert!(body.contains("1. 修建村口路灯\n2. 村道硬化"), "{body}");
        assert_eq!(body.matches("/staff/v/dz/council/7").count(), 2, "{body}");
        assert!(body.contains("Agenda"), "{body}");
    }

    #[test]
    fn an_invitation_without_agenda_says_so() {
        let (_, body) = sample(&[]);
        assert!(
            body.contains(&Locale::ZhCn.t("invitation.no_agenda")),
            "{body}"
        );
        assert!(
            body.contains(&Locale::En.t("invitation.no_agenda")),
            "{body}"
        );
    }
}
