-- Sandbox clocks (issue #16): how far a merchant's clock is ahead of real
-- time, in milliseconds. It only grows (one `UPDATE ... SET clock_offset_ms
-- = clock_offset_ms + ?` per advance, so a crash leaves the old or the new
-- value) and is read only by gateways started with --sandbox-clocks; every
-- time Cashier decides or writes for the merchant's payments is real time
-- plus this offset.
ALTER TABLE merchants ADD COLUMN clock_offset_ms INTEGER NOT NULL DEFAULT 0;

-- The headers a notification attempt was sent with, so `cashier listen
-- --forward-to` can replay the exact signed request. NULL for attempts made
-- before this migration.
ALTER TABLE notification_attempts ADD COLUMN request_time TEXT;
ALTER TABLE notification_attempts ADD COLUMN signature TEXT;
