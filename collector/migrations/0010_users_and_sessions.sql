-- Users, their sessions and failed logins (collector/src/auth/, docs/data-model.md "Users and sessions").
-- A session row holds the SHA-256 of the session id, never the id the cookie carries.
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE TABLE sessions (
  id_hash     TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE login_failures (
  bucket  TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX login_failures_by_bucket ON login_failures(bucket, at);
