//! The audit log as CSV for auditors: UTF-8 with a byte-order mark (so spreadsheet programs
//! read the Chinese text right), and spreadsheet-safe: a cell that starts with `=`, `+`, `-`,
//! `@`, a tab or a carriage return gets a leading `'`, so no cell is taken for a formula.

use super::StoredEvent;

/// The byte-order mark that opens the file.
pub const BOM: &str = "\u{feff}";

/// A cell a spreadsheet will show as text, never evaluate.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The whole file: header row, then one row per event.
pub fn to_csv(events: &[StoredEvent]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "occurred_at_utc",
        "actor",
        "action",
        "subject",
        "township_id",
        "address",
        "outcome",
        "detail",
    ])?;
    for e in events {
        writer.write_record([
            e.id.to_string(),
            e.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            safe_cell(&e.actor.as_text()),
            safe_cell(e.action.as_str()),
            safe_cell(&e.subject),
            e.township_id.map(|t| t.to_string()).unwrap_or_default(),
            safe_cell(e.address.as_deref().unwrap_or("")),
            safe_cell(e.outcome.as_str()),
            safe_cell(&e.detail),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Action, Actor, Outcome};

    #[test]
    fn formulas_become_text() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("round=3"), "round=3");
    }

    #[test]
    fn the_file_opens_with_a_bom_and_quotes_what_needs_it() {
        let event = StoredEvent {
            id: 7,
            occurred_at: chrono::NaiveDateTime::default(),
            actor: Actor::Staff(3),
            action: Action::StaffLogin,
            subject: "staff:3".into(),
            township_id: Some(1),
            address: Some("10.0.0.1".into()),
            outcome: Outcome::Denied,
            detail: "=cmd, \"quoted\"".into(),
        };
        let csv = to_csv(&[event]).expect("csv");
        assert!(csv.starts_with(BOM));
        assert!(csv.contains("7,1970-01-01 00:00:00,staff:3,staff.login,staff:3,1,10.0.0.1,denied,\"'=cmd, \"\"quoted\"\"\""), "{csv}");
    }
}
