-- An integration's own pace ({count, perSeconds, parallel?}), overriding its CRM type's default.
ALTER TABLE integrations ADD COLUMN rate_limit TEXT; -- JSON IntegrationRateLimit or NULL for the type's default
