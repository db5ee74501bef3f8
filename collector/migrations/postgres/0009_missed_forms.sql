-- PostgreSQL twin of ../0009_missed_forms.sql.
CREATE TABLE missed_forms (
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  selector       TEXT NOT NULL,
  fields         TEXT NOT NULL,
  pages          TEXT NOT NULL,
  submits        BIGINT NOT NULL,
  first_seen_at  BIGINT NOT NULL,
  last_seen_at   BIGINT NOT NULL,
  PRIMARY KEY (project_id, selector)
);
CREATE INDEX missed_forms_by_last_seen ON missed_forms(project_id, last_seen_at);
