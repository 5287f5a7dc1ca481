//! Publishing a round's results posts them on the notice board (征集结果公示): one notice of kind
//! `collection_result`, written in the publishing transaction from the counts stored at the close,
//! so the board, its A4 print view (QR code, hash, stamp) and the results page always agree. The
//! notice's text holds turnout per group, suggestions per category, voided ballots, the roll's
//! size and SHA-256, and every counted receipt code, so a household can find its code on the
//! posted paper without going online.

use super::results::{Turnout, from_counts};
use super::round::Round;
use crate::db::DbConn;
use crate::error::AppError;
use crate::notices::domain::Kind;

/// Receipt codes per line of the notice: nine characters each, aligned in columns on paper.
const CODES_PER_LINE: usize = 6;

/// What the results notice is about; the gate and the page link find it by this.
pub fn subject(round_id: i64) -> String {
    format!("results:{round_id}")
}

/// The counts the notice states, as the results page shows them.
pub struct Figures<'a> {
    pub round: &'a Round,
    /// (group name, turnout), in the village's group order.
    pub groups: Vec<(String, Turnout)>,
    pub total: Turnout,
    /// (category, suggestions).
    pub categories: Vec<(String, i64)>,
    pub voided: i64,
    /// Every counted receipt code, sorted.
    pub receipts: &'a [String],
}

/// The notice's title and text (in Chinese, like every notice the system writes).
pub fn text(f: &Figures<'_>) -> (String, String) {
    let round = f.round;
    let mut body = format!("{}已结束，结果如下。\n\n一、参与情况\n", round.title);
    for (group, t) in &f.groups {
        body.push_str(&format!(
            "{group}：在册 {} 户，投票 {} 户，{}\n",
            t.roll,
            t.ballots,
            t.percent()
        ));
    }
    body.push_str(&format!(
        "合计：在册 {} 户，投票 {} 户，{}；作废 {} 张。\n",
        f.total.roll,
        f.total.ballots,
        f.total.percent(),
        f.voided
    ));
    body.push_str("\n二、各类建议数\n");
    for (category, n) in &f.categories {
        body.push_str(&format!("{category}：{n} 条\n"));
    }
    body.push_str("\n三、户名册\n");
    if let (Some(size), Some(hash)) = (round.roll_size, &round.roll_hash) {
        body.push_str(&format!(
            "开始征集时冻结 {size} 户，名册指纹 SHA-256：{hash}\n"
        ));
    }
    body.push_str(&format!(
        "\n四、计入的回执码（共 {} 个，按字母顺序）\n",
        f.receipts.len()
    ));
    for line in f.receipts.chunks(CODES_PER_LINE) {
        body.push_str(&line.join("  "));
        body.push('\n');
    }
    body.push_str("\n各户可凭回执码核对自己的建议已经计入；全部建议见网上结果页。");
    (format!("{} 征集结果公示", round.title), body)
}

/// Posts the results notice of a round being published, inside the publishing transaction.
/// Returns the notice's id.
pub fn post(
    conn: &mut DbConn,
    round: &Round,
    created_by: i64,
    now: chrono::NaiveDateTime,
) -> Result<i64, AppError> {
    let stored = super::tally_store::stored(conn, round.id)?;
    let tally = from_counts(&stored.groups, &stored.categories, &round.categories());
    let names = crate::villages::store::groups(conn, round.village_id)?;
    let groups = tally
        .groups
        .iter()
        .map(|(id, t)| {
            let name = names.iter().find(|g| g.id == *id).map(|g| g.name.clone());
            (name.unwrap_or_default(), *t)
        })
        .collect();
    let receipts = super::store::receipts(conn, round.id)?;
    let figures = Figures {
        round,
        groups,
        total: tally.total,
        categories: tally.categories,
        voided: super::store::voided_count(conn, round.id)?,
        receipts: &receipts,
    };
    let (title, body) = text(&figures);
    let subject = subject(round.id);
    let draft = crate::notices::store::Draft {
        village_id: round.village_id,
        kind: Kind::CollectionResult,
        title: &title,
        body: &body,
        subject: Some(&subject),
        supersedes: None,
        created_by,
    };
    Ok(crate::notices::store::create_published(conn, &draft, now)?.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::domain::RoundState;

    fn round() -> Round {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 8, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        Round {
            id: 3,
            village_id: 1,
            title: "2026年度民意收集".into(),
            year: 2026,
            opens_at: at,
            closes_at: at,
            min_suggestions: 1,
            max_suggestions: 3,
            categories_text: "道路交通\n照明".into(),
            double_entry: true,
            state: RoundState::Closed,
            roll_size: Some(5),
            roll_hash: Some("ab".repeat(32)),
            opened_at: Some(at),
            closed_at: Some(at),
            published_at: None,
            created_by: 1,
            created_at: at,
        }
    }

    #[test]
    fn the_notice_states_turnout_categories_roll_and_every_code_in_columns() {
        let round = round();
        let receipts: Vec<String> = (0..7).map(|n| format!("AAAA-000{n}")).collect();
        let (title, body) = text(&Figures {
            round: &round,
            groups: vec![
                (
                    "一组".into(),
                    Turnout {
                        roll: 3,
                        ballots: 2,
                    },
                ),
                (
                    "二组".into(),
                    Turnout {
                        roll: 2,
                        ballots: 1,
                    },
                ),
            ],
            total: Turnout {
                roll: 5,
                ballots: 3,
            },
            categories: vec![("道路交通".into(), 4), ("照明".into(), 0)],
            voided: 1,
            receipts: &receipts,
        });
        assert_eq!(title, "2026年度民意收集 征集结果公示");
        assert!(body.contains("一组：在册 3 户，投票 2 户，66.7%\n"));
        assert!(body.contains("合计：在册 5 户，投票 3 户，60.0%；作废 1 张。"));
        assert!(body.contains("道路交通：4 条\n照明：0 条\n"));
        assert!(body.contains(&format!("冻结 5 户，名册指纹 SHA-256：{}", "ab".repeat(32))));
        assert!(body.contains("（共 7 个，按字母顺序）"));
        // Six codes to a line, then the seventh alone: columns on the printed page.
        assert!(body.contains(
            "AAAA-0000  AAAA-0001  AAAA-0002  AAAA-0003  AAAA-0004  AAAA-0005\nAAAA-0006\n"
        ));
    }
}
