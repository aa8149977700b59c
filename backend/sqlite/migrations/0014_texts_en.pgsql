-- Twin of 0014_texts_en.sql: stored texts for the operator in English too.
ALTER TABLE refund_tasks ADD COLUMN reason_en TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_items ADD COLUMN message_en TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_status ADD COLUMN last_error_en TEXT NOT NULL DEFAULT '';
