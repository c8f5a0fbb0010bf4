-- Merchant logos in the database, so every node serves every logo (they
-- used to be files in one node's <data dir>/logos/). name: the public name
-- in /logos/{name} and merchants.logo_file — `<SHA-256 hex of the bytes>.<ext>`
-- for uploads, so a new logo gets a new name and a name's bytes never
-- change; files of older installs keep their old names when `serve`
-- imports them on start. Identical bytes uploaded by two merchants make
-- two rows with one name.
CREATE TABLE merchant_logos (
    name          TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (name, client_id)
);
