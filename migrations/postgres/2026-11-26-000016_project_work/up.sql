-- Project work: progress updates, supervisors' inspections (with the committee's response and
-- the supervisor's close), acceptance (验收) with its participants, and the links from each to
-- stored attachments. Closed means closed: a plan that left its draft never changes its
-- content; what was recorded is append-only except the fields its workflow fills.

CREATE TABLE project_progress (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    reported_on DATE NOT NULL,
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES staff(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_progress_project ON project_progress (project_id);

CREATE TABLE project_inspections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE FUNCTION minyi_guard_project_plans() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'draft' AND (TG_OP = 'DELETE' OR (
        NEW.project_id IS DISTINCT FROM OLD.project_id OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.method IS DISTINCT FROM OLD.method OR NEW.starts_on IS DISTINCT FROM OLD.starts_on
        OR NEW.ends_on IS DISTINCT FROM OLD.ends_on
        OR NEW.contractor_selection IS DISTINCT FROM OLD.contractor_selection
        OR NEW.total_fen IS DISTINCT FROM OLD.total_fen OR NEW.created_by IS DISTINCT FROM OLD.created_by
        OR NEW.created_at IS DISTINCT FROM OLD.created_at)) THEN
        RAISE EXCEPTION 'project_plans: a plan put to the vote never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER project_plans_no_update BEFORE UPDATE ON project_plans
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_plans();
CREATE TRIGGER project_plans_no_delete BEFORE DELETE ON project_plans
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_plans();
CREATE TRIGGER project_plans_no_truncate BEFORE TRUNCATE ON project_plans
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_plan_budget_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM project_plans WHERE state <> 'draft' AND id =
        (CASE WHEN TG_OP = 'INSERT' THEN NEW.plan_id ELSE OLD.plan_id END)) THEN
        RAISE EXCEPTION 'plan_budget_lines: a plan put to the vote never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER plan_budget_lines_no_insert BEFORE INSERT ON plan_budget_lines
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_budget_lines();
CREATE TRIGGER plan_budget_lines_no_update BEFORE UPDATE ON plan_budget_lines
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_budget_lines();
CREATE TRIGGER plan_budget_lines_no_delete BEFORE DELETE ON plan_budget_lines
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_budget_lines();
CREATE TRIGGER plan_budget_lines_no_truncate BEFORE TRUNCATE ON plan_budget_lines
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_plan_funding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM project_plans WHERE state <> 'draft' AND id =
        (CASE WHEN TG_OP = 'INSERT' THEN NEW.plan_id ELSE OLD.plan_id END)) THEN
        RAISE EXCEPTION 'plan_funding: a plan put to the vote never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER plan_funding_no_insert BEFORE INSERT ON plan_funding
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_funding();
CREATE TRIGGER plan_funding_no_update BEFORE UPDATE ON plan_funding
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_funding();
CREATE TRIGGER plan_funding_no_delete BEFORE DELETE ON plan_funding
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_funding();
CREATE TRIGGER plan_funding_no_truncate BEFORE TRUNCATE ON plan_funding
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_plan_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM project_plans WHERE state <> 'draft' AND id =
        (CASE WHEN TG_OP = 'INSERT' THEN NEW.plan_id ELSE OLD.plan_id END)) THEN
        RAISE EXCEPTION 'plan_participants: a plan put to the vote never changes';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER plan_participants_no_insert BEFORE INSERT ON plan_participants
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_participants();
CREATE TRIGGER plan_participants_no_update BEFORE UPDATE ON plan_participants
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_participants();
CREATE TRIGGER plan_participants_no_delete BEFORE DELETE ON plan_participants
FOR EACH ROW EXECUTE FUNCTION minyi_guard_plan_participants();
CREATE TRIGGER plan_participants_no_truncate BEFORE TRUNCATE ON plan_participants
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_project_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'project_progress: a progress update never changes';
END;
$$;
CREATE TRIGGER project_progress_no_update BEFORE UPDATE ON project_progress
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_progress();
CREATE TRIGGER project_progress_no_delete BEFORE DELETE ON project_progress
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_progress();
CREATE TRIGGER project_progress_no_truncate BEFORE TRUNCATE ON project_progress
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

-- An inspection's record never changes; the response is written once, then the close once.
CREATE FUNCTION minyi_guard_project_inspections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.project_id IS DISTINCT FROM OLD.project_id
        OR NEW.inspected_on IS DISTINCT FROM OLD.inspected_on
        OR NEW.place IS DISTINCT FROM OLD.place OR NEW.findings IS DISTINCT FROM OLD.findings
        OR NEW.result IS DISTINCT FROM OLD.result OR NEW.follow_up IS DISTINCT FROM OLD.follow_up
        OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR (OLD.response IS NOT NULL AND (NEW.response IS DISTINCT FROM OLD.response
            OR NEW.responded_by IS DISTINCT FROM OLD.responded_by
            OR NEW.responded_at IS DISTINCT FROM OLD.responded_at))
        OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS DISTINCT FROM OLD.closed_at
            OR NEW.closed_by IS DISTINCT FROM OLD.closed_by))
        OR (NEW.closed_at IS NOT NULL AND NEW.response IS NULL AND OLD.result = 'problem') THEN
        RAISE EXCEPTION 'project_inspections: a recorded inspection never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER project_inspections_no_update BEFORE UPDATE ON project_inspections
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_inspections();
CREATE TRIGGER project_inspections_no_delete BEFORE DELETE ON project_inspections
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_inspections();
CREATE TRIGGER project_inspections_no_truncate BEFORE TRUNCATE ON project_inspections
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_project_acceptances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.project_id IS DISTINCT FROM OLD.project_id
        OR NEW.accepted_on IS DISTINCT FROM OLD.accepted_on
        OR NEW.result IS DISTINCT FROM OLD.result OR NEW.reasons IS DISTINCT FROM OLD.reasons
        OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR (OLD.notice_id IS NOT NULL AND NEW.notice_id IS DISTINCT FROM OLD.notice_id) THEN
        RAISE EXCEPTION 'project_acceptances: a recorded acceptance never changes';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER project_acceptances_no_update BEFORE UPDATE ON project_acceptances
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_acceptances();
CREATE TRIGGER project_acceptances_no_delete BEFORE DELETE ON project_acceptances
FOR EACH ROW EXECUTE FUNCTION minyi_guard_project_acceptances();
CREATE TRIGGER project_acceptances_no_truncate BEFORE TRUNCATE ON project_acceptances
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_acceptance_participants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'acceptance_participants: a recorded acceptance never changes';
END;
$$;
CREATE TRIGGER acceptance_participants_no_update BEFORE UPDATE ON acceptance_participants
FOR EACH ROW EXECUTE FUNCTION minyi_guard_acceptance_participants();
CREATE TRIGGER acceptance_participants_no_delete BEFORE DELETE ON acceptance_participants
FOR EACH ROW EXECUTE FUNCTION minyi_guard_acceptance_participants();
CREATE TRIGGER acceptance_participants_no_truncate BEFORE TRUNCATE ON acceptance_participants
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_progress_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'progress_attachments: attachments stay linked';
END;
$$;
CREATE TRIGGER progress_attachments_no_update BEFORE UPDATE ON progress_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_progress_attachments();
CREATE TRIGGER progress_attachments_no_delete BEFORE DELETE ON progress_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_progress_attachments();
CREATE TRIGGER progress_attachments_no_truncate BEFORE TRUNCATE ON progress_attachments
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_inspection_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'inspection_attachments: attachments stay linked';
END;
$$;
CREATE TRIGGER inspection_attachments_no_update BEFORE UPDATE ON inspection_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_inspection_attachments();
CREATE TRIGGER inspection_attachments_no_delete BEFORE DELETE ON inspection_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_inspection_attachments();
CREATE TRIGGER inspection_attachments_no_truncate BEFORE TRUNCATE ON inspection_attachments
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

CREATE FUNCTION minyi_guard_acceptance_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'acceptance_attachments: attachments stay linked';
END;
$$;
CREATE TRIGGER acceptance_attachments_no_update BEFORE UPDATE ON acceptance_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_acceptance_attachments();
CREATE TRIGGER acceptance_attachments_no_delete BEFORE DELETE ON acceptance_attachments
FOR EACH ROW EXECUTE FUNCTION minyi_guard_acceptance_attachments();
CREATE TRIGGER acceptance_attachments_no_truncate BEFORE TRUNCATE ON acceptance_attachments
FOR EACH STATEMENT EXECUTE FUNCTION minyi_no_truncate();

