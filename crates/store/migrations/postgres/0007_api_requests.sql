-- The Developers page's log of recent API requests (mirrors
-- migrations/sqlite/0007_api_requests.sql), shared by every node. Written in
-- batches by each node's background flusher, never on the request path;
-- never bodies, headers, keys or signatures. Retention: the sweeper keeps
-- the newest rows per merchant (dashboard::api_log::KEEP_PER_CLIENT).
CREATE TABLE api_requests (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id      TEXT NOT NULL,
    at             BIGINT NOT NULL,
    api            TEXT NOT NULL,
    result_code    TEXT NOT NULL,
    result_status  TEXT NOT NULL,
    latency_us     BIGINT NOT NULL,
    request_id     TEXT
);
CREATE INDEX api_requests_by_client ON api_requests (client_id, at DESC);
