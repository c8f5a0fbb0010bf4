-- Retiring a merchant public key (mirrors migrations/sqlite/0006_key_retirement.sql):
-- NULL = active. A retired key no longer verifies API requests; the
-- merchant's last active key cannot be retired.
ALTER TABLE merchant_keys ADD COLUMN retired_at BIGINT;
