//! A motion's outcome in words, rendered when a page is shown from what the motion's snapshots
//! store as data (the roll with its standings, the tally's numbers and result, the withdrawal
//! reason) in the page's language through the i18n layer. A third language needs new i18n
//! entries only, never a migration. Motions closed before tallies were stored keep the
//! sentences written at the time.

use std::collections::HashMap;

use diesel::prelude::*;

use super::decision::{self, Decision};
use super::snapshot::{self, RollLine, TallyRecord};
use super::states::MotionResult;
use super::store::Motion;
use super::tally::{Choice, Standing};
use crate::db::schema::{motion_roll as rl, motion_tallies as tl, votes as vt};
use crate::db::{DbConn, DbError};
use crate::i18n::Locale;

/// What an ended motion's outcome says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Told {
    Decided(Decision),
    Withdrawn(String),
}

impl Told {
    /// From the motion's roll standings at the close and its tally record.
    pub fn from_snapshot(motion: &Motion, standings: &[Standing], t: &TallyRecord) -> Option<Told> {
        let count = |v: i32| u32::try_from(v).unwrap_or(0);
        Some(match t.result().ok()? {
            MotionResult::Withdrawn => {
                Told::Withdrawn(t.withdrawn_reason.clone().unwrap_or_default())
            }
            result => Told::Decided(decision::from_snapshot(
                &motion.rule,
                standings,
                result,
                count(t.members),
                count(t.present),
                count(t.quorum_needed),
            )),
        })
    }

    pub fn words(&self, motion: &Motion, locale: Locale) -> String {
        match self {
            Told::Decided(d) => d.sentence(&motion.rule, locale),
            Told::Withdrawn(reason) => decision::withdrawn_sentence(reason, locale),
        }
    }
}

/// The outcomes of a meeting's ended motions, by motion id.
#[derive(Clone, Debug, Default)]
pub struct Outcomes(HashMap<i64, Told>);

impl Outcomes {
    /// The outcome of `motion` in `locale`: from its snapshots, or the sentence stored at the
    /// close for a motion without them; empty while it is not ended.
    pub fn words(&self, motion: &Motion, locale: Locale) -> String {
        match self.0.get(&motion.id) {
            Some(told) => told.words(motion, locale),
            None => motion.outcome(locale).unwrap_or("").to_string(),
        }
    }
}

/// Loads the outcomes of the ended ones among `motions`: three queries whatever their number.
pub fn load(conn: &mut DbConn, motions: &[Motion]) -> Result<Outcomes, DbError> {
    let ended: Vec<i64> = motions
        .iter()
        .filter(|m| m.is_ended())
        .map(|m| m.id)
        .collect();
    if ended.is_empty() {
        return Ok(Outcomes::default());
    }
    let tallies: Vec<TallyRecord> = tl::table.filter(tl::motion_id.eq_any(&ended)).load(conn)?;
    let lines: Vec<RollLine> = rl::table.filter(rl::motion_id.eq_any(&ended)).load(conn)?;
    let votes: Vec<(i64, i64, String)> = vt::table
        .filter(vt::motion_id.eq_any(&ended))
        .select((vt::motion_id, vt::staff_id, vt::choice))
        .load(conn)?;
    let mut told = HashMap::new();
    for motion in motions.iter().filter(|m| ended.contains(&m.id)) {
        let Some(t) = tallies.iter().find(|t| t.motion_id == motion.id) else {
            continue;
        };
        let mut cast: HashMap<i64, Choice> = HashMap::new();
        for (m, staff, choice) in votes.iter().filter(|v| v.0 == motion.id) {
            let parsed = Choice::parse(choice).ok_or_else(|| {
                DbError::unknown("votes", format!("{m}/{staff}"), "choice", choice)
            })?;
            cast.insert(*staff, parsed);
        }
        let standings: Vec<Standing> = lines
            .iter()
            .filter(|l| l.motion_id == motion.id)
            .map(|l| snapshot::standing(l, &cast))
            .collect();
        if let Some(words) = Told::from_snapshot(motion, &standings, t) {
            told.insert(motion.id, words);
        }
    }
    Ok(Outcomes(told))
}
