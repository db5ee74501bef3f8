-- A project's own settings (e.g. jsRules), as JSON: read fresh, never memoized with the project.
CREATE TABLE project_settings (
  project_id  TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  settings    TEXT NOT NULL,            -- JSON ProjectSettings; a missing key takes its default
  updated_at  INTEGER NOT NULL
);
