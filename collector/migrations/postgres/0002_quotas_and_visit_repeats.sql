-- PostgreSQL twin of ../0002_quotas_and_visit_repeats.sql.
-- NULL: the collector's QUOTA_LEADS_PER_DAY / QUOTA_VISITS_PER_DAY apply; 0: no quota for this project.
ALTER TABLE projects ADD COLUMN quota_leads_per_day INTEGER;
ALTER TABLE projects ADD COLUMN quota_visits_per_day INTEGER;

-- What each project stored on each UTC day (day = days since 1970-01-01), counted in the same
-- transaction as the lead or visit, so the quota is exact under any concurrency.
-- One row per kind ('leads' or 'visits'), so counting a visit never waits for a lead's transaction.
CREATE TABLE project_usage (
  project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  day         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  stored      INTEGER NOT NULL,
  PRIMARY KEY (project_id, day, kind)
);

-- A hash of who registered the visit and what it holds: the same browser registering the same
-- visit again (a lost answer, two tabs at once) gets the visit it already has.
ALTER TABLE visits ADD COLUMN fingerprint TEXT;
CREATE INDEX visits_by_fingerprint ON visits(project_id, fingerprint, created_at) WHERE fingerprint IS NOT NULL;
