-- orders_codes: each order's status, payment method and payment state as small numbers
-- beside its id, for the search's count (find.go, filterCodes). A search by text and
-- these columns (「佐藤」 + 発送済み + クレジットカード) checks every order the text
-- index holds; each check is a look-up by id, and in this index an order takes ~15
-- bytes instead of the orders row's ~240 (or orders_filter's ~55): fewer pages read,
-- mostly pages read just before (the text index gives ids in order). Count of 「佐藤」 +
-- 発送済み + カード on 1,000,000 orders (19,783 look-ups): CPU 38 ms by the orders rows,
-- 14 ms by this index (machine at load ~10); 15 MB, built in ~1.6 s. A code is the value's place in a list
-- (instr), 0 for a value not listed: the lists are filterCodes' in find.go, and the
-- expressions must stay written exactly as there for SQLite to read the index alone.
CREATE INDEX IF NOT EXISTS orders_codes ON orders(id,
    instr(',processing,new,awaiting_deposit,paid,shipped,cancelled,on_hold,reserved,', ',' || status || ','),
    instr(',card,konbini,payeasy,netbank,other,', ',' || payment_method || ','),
    instr(',pending,reserved,authorized,captured,capture_failed,voided,refunded,partially_refunded,needs_review,awaiting_deposit,deposited,expired,subscription_waiting,subscription_reported,', ',' || payment_state || ','));
