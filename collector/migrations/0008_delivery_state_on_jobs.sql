-- Delivery state lives on the job row (docs/data-model.md "Delivery state"): a job is kept after it
-- ends, its `state` says how (queued | retrying | done | failed | parked), `tries` counts every
-- attempt made on it (the lead's attemptCount), `attempts` those of the current round (the retry
-- policy's). The lead keeps its outcome (status, crm_id) and why it is not delivered (status_reason).
-- The lead list searches `search`: name, phone, email, title and comment lower-cased by JavaScript
-- (unicode_lower, registered by store/sqlite.ts), since SQLite's LIKE folds ASCII only.
ALTER TABLE jobs ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE jobs ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;

UPDATE jobs SET
  tries = (SELECT attempt_count FROM leads WHERE leads.id = jobs.lead_id),
  last_error = (SELECT last_error FROM leads WHERE leads.id = jobs.lead_id),
  state = CASE (SELECT status FROM leads WHERE leads.id = jobs.lead_id) WHEN 'retrying' THEN 'retrying' ELSE 'queued' END
WHERE kind = 'create';

INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, attempts, tries, state, last_error, created_at)
SELECT id, project_id, 'create', '{}', created_at, attempt_count, attempt_count,
  CASE status WHEN 'sent' THEN 'done' WHEN 'failed' THEN 'failed' ELSE 'parked' END,
  CASE status WHEN 'failed' THEN last_error ELSE NULL END, created_at
FROM leads
WHERE (status IN ('sent', 'failed') OR (status = 'no_integration' AND attempt_count > 0))
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.lead_id = leads.id AND j.kind = 'create');

UPDATE leads SET status = 'pending' WHERE status = 'retrying';
ALTER TABLE leads RENAME COLUMN last_error TO status_reason;
UPDATE leads SET status_reason = NULL WHERE status NOT IN ('not_sent', 'no_integration');
ALTER TABLE leads DROP COLUMN attempt_count;
ALTER TABLE leads DROP COLUMN next_attempt_at;

ALTER TABLE leads ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE leads SET search = unicode_lower(name || char(31) || phone || char(31) || email || char(31) || title || char(31) || comment);

DROP INDEX jobs_due;
CREATE INDEX jobs_due ON jobs(run_at) WHERE state IN ('queued', 'retrying');
