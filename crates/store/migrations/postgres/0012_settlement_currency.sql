-- Settlement currencies (mirrors migrations/sqlite/0012_settlement_currency.sql).
ALTER TABLE merchants ADD COLUMN settlement_currencies TEXT;
ALTER TABLE payments ADD COLUMN settlement_currency TEXT;
ALTER TABLE payments ADD COLUMN settlement_rate TEXT;
ALTER TABLE payments ADD COLUMN settlement_rate_at BIGINT;
