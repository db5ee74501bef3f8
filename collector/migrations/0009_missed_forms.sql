-- Forms the snippet saw submitted that no enabled form config matched, by structure only: the
-- selector, field names and types, the pages (no query string), never a typed value.
-- Bounded per project by collector/src/missed-forms.ts; docs/data-model.md "missed_forms".
CREATE TABLE missed_forms (
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  selector       TEXT NOT NULL,
  fields         TEXT NOT NULL,
  pages          TEXT NOT NULL,
  submits        INTEGER NOT NULL,
  first_seen_at  INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  PRIMARY KEY (project_id, selector)
);
CREATE INDEX missed_forms_by_last_seen ON missed_forms(project_id, last_seen_at);
