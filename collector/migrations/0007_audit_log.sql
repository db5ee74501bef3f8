-- Who changed what, when: forms, the integration, users, projects and erasures (collector/src/audit.ts).
-- `detail` is JSON and never holds a secret or an erased person's data.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id  TEXT,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX audit_log_by_project ON audit_log(project_id, id);
