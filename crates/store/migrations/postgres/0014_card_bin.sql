-- The card's masked number with its first six digits (the BIN) and last
-- four, e.g. 424242******4242, as Antom's paymentResultInfo.cardNo writes
-- it (issue #18). Never the full number. NULL for payments from before it.
ALTER TABLE payments ADD COLUMN card_masked TEXT;
ALTER TABLE payment_attempts ADD COLUMN card_masked TEXT;
