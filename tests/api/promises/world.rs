//! The records the promises test tries to break, built through the app's own stores as the app
//! would have written them: a council meeting with a closed motion and its votes, locked and
//! unlocked minutes with signatures, published and draft notices with answered and unanswered
//! objections, closed, published and open rounds with ballots and suggestions, audit events.

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::collection::ballot::Suggestion;
use minyi::collection::ballot_store::{self as ballots, Casting, Written};
use minyi::collection::domain::{RoundState, ValidRound};
use minyi::collection::store as rounds;
use minyi::council::commands::{self, Who};
use minyi::council::domain::MotionKind;
use minyi::council::states::MeetingState;
use minyi::council::store::{self as council, NewMeeting};
use minyi::council::tally::{Choice, Rule};
use minyi::council::{member_commands, minutes_commands, motion_commands};
use minyi::db::schema::{ballots as b, candidates as cd, minutes as mn, suggestions as sg};
use minyi::db::{DbConn, DbError};
use minyi::error::AppError;
use minyi::notices::domain::Kind;
use minyi::notices::store::{self as notices, Draft, Filing};
use minyi::villages::store::VillageRef;

use crate::helpers::{TestApp, Village};

/// Ids of everything the promises are tried on. Names say the state each record is in.
pub struct World {
    pub village: Village,
    pub clerk: i64,
    /// Council members; both present at every meeting.
    pub member: i64,
    pub second: i64,
    /// An open meeting holding the motions below; it has no minutes.
    pub meeting: i64,
    pub closed_motion: i64,
    /// Open, without votes.
    pub open_motion: i64,
    /// Open, with `member`'s vote.
    pub voting_motion: i64,
    pub draft_motion: i64,
    /// Another draft, deleted by an allowed write.
    pub spare_draft_motion: i64,
    /// Closed meetings: minutes signed by both members and locked; minutes signed by `member`
    /// only, still unlocked.
    pub locked_meeting: i64,
    pub unlocked_meeting: i64,
    pub published_notice: i64,
    pub draft_notice: i64,
    /// Filed against the published notice.
    pub answered_objection: i64,
    pub open_objection: i64,
    /// Households: `first` and `second_household` on every roll; `late` registered after every
    /// round opened, on no roll.
    pub first: i64,
    pub second_household: i64,
    pub late: i64,
    pub group: i64,
    pub closed_round: i64,
    pub published_round: i64,
    pub open_round: i64,
    /// `first`'s ballot in each round, and one suggestion of each.
    pub closed_ballot: i64,
    pub published_ballot: i64,
    pub open_ballot: i64,
    pub closed_suggestion: i64,
    pub published_suggestion: i64,
    pub open_suggestion: i64,
    /// A candidate holding none of the suggestions (another holds the closed round's).
    pub other_candidate: i64,
    /// Collection sites of the open round: one with its certificate signed, one not yet.
    pub certified_site: i64,
    pub open_site: i64,
    /// A supervisory board remark on the open round.
    pub remark: i64,
    /// The newest audit event when the world was built.
    pub audit_event: i64,
    /// Projects: plans, progress, inspections, acceptance (see `projects.rs`).
    pub projects: super::projects::ProjectIds,
    /// A fund of the village with one posted entry (`posted_entry`, voucher `V-1`, seq 1)
    /// and one pending entry (`pending_entry`).
    pub fund: i64,
    pub posted_entry: i64,
    pub pending_entry: i64,
}

/// The paper serial `clerk` typed in the open round for `second_household`.
pub const TYPED_SERIAL: &str = "P-0001";

fn round(title: &str) -> ValidRound {
    let now = minyi::db::now();
    ValidRound {
        title: title.to_string(),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(7),
        min_suggestions: 1,
        max_suggestions: 3,
        categories: vec!["道路交通".to_string()],
        double_entry: false,
    }
}

fn suggestion(title: &str) -> Suggestion {
    Suggestion {
        category: "道路交通".to_string(),
        title: title.to_string(),
        details: "雨天积水，出行不便".to_string(),
        place: "村口".to_string(),
        cost_fen: Some(2_000_000),
    }
}

/// An opened round with one kiosk ballot of `households`' each; returns the round and the id
/// of the first household's ballot.
fn round_with_ballots(
    c: &mut DbConn,
    village: &Village,
    clerk: i64,
    title: &str,
    households: &[i64],
) -> Result<(i64, i64), DbError> {
    let id = rounds::create(c, village.id, &round(title), clerk)?;
    let made = rounds::get(c, village.id, id)?.expect("the round just created");
    assert!(
        rounds::open(c, &made, minyi::db::now())?,
        "round {id} opens"
    );
    for household in households {
        let cast = Casting {
            round_id: id,
            household_id: *household,
            group_id: village.groups[0],
            channel: minyi::collection::ballot::BallotChannel::Kiosk,
            paper_serial: None,
            site_id: None,
            entered_by: None,
        };
        let written = ballots::write(c, &cast, 0, &[suggestion("修村口的路")])?;
        assert!(matches!(written, Written::Stored { .. }), "{written:?}");
    }
    let ballot = b::table
        .filter(b::round_id.eq(id).and(b::household_id.eq(households[0])))
        .select(b::id)
        .first(c)?;
    Ok((id, ballot))
}

fn suggestion_of(c: &mut DbConn, ballot: i64) -> Result<i64, DbError> {
    Ok(sg::table
        .filter(sg::ballot_id.eq(ballot))
        .select(sg::id)
        .first(c)?)
}

/// The council commands, acting as `staff` of the test village (they nest as savepoints in the
/// fixture's transaction).
fn who(w: &Partial, staff: i64) -> Who {
    Who {
        staff,
        village: VillageRef {
            id: w.village.id,
            township_id: w.village.township_id,
            code: w.village.code.clone(),
            name: "承诺村".into(),
        },
        addr: "127.0.0.1".into(),
    }
}

/// A command that must succeed while the fixture is built.
fn done<T>(result: Result<T, AppError>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// A meeting of the village with both members present, opened (and closed when `close`).
fn meeting(c: &mut DbConn, w: &Partial, title: &str, close: bool) -> Result<i64, DbError> {
    let id = council::create_meeting(
        c,
        &NewMeeting {
            village_id: w.village.id,
            group_id: None,
            title,
            place: "村部会议室",
            starts_at: minyi::db::now(),
            quorum: (2, 3),
            convened_by: w.clerk,
            agenda: "",
        },
    )?;
    let clerk = who(w, w.clerk);
    done(
        commands::change_meeting_state(c, &clerk, id, MeetingState::Open),
        "open the meeting",
    );
    let present: Vec<(String, String)> = [w.member, w.second]
        .iter()
        .map(|m| (m.to_string(), "present".to_string()))
        .collect();
    done(
        commands::record_attendance(c, &clerk, id, &present),
        "attendance",
    );
    if close {
        done(
            commands::change_meeting_state(c, &clerk, id, MeetingState::Closed),
            "close the meeting",
        );
    }
    Ok(id)
}

fn motion(
    c: &mut DbConn,
    w: &Partial,
    meeting: i64,
    text: &str,
    open: bool,
) -> Result<i64, DbError> {
    let id = council::create_motion(
        c,
        meeting,
        MotionKind::General,
        text,
        &Rule::MAJORITY_OF_ALL,
        None,
    )?;
    if open {
        done(
            motion_commands::open_motion(c, &who(w, w.clerk), meeting, id),
            "open the motion",
        );
    }
    Ok(id)
}

/// Minutes of a closed meeting, signed by `signers`; locked (as the last signature of the
/// members present does) when every member present signs.
fn minutes(c: &mut DbConn, w: &Partial, meeting: i64, signers: &[i64]) -> Result<(), DbError> {
    done(
        minutes_commands::write_minutes(
            c,
            &who(w, w.clerk),
            meeting,
            minutes_commands::Named {
                chair: w.member,
                recorder: None,
            },
            "",
        ),
        "write the minutes",
    );
    let body = council::minutes(c, meeting)?.expect("the minutes").body;
    let hash = minyi::council::domain::minutes_hash(&body);
    for signer in signers {
        done(
            member_commands::sign_minutes(c, &who(w, *signer), meeting, &hash),
            "sign the minutes",
        );
    }
    Ok(())
}

/// The people and places, made before the records.
struct Partial {
    village: Village,
    clerk: i64,
    member: i64,
    second: i64,
}

pub fn build(app: &TestApp) -> World {
    let village = app.village("promise");
    let scope = Scope::Village(village.id);
    let clerk = app.staff("clerk.p", Role::Clerk, scope);
    let member = app.staff("council.p1", Role::CouncilMember, scope);
    let second = app.staff("council.p2", Role::CouncilMember, scope);
    let first = app.household(&village, "0001", "234567");
    let second_household = app.household(&village, "0002", "345678");
    let w = Partial {
        village: village.clone(),
        clerk,
        member,
        second,
    };
    let households = [first, second_household];
    let built = app.with_conn(|c| {
        minyi::db::in_transaction(c, |c| {
            let meeting_id = meeting(c, &w, "第一次议事会", false)?;
            let closed_motion = motion(c, &w, meeting_id, "关于修缮祠堂的议题", true)?;
            for (voter, choice) in [(member, Choice::Yes), (second, Choice::No)] {
                done(
                    member_commands::cast_vote(
                        c,
                        &who(&w, voter),
                        meeting_id,
                        closed_motion,
                        choice,
                    ),
                    "vote",
                );
            }
            done(
                motion_commands::close_motion(c, &who(&w, clerk), meeting_id, closed_motion),
                "close the motion",
            );
            let open_motion = motion(c, &w, meeting_id, "关于清理河道的议题", true)?;
            let voting_motion = motion(c, &w, meeting_id, "关于硬化村道的议题", true)?;
            done(
                member_commands::cast_vote(
                    c,
                    &who(&w, member),
                    meeting_id,
                    voting_motion,
                    Choice::Yes,
                ),
                "vote",
            );
            let draft_motion = motion(c, &w, meeting_id, "关于安装路灯的议题", false)?;
            let spare_draft_motion = motion(c, &w, meeting_id, "关于新建广场的议题", false)?;
            let locked_meeting = meeting(c, &w, "上月议事会", true)?;
            minutes(c, &w, locked_meeting, &[member, second])?;
            let unlocked_meeting = meeting(c, &w, "上季度议事会", true)?;
            minutes(c, &w, unlocked_meeting, &[member])?;

            let draft = |title: &'static str| Draft {
                village_id: village.id,
                kind: Kind::Plan,
                title,
                body: "村口道路硬化，长三百米，预算二十万元。",
                subject: Some("project:1"),
                supersedes: None,
                created_by: clerk,
            };
            let published_notice =
                notices::create_published(c, &draft("村道硬化实施方案"), minyi::db::now())?.id;
            let draft_notice = notices::create_draft(c, &draft("路灯安装实施方案（草稿）"))?;
            let mut file = |household: i64| {
                notices::file(
                    c,
                    &Filing {
                        notice_id: published_notice,
                        household_id: household,
                        channel: minyi::notices::states::ObjectionChannel::Written,
                        body: "路线经过我家承包地，事先没有商量",
                        recorded_by: Some(clerk),
                    },
                    minyi::db::now(),
                )
            };
            let answered_objection = file(first)?;
            let open_objection = file(second_household)?;
            let answered = notices::answer(
                c,
                published_notice,
                answered_objection,
                "已与农户协商，路线调整",
                minyi::notices::states::AnswerOutcome::Upheld,
                clerk,
                minyi::db::now(),
            )?;
            assert!(answered, "objection {answered_objection} answered");

            // One open round per village (the database keeps it): each year's round closes
            // before the next one opens.
            let now = minyi::db::now();
            let (closed_round, closed_ballot) =
                round_with_ballots(c, &village, clerk, "2025年度民主征集", &households)?;
            assert!(rounds::advance(
                c,
                closed_round,
                RoundState::Open,
                RoundState::Closed,
                now
            )?);
            let (published_round, published_ballot) =
                round_with_ballots(c, &village, clerk, "2026年度民主征集", &households)?;
            assert!(rounds::advance(
                c,
                published_round,
                RoundState::Open,
                RoundState::Closed,
                now
            )?);
            let published = RoundState::Published;
            assert!(rounds::advance(
                c,
                published_round,
                RoundState::Closed,
                published,
                now
            )?);
            let (open_round, open_ballot) =
                round_with_ballots(c, &village, clerk, "2027年度民主征集", &[first])?;
            let content = r#"{"household_number":"0002","suggestions":[]}"#;
            let typed = minyi::collection::paper_store::add_entry(
                c,
                open_round,
                second_household,
                TYPED_SERIAL,
                None,
                clerk,
                content,
            )?;
            assert!(typed.is_some(), "the first typing of {TYPED_SERIAL}");
            use minyi::collection::paper_store as sites;
            let certified_site = sites::create_site(c, open_round, "村部")?.expect("a site");
            let open_site = sites::create_site(c, open_round, "二组")?.expect("a site");
            let certificate = sites::Certificate {
                issued: 10,
                returned: 8,
                spoiled: 1,
                custodian_one: "王大伯",
                custodian_two: "李阿姨",
                staff_custodian_one: "文书小陈",
                staff_custodian_two: "镇干部老周",
            };
            assert!(sites::certify(c, open_round, certified_site, &certificate, clerk)?);
            let remark = {
                use minyi::db::schema::supervisor_remarks as sr;
                diesel::insert_into(sr::table)
                    .values((
                        sr::round_id.eq(open_round),
                        sr::staff_id.eq(clerk),
                        sr::staff_name.eq("监事 老李"),
                        sr::body.eq("作废理由清楚"),
                        sr::created_at.eq(minyi::db::now()),
                    ))
                    .returning(sr::id)
                    .get_result::<i64>(c)?
            };

            let closed_suggestion = suggestion_of(c, closed_ballot)?;
            let mut candidate = |title: &str| {
                diesel::insert_into(cd::table)
                    .values((
                        cd::village_id.eq(village.id),
                        cd::round_id.eq(closed_round),
                        cd::title.eq(title),
                        cd::description.eq("村口道路"),
                        cd::category.eq("道路交通"),
                        cd::temporary.eq(false),
                        cd::state.eq("candidate"),
                        cd::created_by.eq(clerk),
                        cd::created_at.eq(minyi::db::now()),
                    ))
                    .returning(cd::id)
                    .get_result::<i64>(c)
            };
            let candidate_id = candidate("修村口的路")?;
            let other_candidate = candidate("修村口的桥")?;
            diesel::sql_query(format!(
                "INSERT INTO candidate_suggestions (suggestion_id, candidate_id) \
                 VALUES ({closed_suggestion}, {candidate_id})"
            ))
            .execute(c)?;
            // The second household taken off the open round's roll, with a reason.
            diesel::sql_query(format!(
                "INSERT INTO roll_removals (round_id, household_id, reason, removed_by, removed_at) \
                 VALUES ({open_round}, {second_household}, '迁出本村', {clerk}, '2026-11-01 00:00:00')"
            ))
            .execute(c)?;
            minyi::audit::record(
                c,
                minyi::audit::Event::ok(
                    minyi::audit::Actor::Staff(clerk),
                    minyi::audit::Action::DemoSeed,
                    "promises:world",
                ),
            )?;
            let audit_event = minyi::db::schema::audit_events::table
                .select(diesel::dsl::max(minyi::db::schema::audit_events::id))
                .first::<Option<i64>>(c)?
                .expect("an audit event");
            Ok::<_, DbError>(World {
                village: village.clone(),
                clerk,
                member,
                second,
                meeting: meeting_id,
                closed_motion,
                open_motion,
                voting_motion,
                draft_motion,
                spare_draft_motion,
                locked_meeting,
                unlocked_meeting,
                published_notice,
                draft_notice,
                answered_objection,
                open_objection,
                first,
                second_household,
                late: 0,
                group: village.groups[0],
                closed_round,
                published_round,
                open_round,
                closed_ballot,
                published_ballot,
                open_ballot,
                closed_suggestion,
                published_suggestion: suggestion_of(c, published_ballot)?,
                open_suggestion: suggestion_of(c, open_ballot)?,
                other_candidate,
                certified_site,
                open_site,
                remark,
                audit_event,
                projects: super::projects::build(c, village.id, clerk, closed_motion)?,
                fund: 0,
                posted_entry: 0,
                pending_entry: 0,
            })
        })
        .expect("the promises world")
    });
    // Registered after every round opened: on no roll.
    let late = app.household(&village, "0003", "456789");
    let locked: Option<chrono::NaiveDateTime> = app.with_conn(|c| {
        mn::table
            .filter(mn::meeting_id.eq(built.locked_meeting))
            .select(mn::locked_at)
            .first(c)
            .expect("the locked minutes")
    });
    assert!(locked.is_some(), "the locked meeting's minutes are locked");
    let (fund, posted_entry, pending_entry) =
        app.with_conn(|c| ledger(c, built.village.id, built.clerk, built.member));
    World {
        late,
        fund,
        posted_entry,
        pending_entry,
        ..built
    }
}

/// The ledger's part of the world: a fund, an entry posted by `member` and a pending one.
fn ledger(c: &mut DbConn, village_id: i64, clerk: i64, member: i64) -> (i64, i64, i64) {
    use minyi::ledger::domain::{EntryKind, HashAlgorithm};
    use minyi::ledger::store::{self as ledger, NewEntry, NewFund};
    use minyi::money::Money;
    let fund = ledger::insert_fund(
        c,
        &NewFund {
            village_id,
            year: 2026,
            name: "2026年村级公共服务和社会管理专项资金",
            source: "县财政",
            allocation: Money::from_fen(100_000),
            algorithm: HashAlgorithm::Sha256,
            created_by: clerk,
        },
    )
    .expect("fund");
    let entry = |c: &mut DbConn, voucher: &str| {
        ledger::insert_entry(
            c,
            &NewEntry {
                fund_id: fund,
                kind: EntryKind::Allocation,
                voucher,
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
                payee: "本村",
                description: "第一批",
                amount: Money::from_fen(50_000),
                project_id: None,
                reverses_id: None,
                recorded_by: clerk,
                recorded_at: minyi::db::now(),
            },
        )
        .expect("entry")
    };
    let posted = entry(c, "V-1");
    // Its voucher, attached while it waited for the second person.
    diesel::sql_query(format!(
        "INSERT INTO attachments (village_id, sha256, content_type, size_bytes, file_name, uploaded_by, created_at) \
         VALUES ({village_id}, '{}', 'image/png', 9, 'V-1.png', {clerk}, '2026-01-05 00:00:00')",
        "a".repeat(64)
    ))
    .execute(c)
    .expect("voucher file");
    diesel::sql_query(format!(
        "INSERT INTO ledger_vouchers (entry_id, attachment_id) \
         SELECT {posted}, MAX(id) FROM attachments WHERE village_id = {village_id}"
    ))
    .execute(c)
    .expect("voucher link");
    let zero = "0".repeat(64);
    ledger::post(
        c,
        posted,
        1,
        &zero,
        &"1".repeat(64),
        member,
        minyi::db::now(),
    )
    .expect("post");
    let pending = entry(c, "V-2");
    (fund, posted, pending)
}
