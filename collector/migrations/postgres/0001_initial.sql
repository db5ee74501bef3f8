-- PostgreSQL twin of ../0001_initial.sql (times are epoch milliseconds in BIGINT).
-- Projects, their forms and integration, visits, leads, delivery jobs and attempts.
CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  key         TEXT NOT NULL UNIQUE,
  created_at  BIGINT NOT NULL,
  last_visit  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE forms (
  id          TEXT PRIMARY KEY,
  project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  config      TEXT NOT NULL,            -- JSON FormConfigInput (parsed)
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX forms_by_project ON forms(project_id, created_at);

CREATE TABLE integrations (
  project_id    TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  type          TEXT NOT NULL,
  enabled       INTEGER NOT NULL,
  settings      TEXT NOT NULL,          -- JSON, secrets included: never sent to a client
  retry         TEXT,                   -- JSON RetryPolicy or NULL for the default
  callback_url  TEXT NOT NULL DEFAULT '',
  updated_at    BIGINT NOT NULL
);

CREATE TABLE visits (
  project_id    TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  number        INTEGER NOT NULL,
  first_visit   INTEGER,
  landing_page  TEXT NOT NULL,
  referrer      TEXT NOT NULL,
  utm           TEXT NOT NULL,
  click_ids     TEXT NOT NULL,
  params        TEXT NOT NULL,
  ip            TEXT NOT NULL,
  user_agent    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  PRIMARY KEY (project_id, number)
);

CREATE TABLE leads (
  id                     TEXT COLLATE "C" PRIMARY KEY,  -- time-ordered
  project_id             TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  form_id                TEXT,
  client_id              TEXT,                      -- the snippet's id: a resent lead is stored once
  source                 TEXT NOT NULL,
  visit                  INTEGER,
  title                  TEXT NOT NULL,
  name                   TEXT NOT NULL,
  phone                  TEXT NOT NULL,
  email                  TEXT NOT NULL,
  comment                TEXT NOT NULL,
  fields                 TEXT NOT NULL,
  client_fields          TEXT NOT NULL,
  order_creation_method  TEXT NOT NULL,
  page                   TEXT NOT NULL,
  referrer               TEXT NOT NULL,
  landing_page           TEXT NOT NULL,
  utm                    TEXT NOT NULL,
  ip                     TEXT NOT NULL,
  user_agent             TEXT NOT NULL,
  callback               INTEGER NOT NULL,
  created_at             BIGINT NOT NULL,
  status                 TEXT NOT NULL,
  crm_id                 TEXT,
  attempt_count          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at        BIGINT,
  last_error             TEXT,
  duplicate_of           TEXT,
  phone_norm             TEXT NOT NULL,
  email_norm             TEXT NOT NULL,
  extra                  TEXT NOT NULL DEFAULT '{}'  -- unknown proxy parameters, page context
);
CREATE UNIQUE INDEX leads_client_id ON leads(project_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX leads_by_project ON leads(project_id, id);
CREATE INDEX leads_by_status ON leads(project_id, status, id);
CREATE INDEX leads_by_phone ON leads(project_id, phone_norm, created_at) WHERE phone_norm <> '';
CREATE INDEX leads_by_email ON leads(project_id, email_norm, created_at) WHERE email_norm <> '';

CREATE TABLE lead_comments (
  id          BIGSERIAL PRIMARY KEY,
  lead_id     TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  at          BIGINT NOT NULL,
  title       TEXT NOT NULL,
  message     TEXT NOT NULL
);
CREATE INDEX lead_comments_by_lead ON lead_comments(lead_id, id);

-- One row per pending piece of delivery work; the lead's status changes in the same statement batch.
CREATE TABLE jobs (
  id                BIGSERIAL PRIMARY KEY,
  lead_id           TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  project_id        TEXT NOT NULL,
  kind              TEXT NOT NULL,      -- create | note | callback
  payload           TEXT NOT NULL DEFAULT '{}',
  run_at            BIGINT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  first_attempt_at  BIGINT,
  locked_by         TEXT,
  locked_until      BIGINT,
  last_error        TEXT,
  created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_one_create ON jobs(lead_id) WHERE kind = 'create';
CREATE INDEX jobs_due ON jobs(run_at);

CREATE TABLE attempts (
  id           BIGSERIAL PRIMARY KEY,
  lead_id      TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  at           BIGINT NOT NULL,
  ok           INTEGER NOT NULL,
  http_status  INTEGER,
  error        TEXT,
  duration_ms  INTEGER NOT NULL
);
CREATE INDEX attempts_by_lead ON attempts(lead_id, id);
