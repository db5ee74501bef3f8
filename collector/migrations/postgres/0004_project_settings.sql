-- PostgreSQL twin of ../0004_project_settings.sql.
CREATE TABLE project_settings (
  project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  settings    TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);
