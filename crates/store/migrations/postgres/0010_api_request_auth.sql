-- Requests that failed authentication kept apart from the merchant's own
-- (mirrors migrations/sqlite/0010_api_request_auth.sql).
ALTER TABLE api_requests ADD COLUMN authenticated BOOLEAN NOT NULL DEFAULT TRUE;
DROP INDEX api_requests_by_client;
CREATE INDEX api_requests_by_client ON api_requests (client_id, authenticated, at DESC);
