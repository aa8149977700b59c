package sbps

// What the research (../shared/research/sbps-paygent.md §A) could not confirm, and
// what this client assumes instead. Verify each against SBPS's 接続テスト環境 and the
// current API型 仕様書 before production use.
//
// Transport and authentication
//   - Basic authentication: user = merchant_id+service_id and password = the hash key,
//     as in the public sandbox recordings. Production contracts may issue a separate
//     Basic password (a profile can hold one); a separate Basic *user* is not offered.
//   - limit_second is sent as 600 (the Java client's default). A PC clock more than 10
//     minutes off makes SBPS answer type 10, which the catalogue explains as a clock
//     problem.
//   - HTTP 401/403 are credential errors; 404/405 a wrong host; any other non-200 and
//     every unreadable answer are "outcome unknown", resolved by the inquiry.
//
// Operations
//   - 取消返金 (ST02-00303-101) releases before sales and refunds after. Because one API
//     does both, the client reads the card inquiry first and sends only when SBPS's
//     state matches the operator's intent (costs one extra, free request).
//   - 売上 of less than the authorised amount is the partial capture; the whole amount
//     is sent without pay_option_manage/amount, as every public client does. SBPS has
//     no increase: 金額変更 upward is refused before sending.
//   - 部分返金 (ST02-00307-101) is not state-guarded at SBPS and the inquiry carries no
//     amounts, so a lost answer cannot be decided by asking: the engine keeps it
//     unknown (the payment locked) until the operator checks the console. The client
//     never re-sends it.
//   - payment_status 5 (部分返金済) and 6 (返金要求) come only from a CS-Cart add-on's
//     table; they are mapped (部分返金 / 要確認) but never seen from SBPS.
//   - 再与信 (ST01-00133-101) reuses the payment's order_id as order_id and cust_code
//     with pay_info_control_type B (the earlier card); whether SBPS accepts an order_id
//     again is unconfirmed. The new authorisation is committed (ST02-00101-101) at once.
//
// Deposits
//   - WEBコンビニ: MG01-00101-701, payment_status 1 未入金 is recorded; 3 入金済 and
//     9 取消 follow the same CS-Cart table (2 一部入金 → 要確認, 4 過剰入金 → 入金済み).
//   - Pay-easy / net bank: MG01-00101-703 is inferred from the id pattern; SBPS may
//     refuse it (type 02). The client then says to check the SBPS console instead of
//     failing silently. SBPS's own deposit notices (NT01-…) are pushed to a web server
//     and cannot reach a desktop.
//   - An unpaid slip past bill_date (a date: payable to its end in JST) reads as 期限切れ.
//
// Encryption
//   - encrypted_flg=1 is used for the card inquiry only when a 3DES key and IV are
//     configured (24 and 8 characters); otherwise 0, as in the sandbox recordings.
