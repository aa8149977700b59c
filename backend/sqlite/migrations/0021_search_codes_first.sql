-- orders_by_codes: the codes of orders_codes (0015) leading, for a search's choice of
-- its driving set (find.go, plan): a text with 対応状況 + 支払方法 (「佐藤」 + 発送済み +
-- カード) counts, up to the cap, the orders the two columns select, to see whether they
-- are fewer than the text's. No index of the orders holds both columns: the count read
-- an order row for each (orders_method_ordered, then the status on the row), ~10,000
-- rows at ~0.5 µs; here it is one range of the index (1,000,000 orders: 3.5–7 → 0.4 ms
-- CPU). Only a search whose code conditions are a prefix of these columns reads it
-- (status; status and method; all three): any other would walk most of it. The
-- expressions must stay written exactly as filterCodes in find.go (and 0015). 11 MB on
-- 1,000,000 orders.
CREATE INDEX IF NOT EXISTS orders_by_codes ON orders(
    instr(',processing,new,awaiting_deposit,paid,shipped,cancelled,on_hold,reserved,', ',' || status || ','),
    instr(',card,konbini,payeasy,netbank,other,', ',' || payment_method || ','),
    instr(',pending,reserved,authorized,captured,capture_failed,voided,refunded,partially_refunded,needs_review,awaiting_deposit,deposited,expired,subscription_waiting,subscription_reported,', ',' || payment_state || ','));
