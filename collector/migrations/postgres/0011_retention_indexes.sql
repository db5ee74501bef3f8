-- Retention and erasure (docs/privacy.md): old leads and visits are found by their age per project,
-- and a lead's delivery jobs by the lead, without scanning the tables. IF NOT EXISTS: another
-- migration may already have made the jobs index under this name.
CREATE INDEX IF NOT EXISTS leads_by_created ON leads(project_id, created_at);
CREATE INDEX IF NOT EXISTS visits_by_created ON visits(project_id, created_at);
CREATE INDEX IF NOT EXISTS jobs_by_lead ON jobs(lead_id);
