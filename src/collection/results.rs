//! Counting a closed round, as plain functions: turnout overall and per group, suggestions per
//! category. The same functions serve the pages, the downloads and the benchmark.

use std::collections::HashMap;

/// Ballots against the roll.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Turnout {
    pub roll: i64,
    pub ballots: i64,
}

impl Turnout {
    /// Percentage with one decimal, rounded half up: 2 of 3 → "66.7%". An empty roll → "—".
    pub fn percent(&self) -> String {
        if self.roll <= 0 {
            return "—".to_string();
        }
        let tenths = (self.ballots * 1000 * 2 + self.roll) / (self.roll * 2);
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

/// Counts of one closed round.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Tally {
    pub total: Turnout,
    /// (group id, turnout), in the order of `groups` given to [`tally`].
    pub groups: Vec<(i64, Turnout)>,
    /// (category, suggestions), the round's categories first in their order, then any others.
    pub categories: Vec<(String, i64)>,
}

/// Counts ballots and suggestions. `roll` is (group id, households on the roll); `ballots` is the
/// group of each counted ballot; `suggestion_categories` the category of each counted suggestion.
pub fn tally<'a>(
    roll: &[(i64, i64)],
    ballots: impl IntoIterator<Item = i64>,
    suggestion_categories: impl IntoIterator<Item = &'a str>,
    categories: &[String],
) -> Tally {
    let mut per_group: HashMap<i64, i64> = HashMap::new();
    let mut total_ballots = 0;
    for group in ballots {
        *per_group.entry(group).or_default() += 1;
        total_ballots += 1;
    }
    let mut per_category: HashMap<&str, i64> = HashMap::new();
    for category in suggestion_categories {
        *per_category.entry(category).or_default() += 1;
    }
    Tally {
        total: Turnout {
            roll: roll.iter().map(|(_, n)| n).sum(),
            ballots: total_ballots,
        },
        groups: roll
            .iter()
            .map(|(g, n)| {
                (
                    *g,
                    Turnout {
                        roll: *n,
                        ballots: per_group.get(g).copied().unwrap_or(0),
                    },
                )
            })
            .collect(),
        categories: ordered(per_category, categories),
    }
}

/// The same [`Tally`] from counts made already (a closed round's stored tally, see
/// `tally_store`): `groups` is (group id, households on the roll, counted ballots) for every
/// group with either, ordered by group id; `per_category` the counted suggestions per category.
/// Groups with nobody on the roll are left out of `groups` as [`tally`] leaves them out, but
/// their ballots count in the total, as there.
pub fn from_counts(
    groups: &[(i64, i64, i64)],
    per_category: &[(String, i64)],
    categories: &[String],
) -> Tally {
    Tally {
        total: Turnout {
            roll: groups.iter().map(|(_, roll, _)| roll).sum(),
            ballots: groups.iter().map(|(_, _, ballots)| ballots).sum(),
        },
        groups: groups
            .iter()
            .filter(|(_, roll, _)| *roll > 0)
            .map(|(g, roll, ballots)| {
                (
                    *g,
                    Turnout {
                        roll: *roll,
                        ballots: *ballots,
                    },
                )
            })
            .collect(),
        categories: ordered(
            per_category.iter().map(|(c, n)| (c.as_str(), *n)).collect(),
            categories,
        ),
    }
}

/// The round's categories first in their order (zero when nobody chose one), then any others
/// by name.
fn ordered(mut per_category: HashMap<&str, i64>, categories: &[String]) -> Vec<(String, i64)> {
    let mut ordered: Vec<(String, i64)> = categories
        .iter()
        .map(|c| (c.clone(), per_category.remove(c.as_str()).unwrap_or(0)))
        .collect();
    let mut others: Vec<(String, i64)> = per_category
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
    others.sort();
    ordered.extend(others);
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        assert_eq!(
            Turnout {
                roll: 3,
                ballots: 2
            }
            .percent(),
            "66.7%"
        );
        assert_eq!(
            Turnout {
                roll: 3,
                ballots: 1
            }
            .percent(),
            "33.3%"
        );
        assert_eq!(
            Turnout {
                roll: 8,
                ballots: 1
            }
            .percent(),
            "12.5%"
        );
        assert_eq!(
            Turnout {
                roll: 2000,
                ballots: 1
            }
            .percent(),
            "0.1%",
            "0.05 rounds up"
        );
        assert_eq!(
            Turnout {
                roll: 200,
                ballots: 200
            }
            .percent(),
            "100.0%"
        );
        assert_eq!(
            Turnout {
                roll: 0,
                ballots: 0
            }
            .percent(),
            "—"
        );
    }

    #[test]
    fn tally_counts_groups_and_categories() {
        let roll = [(1, 3), (2, 2), (3, 1)];
        let cats = vec!["道路交通".to_string(), "照明".to_string()];
        let t = tally(
            &roll,
            [1, 1, 2],
            ["照明", "照明", "道路交通", "旧分类"],
            &cats,
        );
        assert_eq!(
            t.total,
            Turnout {
                roll: 6,
                ballots: 3
            }
        );
        assert_eq!(
            t.groups,
            vec![
                (
                    1,
                    Turnout {
                        roll: 3,
                        ballots: 2
                    }
                ),
                (
                    2,
                    Turnout {
                        roll: 2,
                        ballots: 1
                    }
                ),
                (
                    3,
                    Turnout {
                        roll: 1,
                        ballots: 0
                    }
                )
            ]
        );
        assert_eq!(
            t.categories,
            vec![
                ("道路交通".to_string(), 1),
                ("照明".to_string(), 2),
                ("旧分类".to_string(), 1)
            ]
        );
    }

    #[test]
    fn stored_counts_give_the_same_tally_as_the_rows() {
        let cats = vec!["道路交通".to_string(), "照明".to_string()];
        // Group 4 has nobody on the roll but one ballot (the household moved): it counts in the
        // total and is not listed, as from the rows.
        let rows = tally(
            &[(1, 3), (2, 2)],
            [1, 1, 4],
            ["照明", "旧分类", "照明"],
            &cats,
        );
        let stored = from_counts(
            &[(1, 3, 2), (2, 2, 0), (4, 0, 1)],
            &[("旧分类".to_string(), 1), ("照明".to_string(), 2)],
            &cats,
        );
        assert_eq!(stored, rows);
        assert_eq!(stored.total.ballots, 3);
    }

    #[test]
    fn an_empty_round_tallies_to_zeroes() {
        let t = tally(&[(1, 5)], [], [], &["其他".to_string()]);
        assert_eq!(
            t.total,
            Turnout {
                roll: 5,
                ballots: 0
            }
        );
        assert_eq!(t.categories, vec![("其他".to_string(), 0)]);
        assert_eq!(t.total.percent(), "0.0%");
    }
}
