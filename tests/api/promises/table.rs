//! The table of promises: each row is a promise's name (the one docs/promises.md uses), what
//! the database must answer, and the raw SQL that tries it. `{name}` in the SQL is an id of the
//! test's world (see `World::ids`), `{ts}` a timestamp literal.
//!
//! One row per line on purpose, so the table reads as a table.

/// What the database must answer to an attempted write.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// Refused by a trigger with this message (the same on both backends).
    Trigger(&'static str),
    /// Refused by a primary key or unique index.
    Duplicate,
    /// Refused by a CHECK constraint.
    Check,
    /// Accepted, touching at least one row.
    Allowed,
}

use Expect::{Allowed, Check, Duplicate, Trigger};

pub type Row = (&'static str, Expect, &'static str);

const CLOSED_MOTION: Expect = Trigger("motions: a closed motion never changes");
const NOT_A_DRAFT: Expect = Trigger("motions: only a draft motion may be deleted");
const VOTE_KEPT: Expect = Trigger("votes: a vote never changes");
const LOCKED_MINUTES: Expect = Trigger("minutes: locked minutes never change");
const UNLOCKED_ONLY: Expect = Trigger("minute_signatures: only unlocked minutes can be signed");
const SIGNATURE_KEPT: Expect = Trigger("minute_signatures: a signature never changes");
const REFUSAL_UNLOCKED_ONLY: Expect =
    Trigger("minute_refusals: only unlocked minutes can be refused");
const REFUSAL_KEPT: Expect = Trigger("minute_refusals: a refusal never changes");
const REFUSAL: &str =
    "INSERT INTO minute_refusals (meeting_id, staff_id, reason, recorded_by, recorded_at)";
const PUBLISHED: Expect = Trigger("notices: published notices are immutable");
const REMARK_KEPT: Expect = Trigger("supervisor_remarks: a remark never changes");
const CERTIFICATE_SIGNED: Expect = Trigger("collection_sites: a signed certificate never changes");
const ANSWERED: Expect = Trigger("objections: an answered objection never changes");
const OBJECTION_KEPT: Expect = Trigger("objections: objections are never deleted");
const BALLOT_CLOSED: Expect = Trigger("ballots: the round is closed");
const SUGGESTION_CLOSED: Expect = Trigger("suggestions: the round is closed");
const ROLL_FROZEN: Expect = Trigger("round_roll: the roll of an opened round never changes");
const ROLL_CLOSED: Expect = Trigger("round_roll: the round is closed");
const REMOVAL_KEPT: Expect = Trigger("roll_removals: a removal never changes");
const REMOVAL_CLOSED: Expect = Trigger("roll_removals: only an open round's roll takes a removal");
const GROUP_TALLY_KEPT: Expect =
    Trigger("round_group_tallies: a closed round's tally never changes");
const GROUP_TALLY_AT_CLOSE: Expect =
    Trigger("round_group_tallies: a tally is written when the round closes");
const CATEGORY_TALLY_KEPT: Expect =
    Trigger("round_category_tallies: a closed round's tally never changes");
const CATEGORY_TALLY_AT_CLOSE: Expect =
    Trigger("round_category_tallies: a tally is written when the round closes");
const ROLL_DECIDED: Expect = Trigger("motion_roll: the roll of a decided motion never changes");
const ROLL_WHILE_OPEN: Expect = Trigger("motion_roll: a roll is taken while the motion is open");
const ROLL_KEPT: Expect = Trigger("motion_roll: a roll is never deleted");
const TALLY_ONCE: Expect = Trigger("motion_tallies: a decided motion already has its tally");
const MEETING_ROLL_KEPT: Expect = Trigger("meeting_roll: a meeting roll never changes");
const VOTE_WHILE_OPEN: Expect = Trigger("votes: votes are cast only on open motions");
const MOTION_ROLL: &str =
    "INSERT INTO motion_roll (motion_id, staff_id, display_name, present_at_open, recused)";
const TALLY: &str = "INSERT INTO motion_tallies (motion_id, result, members, present, quorum_needed, recused, yes, no, abstain, base, needed, closed_by, recorded_at)";
const RP: &str =
    "INSERT INTO review_participation (review_id, household_id, channel, responded_at)";
const RA: &str = "INSERT INTO review_answers (id, item_id, rating, answered_on)";
const ANSWER_KEPT: Expect = Trigger("review_answers: an answer never changes");
const ANSWERS_KEPT: Expect = Trigger("review_answers: answers are never deleted");
const ITEMS_FROZEN: Expect = Trigger("review_items: the items of an opened review never change");
const PLAN_VOTED: Expect = Trigger("project_plans: a plan put to the vote never changes");
const LINES_VOTED: Expect = Trigger("plan_budget_lines: a plan put to the vote never changes");
const FUNDING_VOTED: Expect = Trigger("plan_funding: a plan put to the vote never changes");
const PEOPLE_VOTED: Expect = Trigger("plan_participants: a plan put to the vote never changes");
const PROGRESS_KEPT: Expect = Trigger("project_progress: a progress update never changes");
const INSPECTION_KEPT: Expect = Trigger("project_inspections: a recorded inspection never changes");
const ACCEPTANCE_KEPT: Expect = Trigger("project_acceptances: a recorded acceptance never changes");
const ACCEPTANCE_PEOPLE_KEPT: Expect =
    Trigger("acceptance_participants: a recorded acceptance never changes");
const LINKED: Expect = Trigger("progress_attachments: attachments stay linked");
const ENTRY_DECIDED: Expect = Trigger("ledger_entries: a decided entry never changes");
const ENTRY_KEPT: Expect = Trigger("ledger_entries: entries are never deleted");
const FUND_FROZEN: Expect = Trigger("funds: a fund with posted entries never changes");
const FUND_KEPT: Expect = Trigger("funds: funds are never deleted");
const VOUCHERS_KEPT: Expect = Trigger("ledger_vouchers: a decided entry's vouchers never change");
const ENTRY: &str = "INSERT INTO ledger_entries (fund_id, kind, state, voucher, entry_date, payee, description, amount_fen, recorded_by, recorded_at, decided_by, decided_at, seq, prev_hash, hash)";
const APPEND_ONLY: Expect = Trigger("audit_events is append-only");

const BALLOT: &str = "INSERT INTO ballots (round_id, household_id, group_id, channel, receipt, version, created_at, updated_at)";
const SUGGESTION: &str = "INSERT INTO suggestions (ballot_id, version, position, category, title, details, place, created_at)";

/// Every write here must be refused, and none may change a row.
#[rustfmt::skip]
pub fn refused() -> Vec<Row> {
    vec![
        // Projects (000016): voted plans, recorded work.
        ("voted plan: change the total", PLAN_VOTED, "UPDATE project_plans SET total_fen = 1 WHERE id = {voted_plan}"),
        ("voted plan: change the dates", PLAN_VOTED, "UPDATE project_plans SET ends_on = '2030-01-01' WHERE id = {voted_plan}"),
        ("voted plan: delete", PLAN_VOTED, "DELETE FROM project_plans WHERE id = {voted_plan}"),
        ("voted plan: change a line", LINES_VOTED, "UPDATE plan_budget_lines SET amount_fen = 1 WHERE plan_id = {voted_plan}"),
        ("voted plan: add a line", LINES_VOTED, "INSERT INTO plan_budget_lines (plan_id, position, item, quantity_hundredths, unit, unit_price_fen, amount_fen) VALUES ({voted_plan}, 9, 'x', 100, 'x', 1, 1)"),
        ("voted plan: delete a line", LINES_VOTED, "DELETE FROM plan_budget_lines WHERE plan_id = {voted_plan}"),
        ("voted plan: change the funding", FUNDING_VOTED, "UPDATE plan_funding SET amount_fen = 1 WHERE plan_id = {voted_plan}"),
        ("voted plan: add a source", FUNDING_VOTED, "INSERT INTO plan_funding (plan_id, source, amount_fen) VALUES ({voted_plan}, 'other', 1)"),
        ("voted plan: delete the funding", FUNDING_VOTED, "DELETE FROM plan_funding WHERE plan_id = {voted_plan}"),
        ("voted plan: rename a participant", PEOPLE_VOTED, "UPDATE plan_participants SET name = '某某' WHERE plan_id = {voted_plan}"),
        ("voted plan: add a participant", PEOPLE_VOTED, "INSERT INTO plan_participants (plan_id, position, role, name) VALUES ({voted_plan}, 9, 'professional', '某某')"),
        ("voted plan: delete a participant", PEOPLE_VOTED, "DELETE FROM plan_participants WHERE plan_id = {voted_plan}"),
        ("progress: change", PROGRESS_KEPT, "UPDATE project_progress SET percent = 90 WHERE id = {progress}"),
        ("progress: delete", PROGRESS_KEPT, "DELETE FROM project_progress WHERE id = {progress}"),
        ("progress photo: unlink", LINKED, "DELETE FROM progress_attachments WHERE progress_id = {progress}"),
        ("inspection: change the findings", INSPECTION_KEPT, "UPDATE project_inspections SET findings = '一切正常' WHERE id = {closed_inspection}"),
        ("inspection: change the response", INSPECTION_KEPT, "UPDATE project_inspections SET response = '改写' WHERE id = {closed_inspection}"),
        ("inspection: reopen", INSPECTION_KEPT, "UPDATE project_inspections SET closed_at = NULL, closed_by = NULL WHERE id = {closed_inspection}"),
        ("inspection: close without a response", INSPECTION_KEPT, "UPDATE project_inspections SET closed_by = {clerk}, closed_at = {ts} WHERE id = {open_inspection}"),
        ("inspection: delete", INSPECTION_KEPT, "DELETE FROM project_inspections WHERE id = {open_inspection}"),
        ("acceptance: change the result", ACCEPTANCE_KEPT, "UPDATE project_acceptances SET result = 'failed' WHERE id = {acceptance}"),
        ("acceptance: delete", ACCEPTANCE_KEPT, "DELETE FROM project_acceptances WHERE id = {acceptance}"),
        ("acceptance: rename a participant", ACCEPTANCE_PEOPLE_KEPT, "UPDATE acceptance_participants SET name = '某某' WHERE acceptance_id = {acceptance}"),
        ("acceptance: drop a participant", ACCEPTANCE_PEOPLE_KEPT, "DELETE FROM acceptance_participants WHERE acceptance_id = {acceptance}"),
        // Council: motions, votes, minutes and their signatures.
        ("closed motion: update", CLOSED_MOTION, "UPDATE motions SET text = 'changed' WHERE id = {closed_motion}"),
        ("closed motion: reopen", CLOSED_MOTION, "UPDATE motions SET state = 'open', passed = NULL WHERE id = {closed_motion}"),
        ("closed motion: delete", NOT_A_DRAFT, "DELETE FROM motions WHERE id = {closed_motion}"),
        ("open motion: delete", NOT_A_DRAFT, "DELETE FROM motions WHERE id = {open_motion}"),
        ("vote: change", VOTE_KEPT, "UPDATE votes SET choice = 'no' WHERE motion_id = {closed_motion}"),
        ("vote: change on an open motion", VOTE_KEPT, "UPDATE votes SET choice = 'no' WHERE motion_id = {voting_motion}"),
        ("vote: delete", Trigger("votes: votes are never deleted"), "DELETE FROM votes WHERE motion_id = {closed_motion}"),
        ("vote: one per member and motion", Duplicate, "INSERT INTO votes (motion_id, staff_id, choice, cast_at) VALUES ({voting_motion}, {member}, 'no', {ts})"),
        // Council snapshots: who counted, the tally, the meeting's roll; votes only while open.
        ("motion roll: change a decided motion's", ROLL_DECIDED, "UPDATE motion_roll SET display_name = '改名' WHERE motion_id = {closed_motion}"),
        ("motion roll: mark a recusal afterwards", ROLL_DECIDED, "UPDATE motion_roll SET recused = TRUE, recusal_reason = 'x' WHERE motion_id = {closed_motion}"),
        ("motion roll: move a line out of an open motion", ROLL_DECIDED, "UPDATE motion_roll SET motion_id = {closed_motion} WHERE motion_id = {open_motion} AND staff_id = {second}"),
        ("motion roll: add to a decided motion's", ROLL_WHILE_OPEN, "{motion_roll} VALUES ({closed_motion}, {clerk}, '书记员', TRUE, FALSE)"),
        ("motion roll: add to a draft's", ROLL_WHILE_OPEN, "{motion_roll} VALUES ({draft_motion}, {member}, '委员', TRUE, FALSE)"),
        ("motion roll: delete a decided motion's", ROLL_KEPT, "DELETE FROM motion_roll WHERE motion_id = {closed_motion}"),
        ("motion roll: delete an open motion's", ROLL_KEPT, "DELETE FROM motion_roll WHERE motion_id = {open_motion}"),
        ("tally: change", Trigger("motion_tallies: a tally never changes"), "UPDATE motion_tallies SET yes = yes + 1 WHERE motion_id = {closed_motion}"),
        ("tally: delete", Trigger("motion_tallies: a tally is never deleted"), "DELETE FROM motion_tallies WHERE motion_id = {closed_motion}"),
        ("tally: a second one", TALLY_ONCE, "{tally} VALUES ({closed_motion}, 'passed', 2, 2, 2, 0, 2, 0, 0, 2, 2, {clerk}, {ts})"),
        ("meeting roll: change", MEETING_ROLL_KEPT, "UPDATE meeting_roll SET status = 'absent' WHERE meeting_id = {locked_meeting}"),
        ("meeting roll: rename", MEETING_ROLL_KEPT, "UPDATE meeting_roll SET display_name = '改名' WHERE meeting_id = {locked_meeting}"),
        ("meeting roll: delete", Trigger("meeting_roll: a meeting roll is never deleted"), "DELETE FROM meeting_roll WHERE meeting_id = {locked_meeting}"),
        ("meeting roll: add to a closed meeting's", Trigger("meeting_roll: the roll of a closed meeting never changes"), "INSERT INTO meeting_roll (meeting_id, staff_id, display_name, status) VALUES ({locked_meeting}, {clerk}, '书记员', 'present')"),
        ("vote: on a decided motion", VOTE_WHILE_OPEN, "INSERT INTO votes (motion_id, staff_id, choice, cast_at) VALUES ({closed_motion}, {clerk}, 'yes', {ts})"),
        ("vote: on a draft motion", VOTE_WHILE_OPEN, "INSERT INTO votes (motion_id, staff_id, choice, cast_at) VALUES ({draft_motion}, {member}, 'yes', {ts})"),
        ("locked minutes: update", LOCKED_MINUTES, "UPDATE minutes SET body = 'changed' WHERE meeting_id = {locked_meeting}"),
        ("locked minutes: unlock", LOCKED_MINUTES, "UPDATE minutes SET locked_at = NULL, content_hash = NULL WHERE meeting_id = {locked_meeting}"),
        ("locked minutes: delete", LOCKED_MINUTES, "DELETE FROM minutes WHERE meeting_id = {locked_meeting}"),
        ("signature: on locked minutes", UNLOCKED_ONLY, "INSERT INTO minute_signatures (meeting_id, staff_id, signed_at) VALUES ({locked_meeting}, {clerk}, {ts})"),
        ("signature: without minutes", UNLOCKED_ONLY, "INSERT INTO minute_signatures (meeting_id, staff_id, signed_at) VALUES ({meeting}, {member}, {ts})"),
        ("signature: change", SIGNATURE_KEPT, "UPDATE minute_signatures SET signed_at = {ts} WHERE meeting_id = {unlocked_meeting}"),
        ("signature: change on locked minutes", SIGNATURE_KEPT, "UPDATE minute_signatures SET staff_id = {clerk} WHERE meeting_id = {locked_meeting}"),
        ("signature: delete from locked minutes", Trigger("minute_signatures: signatures of locked minutes are kept"), "DELETE FROM minute_signatures WHERE meeting_id = {locked_meeting}"),
        ("refusal: on locked minutes", REFUSAL_UNLOCKED_ONLY, "{refusal} VALUES ({locked_meeting}, {clerk}, '不同意记录', {clerk}, {ts})"),
        ("refusal: without minutes", REFUSAL_UNLOCKED_ONLY, "{refusal} VALUES ({meeting}, {member}, '不同意记录', {clerk}, {ts})"),
        // Notices and objections (an objection's answer is stored on it).
        // The ledger: posted entries, entries and funds.
        ("posted entry: change the amount", ENTRY_DECIDED, "UPDATE ledger_entries SET amount_fen = 1 WHERE id = {posted_entry}"),
        ("posted entry: unpost", ENTRY_DECIDED, "UPDATE ledger_entries SET state = 'pending', seq = NULL, prev_hash = NULL, hash = NULL WHERE id = {posted_entry}"),
        ("posted entry: delete", ENTRY_KEPT, "DELETE FROM ledger_entries WHERE id = {posted_entry}"),
        ("posted entry: add a voucher", VOUCHERS_KEPT, "INSERT INTO ledger_vouchers (entry_id, attachment_id) SELECT {posted_entry}, attachment_id FROM ledger_vouchers WHERE entry_id = {posted_entry}"),
        ("posted entry: change a voucher", VOUCHERS_KEPT, "UPDATE ledger_vouchers SET attachment_id = attachment_id WHERE entry_id = {posted_entry}"),
        ("posted entry: remove a voucher", VOUCHERS_KEPT, "DELETE FROM ledger_vouchers WHERE entry_id = {posted_entry}"),
        ("pending entry: delete", ENTRY_KEPT, "DELETE FROM ledger_entries WHERE id = {pending_entry}"),
        ("fund with posted entries: change the algorithm", FUND_FROZEN, "UPDATE funds SET hash_algorithm = 'sm3' WHERE id = {fund}"),
        ("fund: delete", FUND_KEPT, "DELETE FROM funds WHERE id = {fund}"),
        ("ledger: one sequence number per fund", Duplicate, "{entry} VALUES ({fund}, 'allocation', 'posted', 'V-9', '2026-01-06', 'p', 'd', 1, {clerk}, {ts}, {member}, {ts}, 1, 'a', 'b')"),
        ("ledger: one voucher number per fund", Duplicate, "{entry} VALUES ({fund}, 'allocation', 'pending', 'V-1', '2026-01-06', 'p', 'd', 1, {clerk}, {ts}, NULL, NULL, NULL, NULL, NULL)"),
        ("ledger: a posted entry has its place and hashes", Check, "{entry} VALUES ({fund}, 'allocation', 'posted', 'V-8', '2026-01-06', 'p', 'd', 1, {clerk}, {ts}, {member}, {ts}, NULL, NULL, NULL)"),
        ("signed certificate: change the counts", CERTIFICATE_SIGNED, "UPDATE collection_sites SET papers_returned = 9 WHERE id = {certified_site}"),
        ("signed certificate: change a custodian", CERTIFICATE_SIGNED, "UPDATE collection_sites SET staff_custodian_two = '别人' WHERE id = {certified_site}"),
        ("signed certificate: unsign", CERTIFICATE_SIGNED, "UPDATE collection_sites SET certified_at = NULL WHERE id = {certified_site}"),
        ("signed certificate: delete", CERTIFICATE_SIGNED, "DELETE FROM collection_sites WHERE id = {certified_site}"),
        ("supervisor remark: change", REMARK_KEPT, "UPDATE supervisor_remarks SET body = '没意见' WHERE id = {remark}"),
        ("supervisor remark: rename the author", REMARK_KEPT, "UPDATE supervisor_remarks SET staff_name = '别人' WHERE id = {remark}"),
        ("supervisor remark: withdraw", REMARK_KEPT, "DELETE FROM supervisor_remarks WHERE id = {remark}"),
        ("published notice: update", PUBLISHED, "UPDATE notices SET title = 'changed' WHERE id = {published_notice}"),
        ("published notice: unpublish", PUBLISHED, "UPDATE notices SET state = 'draft' WHERE id = {published_notice}"),
        ("published notice: delete", PUBLISHED, "DELETE FROM notices WHERE id = {published_notice}"),
        ("notice: superseded once", Duplicate, "INSERT INTO notices (village_id, kind, title, body, period_days, state, supersedes_id, created_by, created_at) VALUES ({village}, 'plan', 'a', 'b', 7, 'draft', {published_notice}, {clerk}, {ts}), ({village}, 'plan', 'c', 'd', 7, 'draft', {published_notice}, {clerk}, {ts})"),
        ("answered objection: change the answer", ANSWERED, "UPDATE objections SET answer = 'changed', upheld = FALSE WHERE id = {answered_objection}"),
        ("answered objection: change the objection", ANSWERED, "UPDATE objections SET body = 'changed' WHERE id = {answered_objection}"),
        ("answered objection: unanswer", ANSWERED, "UPDATE objections SET answer = NULL, answered_at = NULL WHERE id = {answered_objection}"),
        ("objection: delete answered", OBJECTION_KEPT, "DELETE FROM objections WHERE id = {answered_objection}"),
        ("objection: delete unanswered", OBJECTION_KEPT, "DELETE FROM objections WHERE id = {open_objection}"),
        // Collection: ballots, suggestions and the roll of closed and published rounds.
        ("closed round: insert a ballot", BALLOT_CLOSED, "{ballot} VALUES ({closed_round}, {late}, {group}, 'kiosk', 'LATE-1', 1, {ts}, {ts})"),
        ("closed round: change a ballot", BALLOT_CLOSED, "UPDATE ballots SET voided_at = {ts}, void_reason = 'x' WHERE id = {closed_ballot}"),
        ("closed round: delete a ballot", BALLOT_CLOSED, "DELETE FROM ballots WHERE id = {closed_ballot}"),
        ("closed round: move a ballot in", BALLOT_CLOSED, "UPDATE ballots SET round_id = {closed_round} WHERE id = {open_ballot}"),
        ("published round: insert a ballot", BALLOT_CLOSED, "{ballot} VALUES ({published_round}, {late}, {group}, 'kiosk', 'LATE-2', 1, {ts}, {ts})"),
        ("published round: change a ballot", BALLOT_CLOSED, "UPDATE ballots SET version = version + 1 WHERE id = {published_ballot}"),
        ("closed round: insert a suggestion", SUGGESTION_CLOSED, "{suggestion} VALUES ({closed_ballot}, 9, 0, '道路交通', '加塞', '', '', {ts})"),
        ("closed round: change a suggestion", SUGGESTION_CLOSED, "UPDATE suggestions SET title = 'changed' WHERE id = {closed_suggestion}"),
        ("closed round: delete a suggestion", SUGGESTION_CLOSED, "DELETE FROM suggestions WHERE id = {closed_suggestion}"),
        ("closed round: move a suggestion in", SUGGESTION_CLOSED, "UPDATE suggestions SET ballot_id = {closed_ballot} WHERE id = {open_suggestion}"),
        ("published round: insert a suggestion", SUGGESTION_CLOSED, "{suggestion} VALUES ({published_ballot}, 9, 0, '道路交通', '加塞', '', '', {ts})"),
        ("published round: change a suggestion", SUGGESTION_CLOSED, "UPDATE suggestions SET title = 'changed' WHERE id = {published_suggestion}"),
        ("opened roll: change", ROLL_FROZEN, "UPDATE round_roll SET group_id = {other_group} WHERE round_id = {open_round}"),
        ("opened roll: delete", ROLL_FROZEN, "DELETE FROM round_roll WHERE round_id = {open_round}"),
        ("closed roll: delete", ROLL_FROZEN, "DELETE FROM round_roll WHERE round_id = {closed_round}"),
        ("closed roll: add", ROLL_CLOSED, "INSERT INTO round_roll (round_id, household_id, group_id, added_reason, added_by, added_at) VALUES ({closed_round}, {late}, {group}, '补登', {clerk}, {ts})"),
        ("closed roll: remove a household", REMOVAL_CLOSED, "INSERT INTO roll_removals (round_id, household_id, reason, removed_by, removed_at) VALUES ({closed_round}, {first}, '迁出', {clerk}, {ts})"),
        ("roll removal: change the reason", REMOVAL_KEPT, "UPDATE roll_removals SET reason = 'changed' WHERE round_id = {open_round}"),
        ("roll removal: undo", REMOVAL_KEPT, "DELETE FROM roll_removals WHERE round_id = {open_round}"),
        ("closed tally: change a group's count", GROUP_TALLY_KEPT, "UPDATE round_group_tallies SET ballots = ballots + 1 WHERE round_id = {closed_round}"),
        ("closed tally: delete a group's count", GROUP_TALLY_KEPT, "DELETE FROM round_group_tallies WHERE round_id = {published_round}"),
        ("closed tally: change a category's count", CATEGORY_TALLY_KEPT, "UPDATE round_category_tallies SET suggestions = 0 WHERE round_id = {closed_round}"),
        ("closed tally: delete a category's count", CATEGORY_TALLY_KEPT, "DELETE FROM round_category_tallies WHERE round_id = {published_round}"),
        ("open round: store a tally", GROUP_TALLY_AT_CLOSE, "INSERT INTO round_group_tallies (round_id, group_id, roll, ballots) VALUES ({open_round}, {group}, 1, 1)"),
        ("published round: store a tally", CATEGORY_TALLY_AT_CLOSE, "INSERT INTO round_category_tallies (round_id, category, suggestions) VALUES ({published_round}, '加塞', 1)"),
        ("roll removal: twice", Duplicate, "INSERT INTO roll_removals (round_id, household_id, reason, removed_by, removed_at) VALUES ({open_round}, {second_household}, '又一次', {clerk}, {ts})"),
        ("ballot: one counted per household and round", Duplicate, "{ballot} VALUES ({open_round}, {first}, {group}, 'kiosk', 'DUP-1', 1, {ts}, {ts})"),
        ("ballot: one use of a receipt per round", Duplicate, "{ballot} SELECT round_id, {second_household}, group_id, 'kiosk', receipt, 1, {ts}, {ts} FROM ballots WHERE id = {open_ballot}"),
        ("ballot: one use of a paper serial per round", Duplicate, "INSERT INTO ballots (round_id, household_id, group_id, channel, receipt, version, paper_serial, created_at, updated_at) VALUES ({open_round}, {second_household}, {group}, 'paper', 'R-1', 1, 'S-1', {ts}, {ts}), ({open_round}, {late}, {group}, 'paper', 'R-2', 1, 'S-1', {ts}, {ts})"),
        ("paper: one typing per clerk and paper", Duplicate, "INSERT INTO paper_entries (round_id, household_id, paper_serial, entered_by, content, state, created_at) VALUES ({open_round}, {second_household}, {typed_serial}, {clerk}, 'x', 'waiting', {ts})"),
        ("candidate: one per suggestion", Duplicate, "INSERT INTO candidate_suggestions (suggestion_id, candidate_id) VALUES ({closed_suggestion}, {other_candidate})"),
        // Places and people.
        ("household: one 户号 per village", Duplicate, "INSERT INTO households (village_id, group_id, number, head_name, members, status, pin_hash, created_at, updated_at) VALUES ({village}, {group}, '0001', '李四', 2, 'active', 'x', {ts}, {ts})"),
        ("staff: one username", Duplicate, "INSERT INTO staff (username, display_name, password_hash, active, created_at) VALUES ('clerk.p', 'x', 'x', TRUE, {ts})"),
        ("role: exactly one scope (two)", Check, "INSERT INTO role_assignments (staff_id, role, township_id, village_id, created_at) VALUES ({clerk}, 'clerk', {township}, {village}, {ts})"),
        ("role: exactly one scope (none)", Check, "INSERT INTO role_assignments (staff_id, role, created_at) VALUES ({clerk}, 'clerk', {ts})"),
        // Reviews.
        ("review: one response per household", Duplicate, "{rp} VALUES ({open_review}, {first}, 'phone', {ts})"),
        ("review: take part in a closed review", Trigger("review_participation: responses are taken while the review is open"), "{rp} VALUES ({closed_review}, {second_household}, 'kiosk', {ts})"),
        ("review: change who took part", Trigger("review_participation: a response never changes"), "UPDATE review_participation SET household_id = {second_household} WHERE review_id = {open_review}"),
        ("review: delete who took part", Trigger("review_participation: responses are never deleted"), "DELETE FROM review_participation WHERE review_id = {closed_review}"),
        ("review: answer in a closed review", Trigger("review_answers: answers are taken while the review is open"), "{ra} VALUES ('00ff', {closed_item}, 'satisfied', '2026-11-26')"),
        ("review: change an answer", ANSWER_KEPT, "UPDATE review_answers SET rating = 'satisfied' WHERE item_id = {open_item}"),
        ("review: change a closed review's answer", ANSWER_KEPT, "UPDATE review_answers SET rating = 'satisfied' WHERE item_id = {closed_item}"),
        ("review: delete an answer", ANSWERS_KEPT, "DELETE FROM review_answers WHERE item_id = {closed_item}"),
        ("review: rename a closed review's item", ITEMS_FROZEN, "UPDATE review_items SET title = 'changed' WHERE id = {closed_item}"),
        ("review: delete a closed review's item", ITEMS_FROZEN, "DELETE FROM review_items WHERE id = {closed_item}"),
        ("review: delete from the roll", Trigger("review_roll: the roll of an opened review never changes"), "DELETE FROM review_roll WHERE review_id = {open_review}"),
        ("review: reopen a published review", Trigger("reviews: a published review never changes"), "UPDATE reviews SET state = 'open' WHERE id = {published_review}"),
        ("review: delete a published review", Trigger("reviews: only a draft review may be deleted"), "DELETE FROM reviews WHERE id = {published_review}"),
        ("review: lift a flag", Trigger("review_flags: a flag is never deleted"), "DELETE FROM review_flags WHERE item_id = {closed_item}"),
        ("review: change a flag", Trigger("review_flags: a flag never changes"), "UPDATE review_flags SET favourable = 5 WHERE item_id = {closed_item}"),
        ("review: change a re-consultation", Trigger("review_reconsultations: a recorded re-consultation never changes"), "UPDATE review_reconsultations SET changes = 'x' WHERE item_id = {closed_item}"),
        ("review: delete a re-consultation", Trigger("review_reconsultations: a recorded re-consultation is never deleted"), "DELETE FROM review_reconsultations WHERE item_id = {closed_item}"),
        // The audit log.
        ("audit event: update", APPEND_ONLY, "UPDATE audit_events SET detail = 'changed' WHERE id = {audit_event}"),
        ("audit event: delete", APPEND_ONLY, "DELETE FROM audit_events WHERE id = {audit_event}"),
        ("audit log: delete all", APPEND_ONLY, "DELETE FROM audit_events"),
    ]
}

/// Writes the app makes, which the promises must leave possible, in this order; some are
/// followed by the same kind of write, refused now that the record has moved on.
#[rustfmt::skip]
pub fn allowed() -> Vec<Row> {
    vec![
        ("draft plan: edit a line", Allowed, "UPDATE plan_budget_lines SET item = '钢护栏' WHERE plan_id = {draft_plan}"),
        ("voted plan: superseded", Allowed, "UPDATE project_plans SET state = 'superseded' WHERE id = {voted_plan}"),
        ("open problem: the committee responds", Allowed, "UPDATE project_inspections SET response = '已整改', responded_by = {clerk}, responded_at = {ts} WHERE id = {open_inspection}"),
        ("draft motion: edit", Allowed, "UPDATE motions SET text = 'edited' WHERE id = {draft_motion}"),
        ("draft motion: delete", Allowed, "DELETE FROM motions WHERE id = {spare_draft_motion}"),
        ("draft motion: open", Allowed, "UPDATE motions SET state = 'open', opened_at = {ts}, members_at_open = 2 WHERE id = {draft_motion}"),
        ("open motion: vote", Allowed, "INSERT INTO votes (motion_id, staff_id, choice, cast_at) VALUES ({open_motion}, {member}, 'yes', {ts})"),
        ("open motion: mark who is present at the close", Allowed, "UPDATE motion_roll SET present_at_close = TRUE WHERE motion_id = {open_motion}"),
        ("open motion: record its tally", Allowed, "{tally} VALUES ({open_motion}, 'failed', 2, 2, 2, 0, 1, 0, 0, 2, 2, {clerk}, {ts})"),
        ("open motion: close", Allowed, "UPDATE motions SET state = 'closed', closed_at = {ts}, passed = FALSE WHERE id = {open_motion}"),
        ("closed motion: update", CLOSED_MOTION, "UPDATE motions SET passed = TRUE WHERE id = {open_motion}"),
        ("motion roll: change a decided motion's", ROLL_DECIDED, "UPDATE motion_roll SET present_at_close = FALSE WHERE motion_id = {open_motion}"),
        ("unlocked minutes: rewrite", Allowed, "UPDATE minutes SET body = 'rewritten' WHERE meeting_id = {unlocked_meeting}"),
        ("unlocked minutes: rewriting clears the signatures", Allowed, "DELETE FROM minute_signatures WHERE meeting_id = {unlocked_meeting}"),
        ("unlocked minutes: a refusal to sign", Allowed, "{refusal} VALUES ({unlocked_meeting}, {clerk}, '不同意记录', {clerk}, {ts})"),
        ("refusal: change", REFUSAL_KEPT, "UPDATE minute_refusals SET reason = 'changed' WHERE meeting_id = {unlocked_meeting}"),
        ("unlocked minutes: sign", Allowed, "INSERT INTO minute_signatures (meeting_id, staff_id, signed_at) VALUES ({unlocked_meeting}, {member}, {ts}), ({unlocked_meeting}, {second}, {ts})"),
        ("unlocked minutes: lock", Allowed, "UPDATE minutes SET locked_at = {ts}, content_hash = 'h' WHERE meeting_id = {unlocked_meeting}"),
        ("locked minutes: update", LOCKED_MINUTES, "UPDATE minutes SET body = 'changed' WHERE meeting_id = {unlocked_meeting}"),
        ("signature: on locked minutes", UNLOCKED_ONLY, "INSERT INTO minute_signatures (meeting_id, staff_id, signed_at) VALUES ({unlocked_meeting}, {clerk}, {ts})"),
        ("refusal: delete from locked minutes", Trigger("minute_refusals: refusals of locked minutes are kept"), "DELETE FROM minute_refusals WHERE meeting_id = {unlocked_meeting}"),
        ("pending entry: attach a voucher", Allowed, "INSERT INTO ledger_vouchers (entry_id, attachment_id) SELECT {pending_entry}, attachment_id FROM ledger_vouchers WHERE entry_id = {posted_entry}"),
        ("pending entry: post", Allowed, "UPDATE ledger_entries SET state = 'posted', seq = 2, prev_hash = 'a', hash = 'b', decided_by = {member}, decided_at = {ts} WHERE id = {pending_entry}"),
        ("posted entry: change the amount", ENTRY_DECIDED, "UPDATE ledger_entries SET amount_fen = 1 WHERE id = {pending_entry}"),
        ("draft notice: edit", Allowed, "UPDATE notices SET title = 'edited' WHERE id = {draft_notice}"),
        ("unsigned site: sign its certificate", Allowed, "UPDATE collection_sites SET papers_issued = 5, papers_returned = 5, papers_spoiled = 0, custodian_one = 'a', custodian_two = 'b', staff_custodian_one = 'c', staff_custodian_two = 'd', certified_by = {clerk}, certified_at = {ts} WHERE id = {open_site}"),
        ("draft notice: publish", Allowed, "UPDATE notices SET state = 'published', published_at = {ts}, period_ends_at = {ts}, content_hash = 'h' WHERE id = {draft_notice}"),
        ("published notice: update", PUBLISHED, "UPDATE notices SET title = 'changed' WHERE id = {draft_notice}"),
        ("open objection: remind", Allowed, "UPDATE objections SET reminded_at = {ts} WHERE id = {open_objection}"),
        ("open objection: answer", Allowed, "UPDATE objections SET answer = 'a', upheld = TRUE, answered_by = {clerk}, answered_at = {ts} WHERE id = {open_objection}"),
        ("answered objection: change the answer", ANSWERED, "UPDATE objections SET answer = 'changed' WHERE id = {open_objection}"),
        ("open round: add to the roll", Allowed, "INSERT INTO round_roll (round_id, household_id, group_id, added_reason, added_by, added_at) VALUES ({open_round}, {late}, {group}, '新迁入', {clerk}, {ts})"),
        ("open round: revise a ballot", Allowed, "UPDATE ballots SET version = 2, updated_at = {ts} WHERE id = {open_ballot}"),
        ("open round: add the revision's suggestions", Allowed, "{suggestion} VALUES ({open_ballot}, 2, 0, '道路交通', '修桥', '', '', {ts})"),
        ("open round: void a ballot", Allowed, "UPDATE ballots SET voided_at = {ts}, voided_by = {clerk}, void_reason = 'x' WHERE id = {open_ballot}"),
        ("open round: close", Allowed, "UPDATE collection_rounds SET state = 'closed', closed_at = {ts} WHERE id = {open_round}"),
        ("closed round: change a ballot", BALLOT_CLOSED, "UPDATE ballots SET voided_at = NULL WHERE id = {open_ballot}"),
        ("closed round: insert a suggestion", SUGGESTION_CLOSED, "{suggestion} VALUES ({open_ballot}, 3, 0, '道路交通', '加塞', '', '', {ts})"),
        ("closed roll: add", ROLL_CLOSED, "INSERT INTO round_roll (round_id, household_id, group_id, added_reason, added_by, added_at) VALUES ({open_round}, {second_household}, {group}, '补登', {clerk}, {ts})"),
        ("closed round: publish", Allowed, "UPDATE collection_rounds SET state = 'published', published_at = {ts} WHERE id = {open_round}"),
        ("open review: a household takes part", Allowed, "{rp} VALUES ({open_review}, {second_household}, 'phone', {ts})"),
        ("open review: its answer", Allowed, "{ra} VALUES ('0a1b', {open_item}, 'basic', '2026-11-26')"),
        ("open review: close", Allowed, "UPDATE reviews SET state = 'closed', closed_at = {ts} WHERE id = {open_review}"),
        ("closed review: answer", Trigger("review_answers: answers are taken while the review is open"), "{ra} VALUES ('0c2d', {open_item}, 'basic', '2026-11-26')"),
        ("closed review: link the result notice", Allowed, "UPDATE reviews SET notice_id = NULL WHERE id = {open_review}"),
        ("closed review: publish", Allowed, "UPDATE reviews SET state = 'published', published_at = {ts} WHERE id = {open_review}"),
        ("published review: change", Trigger("reviews: a published review never changes"), "UPDATE reviews SET notice_id = NULL WHERE id = {open_review}"),
        ("audit log: append", Allowed, "INSERT INTO audit_events (occurred_at, actor, action, subject, outcome, detail) VALUES ({ts}, 'system', 'demo.seed', 'promises', 'ok', '')"),
    ]
}

/// Fills a row's SQL: the statement prefixes, the timestamp, then the world's ids.
pub fn fill(sql: &str, ids: &[(&str, String)]) -> String {
    let mut text = sql
        .replace("{ballot}", BALLOT)
        .replace("{suggestion}", SUGGESTION)
        .replace("{motion_roll}", MOTION_ROLL)
        .replace("{tally}", TALLY)
        .replace("{refusal}", REFUSAL)
        .replace("{rp}", RP)
        .replace("{ra}", RA)
        .replace("{entry}", ENTRY)
        .replace("{ts}", "'2026-11-26 10:00:00'");
    for (name, value) in ids {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    assert!(!text.contains('{'), "an unknown placeholder in `{text}`");
    text
}
