-- Cancel and refunds (PROTOCOL.md §3.6-§3.8, §5.3, §5.10); mirrors
-- migrations/sqlite/0002_cancel_refund.sql.

-- Sum of refunds that succeeded or are still processing: reserved at refund
-- time in the same statement that checks it, so racing refunds can never
-- exceed the payment amount.
ALTER TABLE payments ADD COLUMN refunded_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN cancel_time BIGINT;
-- Settlement fee rate of the merchant at payment time, in basis points.
ALTER TABLE merchants ADD COLUMN fee_bps BIGINT NOT NULL DEFAULT 0;

CREATE TABLE refunds (
    refund_id            TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL REFERENCES merchants(client_id),
    refund_request_id    TEXT NOT NULL,
    payment_id           TEXT NOT NULL REFERENCES payments(payment_id),
    reference_refund_id  TEXT,
    fingerprint          TEXT NOT NULL,
    currency             TEXT NOT NULL,
    amount_minor         BIGINT NOT NULL,
    reason               TEXT,
    notify_url           TEXT,
    status               TEXT NOT NULL,
    result_code          TEXT NOT NULL,
    result_message       TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    refund_time          BIGINT,
    settle_at            BIGINT,
    updated_at           BIGINT NOT NULL,
    UNIQUE (client_id, refund_request_id)
);
CREATE INDEX refunds_by_payment ON refunds (payment_id, created_at);
CREATE INDEX refunds_by_settle ON refunds (status, settle_at);
CREATE INDEX refunds_by_time ON refunds (client_id, refund_time);

-- The payment a notification is about (refund notifications wait for the
-- payment's own notification to have been attempted once).
ALTER TABLE notifications ADD COLUMN payment_id TEXT;
UPDATE notifications SET payment_id = subject_id WHERE kind = 'PAYMENT_RESULT';

CREATE INDEX payments_by_paid ON payments (client_id, paid_at);
CREATE INDEX payments_by_closed ON payments (client_id, closed_at);
CREATE INDEX payments_by_cancel ON payments (client_id, cancel_time);

-- Reports generated, so each (merchant, day, kind) is produced once.
CREATE TABLE reports (
    client_id     TEXT NOT NULL,
    report_date   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content       TEXT NOT NULL,
    generated_at  BIGINT NOT NULL,
    PRIMARY KEY (client_id, report_date, kind, file_name)
);
