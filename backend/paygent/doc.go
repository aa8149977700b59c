package paygent

// What the research (../shared/research/sbps-paygent.md §B) could not confirm, and
// what this client assumes instead. Verify each against Paygent's sandbox and the
// current 外部インターフェース仕様書 before production use.
//
// Transport
//   - TLS: the module guide asks for renegotiation to be allowed for the client
//     certificate. The client allows one renegotiation (Go does that only as a TLS 1.2
//     client) and accepts TLS 1.2+. If Paygent's hosts offer TLS 1.3 and request the
//     certificate after the handshake (post-handshake auth), Go cannot answer; not
//     seen in the research.
//   - Server verification uses the system roots (or Config.RootCAs) with the host
//     name checked; the official module checks Paygent's CA bundle but not the host.
//   - Hosts: sandbox https://sandbox.paygent.co.jp, production
//     https://module.paygent.co.jp, paths /n/<family>/… by telegram kind (module
//     property files). The older test host mdev2.paygent.co.jp is accepted as a custom host.
//   - The answer's values are taken raw (not URL-decoded), like the official module;
//     the spec's wording suggests URL-decoding. No telegram used here has values where
//     it matters except response_detail.
//   - HTTP status other than 200 is treated as "outcome unknown" (404/405: wrong host).
//
// Credentials
//   - PEM: key + certificate + intermediate in one file (Paygent's format) or split;
//     legacy encrypted keys (Proc-Type/DEK-Info, DES-EDE3-CBC) are decrypted with
//     crypto/x509's deprecated DecryptPEMBlock. Encrypted PKCS#8 keys are refused with
//     a message.
//   - PKCS#12 via golang.org/x/crypto/pkcs12 (in go.sum as an indirect dependency):
//     legacy 3DES/RC2 + SHA-1 MAC only; the AES/PBKDF2 files of OpenSSL 3 and recent
//     Windows get a message asking for PEM.
//
// Telegrams and fields
//   - 021/022/023 send trading_id and payment_id (header only, per spec). 022 sends no
//     amount: a sale is always the authorised amount; less is 028 first.
//   - 028/029: payment_amount with reduction_flag 0 (new total) for 金額変更, 1 (amount
//     to take off) for 部分返金; base_payment_cancel_timing is not sent (new payment
//     first). The answer's payment_id is the new payment; base_payment_id the old.
//     Increases are refused before sending (spec: 2013), although one plugin (P8)
//     sends increases.
//   - 予約 → オーソリ uses 020 with ref_trading_id = the order's own trading_id,
//     payment_class=10 and 3dsecure_ryaku=1 (as the EC-CUBE 4 plugin's amount change
//     does). Whether a merchant's contract allows 参照取引, and the exact field set
//     for this use, are not confirmed.
//   - 094 is sent with payment_id only when known (a trading_id may be shared after
//     補正, which the spec answers with 13002), else with trading_id and payment_type.
//   - 094/091 field names for dates are taken from the 091 field list
//     (payment_init_date, payment_limit_date, cancel_date, user_payment_date,
//     payment_date); the per-type 094 blocks were not seen. Card capture time =
//     payment_date, authorisation time = payment_init_date.
//   - Date-only deadlines (yyyyMMdd) are read as 23:59:59 JST of that day.
//
// Codes and classes (errors.go)
//   - P005/P006/P007/P010 meanings are inferred from "P005-P010 missing/required/type/
//     length/value" and the plugin note that P008/P009 are length/character errors.
//   - E001 is treated as "outcome unknown" (inquire), E002, 9004, 9005, P017 as
//     retry-later, 2002 and 2008 as unknown for operations on existing payments (the
//     spec's RETRY column says 2008 is retryable — for an authorisation; for a cancel or
//     capture the safe reading is "inquire first"), 2004 as "may already be done".
//   - 2010/2011/2012 (補正 half done) are permanent errors naming both payment_ids: the
//     old payment still stands, which is what the app keeps; the operator cancels the
//     extra one in the console.
//   - result=7 (3-D Secure required) only matters for 020; elsewhere it is unknown.
//
// Statuses (status.go)
//   - 43 速報検知済 counts as 入金済み (most merchants do); 61 速報取消済 → 要確認.
//   - Bank net expiry is 15 申込中断 (batch after 2 business days); konbini/ATM 12.
//   - Card 30/31/42/50 (in-between anomalies) and 11 (オーソリNG) → 要確認.
//   - 41 (消込済, sales-cancel period over) is still 実売上.
//
// Difference inquiry (notice.go)
//   - One notice per call; notices purged 7 days after creation; asking by
//     payment_notice_id has no side effect on the cursor (the spec's example implies
//     it; not confirmed). The cursor is shared with any other reader of the merchant.
