-- Requests that failed authentication (a known client id with a bad
-- signature, an unknown keyVersion, ...) are kept apart from the merchant's
-- own requests, in a smaller list of their own (issue #22): anyone who
-- knows a client id can send them, and they must not push the merchant's
-- real requests out of the Developers page's log.
ALTER TABLE api_requests ADD COLUMN authenticated INTEGER NOT NULL DEFAULT 1;
DROP INDEX api_requests_by_client;
CREATE INDEX api_requests_by_client ON api_requests (client_id, authenticated, at DESC);
