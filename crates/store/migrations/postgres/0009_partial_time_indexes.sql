-- A new payment has no paid_at, closed_at or cancel_time, yet each insert
-- still added a (client_id, NULL) entry to these three indexes: three more
-- index pages written in every commit of new payments. The report queries
-- that use them always compare the column (`paid_at >= ? AND paid_at < ?`),
-- which implies IS NOT NULL, so partial indexes serve them the same way.
DROP INDEX payments_by_paid;
DROP INDEX payments_by_closed;
DROP INDEX payments_by_cancel;
CREATE INDEX payments_by_paid ON payments (client_id, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX payments_by_closed ON payments (client_id, closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX payments_by_cancel ON payments (client_id, cancel_time) WHERE cancel_time IS NOT NULL;
