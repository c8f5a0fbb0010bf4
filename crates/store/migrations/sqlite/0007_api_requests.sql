-- The Developers page's log of recent API requests, shared by every node
-- (it used to be a per-node in-memory ring). Written in batches by each
-- node's background flusher, never on the request path; never bodies,
-- headers, keys or signatures. Retention: the sweeper keeps the newest
-- rows per merchant (dashboard::api_log::KEEP_PER_CLIENT).
-- at: epoch milliseconds; result_status: S, F or U; request_id: the
-- body's paymentRequestId when it has one.
CREATE TABLE api_requests (
    id             INTEGER PRIMARY KEY,
    client_id      TEXT NOT NULL,
    at             INTEGER NOT NULL,
    api            TEXT NOT NULL,
    result_code    TEXT NOT NULL,
    result_status  TEXT NOT NULL,
    latency_us     INTEGER NOT NULL,
    request_id     TEXT
);
CREATE INDEX api_requests_by_client ON api_requests (client_id, at DESC);
