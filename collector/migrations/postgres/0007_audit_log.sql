-- PostgreSQL twin of ../0007_audit_log.sql.
CREATE TABLE audit_log (
  id          BIGSERIAL PRIMARY KEY,
  project_id  TEXT,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL,
  at          BIGINT NOT NULL
);
CREATE INDEX audit_log_by_project ON audit_log(project_id, id);
