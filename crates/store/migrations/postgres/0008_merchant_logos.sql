-- Merchant logos in the database (mirrors migrations/sqlite/0008_merchant_logos.sql),
-- so every node serves every logo. name: the public name in /logos/{name}
-- and merchants.logo_file — `<SHA-256 hex of the bytes>.<ext>` for uploads;
-- files of older installs keep their old names when `serve` imports them.
CREATE TABLE merchant_logos (
    name          TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    bytes         BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (name, client_id)
);
