-- Deployment-wide facts every node must agree on, e.g. the fingerprint of
-- the gateway key (a node with another key would sign with it).
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
