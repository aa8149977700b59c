-- orders_ordered_codes: the orders in display order (ordered_at, id) with the codes of
-- status and payment method (orders_codes, 0015), for a search's page walked newest
-- first (find.go, orderedCodes): 「佐藤」 + 発送済み + カード walks ~5,600 orders to find
-- its 51; status and method are checked here, and only the ~2,600 orders they select
-- are read from their rows for the name (1,000,000 orders: page 5 → 3 ms). The id is a
-- column so that the index's order is the sort's (ordered_at DESC, id DESC) and a
-- cursor's row value starts a range of it. The expressions must stay written exactly as
-- filterCodes in find.go. 21 MB on 1,000,000 orders.
CREATE INDEX IF NOT EXISTS orders_ordered_codes ON orders(ordered_at, id,
    instr(',processing,new,awaiting_deposit,paid,shipped,cancelled,on_hold,reserved,', ',' || status || ','),
    instr(',card,konbini,payeasy,netbank,other,', ',' || payment_method || ','));
