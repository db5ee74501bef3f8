-- PostgreSQL twin of ../0006_attempt_dropped_fields.sql.
ALTER TABLE attempts ADD COLUMN dropped_fields TEXT;
