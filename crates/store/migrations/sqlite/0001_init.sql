-- Cashier schema, SQLite flavour. Times are epoch milliseconds (UTC);
-- amounts are integers in the currency's minor unit.

CREATE TABLE merchants (
    client_id           TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    brand_name          TEXT NOT NULL,
    logo_file           TEXT,
    notify_url          TEXT,
    refund_notify_url   TEXT,
    status              TEXT NOT NULL DEFAULT 'ACTIVE',
    created_at          INTEGER NOT NULL
);

CREATE TABLE merchant_keys (
    client_id    TEXT NOT NULL REFERENCES merchants(client_id),
    key_version  INTEGER NOT NULL,
    public_key   BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (client_id, key_version)
);

CREATE TABLE payments (
    payment_id          TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL REFERENCES merchants(client_id),
    payment_request_id  TEXT NOT NULL,
    fingerprint         TEXT NOT NULL,
    status              TEXT NOT NULL,
    result_code         TEXT NOT NULL,
    result_message      TEXT NOT NULL,
    currency            TEXT NOT NULL,
    amount_minor        INTEGER NOT NULL,
    reference_order_id  TEXT NOT NULL,
    order_description   TEXT NOT NULL,
    goods_json          TEXT NOT NULL,
    buyer_reference_id  TEXT,
    redirect_url        TEXT NOT NULL,
    notify_url          TEXT,
    locale              TEXT,
    terminal_type       TEXT,
    methods_json        TEXT NOT NULL,
    preselected_method  TEXT,
    session_id          TEXT NOT NULL UNIQUE,
    session_data        TEXT NOT NULL,
    checkout_token      TEXT NOT NULL UNIQUE,
    session_expires_at  INTEGER NOT NULL,
    payment_method_type TEXT,
    card_brand          TEXT,
    card_last4          TEXT,
    created_at          INTEGER NOT NULL,
    paid_at             INTEGER,
    closed_at           INTEGER,
    updated_at          INTEGER NOT NULL,
    UNIQUE (client_id, payment_request_id)
);
CREATE INDEX payments_open_by_expiry ON payments (status, session_expires_at);

CREATE TABLE payment_attempts (
    attempt_id      TEXT PRIMARY KEY,
    payment_id      TEXT NOT NULL REFERENCES payments(payment_id),
    nonce           TEXT NOT NULL,
    method          TEXT NOT NULL,
    state           TEXT NOT NULL,
    result_code     TEXT,
    result_message  TEXT,
    card_brand      TEXT,
    card_last4      TEXT,
    wallet_token    TEXT UNIQUE,
    settle_at       INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (payment_id, nonce)
);
CREATE INDEX payment_attempts_by_settle ON payment_attempts (state, settle_at);
CREATE INDEX payment_attempts_by_payment ON payment_attempts (payment_id, created_at);

CREATE TABLE notifications (
    notification_id  TEXT PRIMARY KEY,
    client_id        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    subject_id       TEXT NOT NULL,
    url              TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    UNIQUE (kind, subject_id)
);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

CREATE TABLE notification_attempts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_id   TEXT NOT NULL REFERENCES notifications(notification_id),
    attempt_no        INTEGER NOT NULL,
    attempted_at      INTEGER NOT NULL,
    http_status       INTEGER,
    latency_ms        INTEGER NOT NULL,
    response_excerpt  TEXT,
    error             TEXT,
    acknowledged      INTEGER NOT NULL
);
CREATE INDEX notification_attempts_by_notification ON notification_attempts (notification_id, attempt_no);
