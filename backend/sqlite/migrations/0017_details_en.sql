-- The details the app writes for the operator, in English beside the Japanese: an order
-- event's (受注詳細's history: a refund done, a cancel's reason, 出荷を止める kept), a
-- difference's (差異) and a shipping hold's (出荷を止める). Rows written before keep ''
-- (the window then shows the Japanese; a note an operator typed has no English).
ALTER TABLE order_events ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
ALTER TABLE drifts ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
ALTER TABLE shipping_holds ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
