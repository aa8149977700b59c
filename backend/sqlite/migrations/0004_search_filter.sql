-- The filter columns of 受注管理 beside each order id: when a name, kana, e-mail,
-- telephone or product match drives a search, its orders are checked here instead of
-- in their full rows (a smaller index page per lookup: half the time on 1M orders).
CREATE INDEX orders_filter ON orders(id, status, payment_method, payment_state, ordered_at, updated_at, total, order_no_num);
