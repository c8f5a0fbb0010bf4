-- Settlement currencies (issue #15, PROTOCOL.md §3.2 item 9, §8.3): a
-- merchant's contracted settlement currencies (NULL: each payment settles
-- in its own currency), and per payment the currency it settles in with
-- the sandbox rate and the time of that rate. NULL settlement columns on a
-- payment (rows from before this migration) mean its own currency at 1.
ALTER TABLE merchants ADD COLUMN settlement_currencies TEXT;
ALTER TABLE payments ADD COLUMN settlement_currency TEXT;
ALTER TABLE payments ADD COLUMN settlement_rate TEXT;
ALTER TABLE payments ADD COLUMN settlement_rate_at INTEGER;
