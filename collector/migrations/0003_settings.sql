-- Process-wide settings shared by every collector process (the generated admin token), and the row
-- /healthz rewrites to prove that the database can be written.
CREATE TABLE settings (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
