-- The operator's texts the app stores, in English beside the Japanese: a 要返金(口座)
-- task's reason, a bulk item's result and the sync's last error of a profile. An English
-- window shows them; rows stored before keep '' (the window then shows the Japanese).
ALTER TABLE refund_tasks ADD COLUMN reason_en TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_items ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_status ADD COLUMN last_error_en TEXT NOT NULL DEFAULT '';
