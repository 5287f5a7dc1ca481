//! Integration tests: the tally stored when a round closes (`collection::tally_store`) is the
//! same as the straightforward recount of the ballots themselves, on random rounds with
//! revisions, voids, paper ballots, late additions to the roll, removals from it and ballots
//! cast in a group the household is no longer on the roll for.

use minyi::collection::ballot::{BallotChannel, Suggestion};
use minyi::collection::ballot_store::{self as ballots, Casting, Written};
use minyi::collection::domain::{RoundState, ValidRound};
use minyi::collection::results::{self, Tally};
use minyi::collection::{roll_changes, store as rounds, tally_store};
use minyi::db::DbConn;
use minyi::households::domain::ValidHousehold;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const CATEGORIES: [&str; 4] = ["道路交通", "照明", "饮水水利", "其他"];

fn household(conn: &mut DbConn, village: i64, group: i64, number: &str) -> i64 {
    let h = ValidHousehold {
        number: number.into(),
        head_name: "某".into(),
        members: 1,
        group_id: group,
        status: minyi::households::Status::Active,
    };
    minyi::households::store::create(conn, village, &h, "x")
        .expect("insert")
        .expect("a new 户号")
}

fn random_list(rng: &mut StdRng) -> Vec<Suggestion> {
    (0..rng.random_range(1..=3))
        .map(|i| Suggestion {
            // Now and then a category the round does not list (renamed since, typed on paper).
            category: if rng.random_bool(0.1) {
                "旧分类".to_string()
            } else {
                CATEGORIES[rng.random_range(0..CATEGORIES.len())].to_string()
            },
            title: format!("建议{i}"),
            details: String::new(),
            place: "村口".into(),
            cost_fen: None,
        })
        .collect()
}

/// The counts the results page made before the stored tally, straight from the rows.
fn recount(conn: &mut DbConn, round_id: i64, categories: &[String]) -> Tally {
    let roll = rounds::roll_by_group(conn, round_id).expect("roll");
    let groups = rounds::counted_ballot_groups(conn, round_id).expect("ballots");
    let suggestions = rounds::counted_suggestions(conn, round_id).expect("suggestions");
    results::tally(
        &roll,
        groups,
        suggestions.iter().map(|s| s.category.as_str()),
        categories,
    )
}

/// One random round in its own village, closed; returns (stored tally, recount).
fn random_round(conn: &mut DbConn, seed: u64, staff: i64, township: i64) -> (Tally, Tally) {
    let mut rng = StdRng::seed_from_u64(seed);
    use minyi::villages::store as places;
    let village = places::create_village(conn, township, &format!("v{seed}"), "村").expect("v");
    let groups: Vec<i64> = (1..=4)
        .map(|g| places::create_group(conn, village, &format!("第{g}组")).expect("group"))
        .collect();
    let size = rng.random_range(5..40);
    let mut people: Vec<(i64, i64)> = (0..size)
        .map(|n| {
            // Group 4 often has nobody at all, so a ballot may land in a group off the roll.
            let group = groups[rng.random_range(0..3)];
            (household(conn, village, group, &format!("{n:04}")), group)
        })
        .collect();
    let now = minyi::db::now();
    let spec = ValidRound {
        title: format!("随机{seed}"),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(30),
        min_suggestions: 1,
        max_suggestions: 5,
        categories: CATEGORIES.iter().map(|c| c.to_string()).collect(),
        double_entry: false,
    };
    let id = rounds::create(conn, village, &spec, staff).expect("round");
    let round = rounds::get(conn, village, id).expect("get").expect("round");
    assert!(rounds::open(conn, &round, now).expect("open"));
    for n in 0..rng.random_range(0..4) {
        let group = groups[rng.random_range(0..4)];
        let late = household(conn, village, group, &format!("L{n:03}"));
        assert!(rounds::add_to_roll(conn, id, late, group, "补登", staff).expect("add"));
        people.push((late, group));
    }
    for (serial, (person, group)) in people.iter().enumerate() {
        if rng.random_bool(0.1) {
            roll_changes::remove(conn, id, *person, "迁出", staff, now).expect("remove");
        }
        if rng.random_bool(0.25) {
            continue;
        }
        // Now and then the ballot is written in another group (the household moved).
        let group = if rng.random_bool(0.1) {
            groups[3]
        } else {
            *group
        };
        let mut version = 0;
        for attempt in 0..rng.random_range(1..=3) {
            let paper = rng.random_bool(0.2);
            let serial = format!("P-{serial}-{attempt}");
            let cast = Casting {
                round_id: id,
                household_id: *person,
                group_id: group,
                channel: if paper {
                    BallotChannel::Paper
                } else {
                    BallotChannel::Phone
                },
                paper_serial: paper.then_some(serial.as_str()),
                site_id: None,
                entered_by: paper.then_some(staff),
            };
            match ballots::write(conn, &cast, version, &random_list(&mut rng)).expect("write") {
                Written::Stored { version: v, .. } => version = v,
                Written::PaperLocked | Written::AlreadyPaper => {}
                other => panic!("{other:?}"),
            }
        }
        if rng.random_bool(0.15) {
            let ballot = ballots::current(conn, id, *person)
                .expect("current")
                .expect("a ballot");
            assert!(ballots::void(conn, id, ballot.id, "重复", staff).expect("void"));
            if rng.random_bool(0.5) {
                let cast = Casting {
                    round_id: id,
                    household_id: *person,
                    group_id: group,
                    channel: BallotChannel::Kiosk,
                    paper_serial: None,
                    site_id: None,
                    entered_by: None,
                };
                let again = ballots::write(conn, &cast, 0, &random_list(&mut rng));
                assert!(matches!(again, Ok(Written::Stored { .. })), "{again:?}");
            }
        }
    }
    let categories = round.categories();
    let before_closing = recount(conn, id, &categories);
    assert!(rounds::advance(conn, id, RoundState::Open, RoundState::Closed, now).expect("close"));
    let stored = tally_store::stored(conn, id).expect("stored");
    let fast = results::from_counts(&stored.groups, &stored.categories, &categories);
    assert_eq!(
        recount(conn, id, &categories),
        before_closing,
        "closing changes nothing counted"
    );
    (fast, before_closing)
}

#[test]
fn the_tally_stored_at_closing_equals_the_recount_on_random_rounds() {
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::helpers::fresh_database(dir.path())
        .unwrap_or_else(|| format!("sqlite://{}/tally.sqlite3", dir.path().display()));
    let pool = minyi::db::connect(&url).expect("connect");
    let mut pooled = pool.get().expect("a connection");
    let conn: &mut DbConn = &mut pooled;
    minyi::db::migrations::run_pending(conn).expect("migrate");
    let township = minyi::villages::store::create_township(conn, "t", "镇").expect("township");
    let staff = minyi::accounts::store::create(
        conn,
        &minyi::accounts::store::NewStaff {
            username: "clerk",
            display_name: "clerk",
            email: None,
            password_hash: "x",
        },
    )
    .expect("staff")
    .expect("new");
    let (mut voided_or_revised, mut off_roll) = (0, 0);
    for seed in 0..40 {
        let (fast, slow) = random_round(conn, seed, staff, township);
        assert_eq!(fast, slow, "seed {seed}");
        let in_groups: i64 = slow.groups.iter().map(|(_, t)| t.ballots).sum();
        off_roll += i64::from(in_groups != slow.total.ballots);
        voided_or_revised += i64::from(slow.categories.iter().any(|(c, _)| c == "旧分类"));
    }
    assert!(
        off_roll > 0,
        "some rounds count a ballot outside the roll's groups"
    );
    assert!(
        voided_or_revised > 0,
        "some rounds count an unlisted category"
    );
}
