-- Integration warnings and strict mode (mirrors
-- migrations/sqlite/0011_integration_warnings.sql).
ALTER TABLE merchants ADD COLUMN strict BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE payment_warnings (
    payment_id  TEXT NOT NULL REFERENCES payments(payment_id),
    seq         BIGINT NOT NULL,
    client_id   TEXT NOT NULL,
    rule        TEXT NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (payment_id, seq)
);
CREATE INDEX payment_warnings_by_client ON payment_warnings (client_id, created_at DESC);
