//! Tables of project work: progress updates, inspections, acceptances with their participants,
//! and the links from each to stored attachments.

diesel::table! {
    project_progress (id) {
        id -> BigInt,
        project_id -> BigInt,
        reported_on -> Date,
        percent -> Integer,
        body -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_inspections (id) {
        id -> BigInt,
        project_id -> BigInt,
        inspected_on -> Date,
        place -> Text,
        findings -> Text,
        result -> Text,
        follow_up -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        response -> Nullable<Text>,
        responded_by -> Nullable<BigInt>,
        responded_at -> Nullable<Timestamp>,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_acceptances (id) {
        id -> BigInt,
        project_id -> BigInt,
        accepted_on -> Date,
        result -> Text,
        reasons -> Text,
        notice_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    acceptance_participants (acceptance_id, position) {
        acceptance_id -> BigInt,
        position -> Integer,
        role -> Text,
        name -> Text,
    }
}

diesel::table! {
    progress_attachments (progress_id, attachment_id) {
        progress_id -> BigInt,
        attachment_id -> BigInt,
    }
}

diesel::table! {
    inspection_attachments (inspection_id, attachment_id) {
        inspection_id -> BigInt,
        attachment_id -> BigInt,
    }
}

diesel::table! {
    acceptance_attachments (acceptance_id, attachment_id) {
        acceptance_id -> BigInt,
        attachment_id -> BigInt,
    }
}

use super::project_tables::attachments;

diesel::joinable!(progress_attachments -> project_progress (progress_id));
diesel::joinable!(inspection_attachments -> project_inspections (inspection_id));
diesel::joinable!(acceptance_attachments -> project_acceptances (acceptance_id));
diesel::joinable!(progress_attachments -> attachments (attachment_id));
diesel::joinable!(inspection_attachments -> attachments (attachment_id));
diesel::joinable!(acceptance_attachments -> attachments (attachment_id));
