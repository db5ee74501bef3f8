-- The extra fields a CRM refused on a delivered attempt (JSON [{key, value, reason}]), shown on the lead.
ALTER TABLE attempts ADD COLUMN dropped_fields TEXT;
