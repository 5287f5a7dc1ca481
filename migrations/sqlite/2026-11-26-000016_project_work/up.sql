-- Project work: progress updates, supervisors' inspections (with the committee's response and
-- the supervisor's close), acceptance (验收) with its participants, and the links from each to
-- stored attachments. Closed means closed: a plan that left its draft never changes its
-- content; what was recorded is append-only except the fields its workflow fills.

CREATE TABLE project_progress (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    reported_on DATE NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_progress_project ON project_progress (project_id);

CREATE TABLE project_inspections (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    inspected_on DATE NOT NULL,
    place TEXT NOT NULL,
    findings TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('fine', 'problem')),
    follow_up TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL,
    -- The committee's response to a problem, then the supervisor's close.
    response TEXT,
    responded_by BIGINT REFERENCES staff(id),
    responded_at TIMESTAMP,
    closed_by BIGINT REFERENCES staff(id),
    closed_at TIMESTAMP
);
CREATE INDEX project_inspections_project ON project_inspections (project_id);

CREATE TABLE project_acceptances (
    id INTEGER PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    accepted_on DATE NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('passed', 'failed')),
    reasons TEXT NOT NULL,
    notice_id BIGINT REFERENCES notices(id),
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_acceptances_project ON project_acceptances (project_id);

CREATE TABLE acceptance_participants (
    acceptance_id BIGINT NOT NULL REFERENCES project_acceptances(id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('household_rep', 'supervisor', 'professional')),
    name TEXT NOT NULL,
    PRIMARY KEY (acceptance_id, position)
);

CREATE TABLE progress_attachments (
    progress_id BIGINT NOT NULL REFERENCES project_progress(id),
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    PRIMARY KEY (progress_id, attachment_id)
);
CREATE TABLE inspection_attachments (
    inspection_id BIGINT NOT NULL REFERENCES project_inspections(id),
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    PRIMARY KEY (inspection_id, attachment_id)
);
CREATE TABLE acceptance_attachments (
    acceptance_id BIGINT NOT NULL REFERENCES project_acceptances(id),
    attachment_id BIGINT NOT NULL REFERENCES attachments(id),
    PRIMARY KEY (acceptance_id, attachment_id)
);

-- A plan that left its draft keeps its content; only its state, motion, notice and decision
-- time move along the workflow.
CREATE TRIGGER project_plans_no_update BEFORE UPDATE ON project_plans
WHEN OLD.state <> 'draft' AND (
    NEW.project_id IS NOT OLD.project_id OR NEW.version IS NOT OLD.version
    OR NEW.method IS NOT OLD.method OR NEW.starts_on IS NOT OLD.starts_on
    OR NEW.ends_on IS NOT OLD.ends_on
    OR NEW.contractor_selection IS NOT OLD.contractor_selection
    OR NEW.total_fen IS NOT OLD.total_fen OR NEW.created_by IS NOT OLD.created_by
    OR NEW.created_at IS NOT OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'project_plans: a plan put to the vote never changes'); END;
CREATE TRIGGER project_plans_no_delete BEFORE DELETE ON project_plans
WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'project_plans: a plan put to the vote never changes'); END;

CREATE TRIGGER plan_budget_lines_no_insert BEFORE INSERT ON plan_budget_lines
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = NEW.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_budget_lines: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_budget_lines_no_update BEFORE UPDATE ON plan_budget_lines
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_budget_lines: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_budget_lines_no_delete BEFORE DELETE ON plan_budget_lines
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_budget_lines: a plan put to the vote never changes'); END;

CREATE TRIGGER plan_funding_no_insert BEFORE INSERT ON plan_funding
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = NEW.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_funding: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_funding_no_update BEFORE UPDATE ON plan_funding
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_funding: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_funding_no_delete BEFORE DELETE ON plan_funding
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_funding: a plan put to the vote never changes'); END;

CREATE TRIGGER plan_participants_no_insert BEFORE INSERT ON plan_participants
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = NEW.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_participants: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_participants_no_update BEFORE UPDATE ON plan_participants
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_participants: a plan put to the vote never changes'); END;
CREATE TRIGGER plan_participants_no_delete BEFORE DELETE ON plan_participants
WHEN EXISTS (SELECT 1 FROM project_plans WHERE id = OLD.plan_id AND state <> 'draft')
BEGIN SELECT RAISE(ABORT, 'plan_participants: a plan put to the vote never changes'); END;

CREATE TRIGGER project_progress_no_update BEFORE UPDATE ON project_progress
BEGIN SELECT RAISE(ABORT, 'project_progress: a progress update never changes'); END;
CREATE TRIGGER project_progress_no_delete BEFORE DELETE ON project_progress
BEGIN SELECT RAISE(ABORT, 'project_progress: a progress update never changes'); END;

-- An inspection's record never changes; the response is written once, then the close once.
CREATE TRIGGER project_inspections_no_update BEFORE UPDATE ON project_inspections
WHEN NEW.project_id IS NOT OLD.project_id OR NEW.inspected_on IS NOT OLD.inspected_on
    OR NEW.place IS NOT OLD.place OR NEW.findings IS NOT OLD.findings
    OR NEW.result IS NOT OLD.result OR NEW.follow_up IS NOT OLD.follow_up
    OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
    OR (OLD.response IS NOT NULL AND (NEW.response IS NOT OLD.response
        OR NEW.responded_by IS NOT OLD.responded_by OR NEW.responded_at IS NOT OLD.responded_at))
    OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at
        OR NEW.closed_by IS NOT OLD.closed_by))
    OR (NEW.closed_at IS NOT NULL AND NEW.response IS NULL AND OLD.result = 'problem')
BEGIN SELECT RAISE(ABORT, 'project_inspections: a recorded inspection never changes'); END;
CREATE TRIGGER project_inspections_no_delete BEFORE DELETE ON project_inspections
BEGIN SELECT RAISE(ABORT, 'project_inspections: a recorded inspection never changes'); END;

CREATE TRIGGER project_acceptances_no_update BEFORE UPDATE ON project_acceptances
WHEN NEW.project_id IS NOT OLD.project_id OR NEW.accepted_on IS NOT OLD.accepted_on
    OR NEW.result IS NOT OLD.result OR NEW.reasons IS NOT OLD.reasons
    OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
    OR (OLD.notice_id IS NOT NULL AND NEW.notice_id IS NOT OLD.notice_id)
BEGIN SELECT RAISE(ABORT, 'project_acceptances: a recorded acceptance never changes'); END;
CREATE TRIGGER project_acceptances_no_delete BEFORE DELETE ON project_acceptances
BEGIN SELECT RAISE(ABORT, 'project_acceptances: a recorded acceptance never changes'); END;

CREATE TRIGGER acceptance_participants_no_update BEFORE UPDATE ON acceptance_participants
BEGIN SELECT RAISE(ABORT, 'acceptance_participants: a recorded acceptance never changes'); END;
CREATE TRIGGER acceptance_participants_no_delete BEFORE DELETE ON acceptance_participants
BEGIN SELECT RAISE(ABORT, 'acceptance_participants: a recorded acceptance never changes'); END;

CREATE TRIGGER progress_attachments_no_update BEFORE UPDATE ON progress_attachments
BEGIN SELECT RAISE(ABORT, 'progress_attachments: attachments stay linked'); END;
CREATE TRIGGER progress_attachments_no_delete BEFORE DELETE ON progress_attachments
BEGIN SELECT RAISE(ABORT, 'progress_attachments: attachments stay linked'); END;
CREATE TRIGGER inspection_attachments_no_update BEFORE UPDATE ON inspection_attachments
BEGIN SELECT RAISE(ABORT, 'inspection_attachments: attachments stay linked'); END;
CREATE TRIGGER inspection_attachments_no_delete BEFORE DELETE ON inspection_attachments
BEGIN SELECT RAISE(ABORT, 'inspection_attachments: attachments stay linked'); END;
CREATE TRIGGER acceptance_attachments_no_update BEFORE UPDATE ON acceptance_attachments
BEGIN SELECT RAISE(ABORT, 'acceptance_attachments: attachments stay linked'); END;
CREATE TRIGGER acceptance_attachments_no_delete BEFORE DELETE ON acceptance_attachments
BEGIN SELECT RAISE(ABORT, 'acceptance_attachments: attachments stay linked'); END;
