package pgstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/pgstore/pgtest"
)

// BenchmarkFindOrders prints the search's p50/p95 on KESSAIDESK_BENCH_ORDERS orders
// (default 200,000) generated on the server: names from common family and given
// names, kana, e-mail and telephone, 2 lines each. Run it with
// build/scripts/pg.sh run go test -run '^$' -bench FindOrders ./backend/pgstore/
func BenchmarkFindOrders(b *testing.B) {
	base := os.Getenv("KESSAIDESK_TEST_PG")
	if base == "" {
		b.Skip("KESSAIDESK_TEST_PG is not set")
	}
	n := 200000
	if v, err := strconv.Atoi(os.Getenv("KESSAIDESK_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := benchDB(b, base)
	start := time.Now()
	_, err := db.sql.ExecContext(ctx, `
		WITH fam(f, fk) AS (SELECT * FROM unnest(ARRAY['山田','佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤','吉田','山口','松本','井上','木村','林','斎藤','清水','山崎'],
		                                         ARRAY['ヤマダ','サトウ','スズキ','タカハシ','タナカ','イトウ','ワタナベ','ヤマモト','ナカムラ','コバヤシ','カトウ','ヨシダ','ヤマグチ','マツモト','イノウエ','キムラ','ハヤシ','サイトウ','シミズ','ヤマザキ'])),
		     giv(g, gk) AS (SELECT * FROM unnest(ARRAY['太郎','花子','一郎','美咲','健太','陽子','翔','愛','大輔','由美','拓也','恵'],
		                                         ARRAY['タロウ','ハナコ','イチロウ','ミサキ','ケンタ','ヨウコ','ショウ','アイ','ダイスケ','ユミ','タクヤ','メグミ'])),
		     f AS (SELECT row_number() OVER () - 1 AS i, * FROM fam), g AS (SELECT row_number() OVER () - 1 AS i, * FROM giv)
		INSERT INTO orders (order_no, order_no_num, ordered_at, updated_at, customer_name, customer_kana, email, tel, payment_method,
			total, status, name_n, kana_n, email_n, tel_n)
		SELECT s::text, s, 1767225600000 + s * 60000, 1767225600000 + s * 60000, f.f || ' ' || g.g, f.fk || ' ' || g.gk,
			'user' || s || '@example.jp', '090' || lpad((s * 7919 % 100000000)::text, 8, '0'), 'card', 1000 + s % 50000, 'new',
			f.f || g.g, f.fk || g.gk, 'user' || s || 'examplejp', '090' || lpad((s * 7919 % 100000000)::text, 8, '0')
		FROM generate_series(1::bigint, $1::bigint) AS s JOIN f ON f.i = (s * 31) % 20 JOIN g ON g.i = (s * 17) % 12`, n)
	require.NoError(b, err)
	_, err = db.sql.ExecContext(ctx, `ANALYZE orders`)
	require.NoError(b, err)
	b.Logf("seeded %d orders in %s", n, time.Since(start).Round(time.Millisecond))
	queries := []struct {
		name string
		f    backend.OrderFilter
	}{
		{"name 1 char (common)", backend.OrderFilter{Name: "山"}},
		{"name 1 char (rare)", backend.OrderFilter{Name: "恵"}},
		{"name 2 chars", backend.OrderFilter{Name: "山田"}},
		{"name 3+ chars", backend.OrderFilter{Name: "山田太郎"}},
		{"kana 2 chars hiragana", backend.OrderFilter{Kana: "やま"}},
		{"kana 3+ chars", backend.OrderFilter{Kana: "タナカアイ"}},
		{"tel 6 digits", backend.OrderFilter{Tel: "123456"}},
		{"email 5 chars", backend.OrderFilter{Email: "r1234"}},
		{"no match 3+", backend.OrderFilter{Name: "存在しない"}},
		{"no match 1 char", backend.OrderFilter{Name: "鬱"}},
		{"name + status", backend.OrderFilter{Name: "山田", Statuses: []backend.OrderStatus{backend.OrderNew}}},
	}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range queries {
			var ds []time.Duration
			var total int
			for range 20 {
				s := time.Now()
				page, err := db.FindOrders(ctx, q.f)
				require.NoError(b, err)
				ds = append(ds, time.Since(s))
				total = page.Total
			}
			slices.Sort(ds)
			fmt.Printf("pg %d orders  %-24s  found %6d  p50 %7.1f ms  p95 %7.1f ms\n", n, q.name, total,
				float64(ds[len(ds)/2].Microseconds())/1000, float64(ds[len(ds)*95/100].Microseconds())/1000)
		}
	}
}

func benchDB(b *testing.B, base string) *DB {
	admin, err := sql.Open("pgx", base)
	require.NoError(b, err)
	name := "kd_bench_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	_, err = admin.Exec(`CREATE DATABASE ` + name)
	require.NoError(b, err)
	b.Cleanup(func() {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	})
	db, err := Open(context.Background(), pgtest.WithDatabase(base, name), Options{})
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	return db
}
