-- PostgreSQL twin of ../0005_integration_rate_limit.sql.
ALTER TABLE integrations ADD COLUMN rate_limit TEXT; -- JSON IntegrationRateLimit or NULL for the type's default
