-- PostgreSQL twin of ../0010_users_and_sessions.sql.
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE TABLE sessions (
  id_hash     TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE login_failures (
  bucket  TEXT NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX login_failures_by_bucket ON login_failures(bucket, at);
