-- Merchant dashboard (issue #5): users, server-side sessions, login
-- throttling, and the indexes behind the payments list's keyset pagination.

-- role: ADMIN (client_id NULL, sees every merchant) or MERCHANT (one merchant).
-- password_hash: argon2id PHC string; NULL until the setup link is used.
-- setup_token_hash: SHA-256 (hex) of the one-time setup token.
CREATE TABLE dashboard_users (
    user_id           TEXT PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,
    role              TEXT NOT NULL,
    client_id         TEXT REFERENCES merchants(client_id),
    password_hash     TEXT,
    setup_token_hash  TEXT UNIQUE,
    setup_expires_at  INTEGER,
    created_at        INTEGER NOT NULL
);

-- Sessions live in the database so any node can serve them; the cookie
-- carries a random token and only its SHA-256 is stored.
CREATE TABLE dashboard_sessions (
    session_hash  TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES dashboard_users(user_id),
    csrf_token    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);

-- Failed logins per key ("email:…" or "ip:…") in a fixed window; shared by
-- every node.
CREATE TABLE login_failures (
    throttle_key  TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL
);

-- Payments list: newest first, keyset on (created_at, payment_id).
CREATE INDEX payments_list ON payments (client_id, created_at, payment_id);
CREATE INDEX payments_list_status ON payments (client_id, status, created_at, payment_id);
CREATE INDEX payments_list_all ON payments (created_at, payment_id);
-- Payment detail: a payment's notifications (the unique key leads with kind).
CREATE INDEX notifications_by_subject ON notifications (subject_id);

-- Hosted-page accent colour (#rrggbb), set from the dashboard's settings.
ALTER TABLE merchants ADD COLUMN accent_color TEXT;
