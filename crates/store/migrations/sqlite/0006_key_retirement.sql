-- Retiring a merchant public key (dashboard Developers page, `cashier
-- merchant key retire`): NULL = active. A retired key no longer verifies
-- API requests; the merchant's last active key cannot be retired.
ALTER TABLE merchant_keys ADD COLUMN retired_at INTEGER;
