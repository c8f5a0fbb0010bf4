-- Sandbox clocks (mirrors migrations/sqlite/0013_sandbox_clocks.sql).
ALTER TABLE merchants ADD COLUMN clock_offset_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notification_attempts ADD COLUMN request_time TEXT;
ALTER TABLE notification_attempts ADD COLUMN signature TEXT;
