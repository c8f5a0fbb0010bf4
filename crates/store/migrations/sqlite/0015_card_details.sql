-- What the issuer and the 3-D Secure server reported of an attempt's card
-- (issue #18): funding, issuing country, issuer, the security-code check,
-- a refusal's network code and reason, the 3-D Secure result. Stored as
-- the JSON of paymentResultInfo exactly as notifications and inquiries
-- send it; never the full card number or security code. On the payment:
-- the details of the attempt that decided it. NULL for attempts and
-- payments from before it, and for methods other than cards.
ALTER TABLE payments ADD COLUMN card_details TEXT;
ALTER TABLE payment_attempts ADD COLUMN card_details TEXT;
