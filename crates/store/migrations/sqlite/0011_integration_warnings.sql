-- Integration warnings (issue #15, PROTOCOL.md §5.7/§5.8): gaps the guide
-- calls "must" that Cashier accepts, recorded per payment in the same
-- transaction as the payment, so the dashboard can show them on the
-- payment, count them per rule and export them. A merchant in strict mode
-- has them refused instead.
ALTER TABLE merchants ADD COLUMN strict INTEGER NOT NULL DEFAULT 0;

CREATE TABLE payment_warnings (
    payment_id  TEXT NOT NULL REFERENCES payments(payment_id),
    seq         INTEGER NOT NULL,
    client_id   TEXT NOT NULL,
    rule        TEXT NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (payment_id, seq)
);
CREATE INDEX payment_warnings_by_client ON payment_warnings (client_id, created_at DESC);
