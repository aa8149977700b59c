-- Twin of 0017_details_en.sql: order events', differences' and shipping holds' details
-- in English too.
ALTER TABLE order_events ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
ALTER TABLE drifts ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
ALTER TABLE shipping_holds ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
