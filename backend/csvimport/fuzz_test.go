package csvimport

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlite"
	"kessaidesk/backend/textenc"
)

// dbState is a fingerprint of every order, its lines, link rows and events.
func dbState(t testing.TB, db *sqlite.DB) string {
	h := sha256.New()
	err := db.EachOrder(context.Background(), backend.OrderFilter{Sort: "order_no_asc"}, func(o *backend.Order, p *backend.Payment) error {
		fmt.Fprintf(h, "%+v|%+v\n", *o, p)
		evs, err := db.OrderEvents(context.Background(), o.ID)
		fmt.Fprintf(h, "%+v\n", evs)
		return err
	})
	require.NoError(t, err)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// FuzzImport: whatever the bytes, the importer does not panic, reports what is wrong
// with a line number or an error, and a file with any problem leaves the database
// exactly as it was. Each input opens a database (a few ms): fuzz with a short
// minimisation, go test -run '^$' -fuzz FuzzImport -fuzztime 60s -fuzzminimizetime 20x.
func FuzzImport(f *testing.F) {
	good := strings.Join(Columns, ",") + "\r\n" +
		"1001,2026/11/20 10:00:00,山田 太郎,ヤマダ,a@example.jp,090,クレジットカード決済,T-1,煎茶,,1000,2,0,500,0,0,2500,新規受付,\"のし\n希望\"\r\n" +
		"1001,2026/11/20 10:00:00,山田 太郎,ヤマダ,a@example.jp,090,クレジットカード決済,,,,,,0,500,0,0,2500,新規受付,\"のし\n希望\"\r\n" +
		"1002,2026/11/21 11:00:00,佐藤,サトウ,b@example.jp,090,銀行振込,T-2,玉露,,3000,1,0,0,0,0,3000,発送済み,\r\n"
	sjis, err := textenc.EncodeCP932(good)
	require.NoError(f, err)
	f.Add([]byte(good))
	f.Add(sjis)
	f.Add(append([]byte("\xef\xbb\xbf"), good...))
	f.Add([]byte(strings.Join(eccube2Header, ",") + "\n20,0,,佐藤,花子,,,,,03,1,2,,,,530,0001,大阪府,,,,,,100,0,0,0,0,0,0,,100,,,銀行振込,,1,2013-05-20 12:34:56\n"))
	f.Add([]byte(strings.Join(Columns, ",") + "\n1,\"unclosed\n"))
	f.Add([]byte("受注番号\n\xff\xfe\n"))
	f.Add([]byte{})

	// Each input runs on a copy of one empty database: the same input always takes the
	// same path (the fuzzer keeps and minimises inputs by the code they reach).
	template := filepath.Join(f.TempDir(), "template.db")
	empty, err := sqlite.Open(template)
	require.NoError(f, err)
	require.NoError(f, empty.Close())
	blank, err := os.ReadFile(template)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "fuzz.db"), blank, 0o600))
		db, err := sqlite.Open(filepath.Join(dir, "fuzz.db"))
		require.NoError(t, err)
		defer db.Close()
		path := filepath.Join(dir, "in.csv")
		require.NoError(t, os.WriteFile(path, data, 0o600))
		for _, name := range []string{KessaiDesk, "eccube2"} {
			l, _ := Preset(name)
			im := &Importer{Store: db}
			pv, err := im.Preview(context.Background(), Request{Path: path, Layout: l})
			if err != nil {
				require.NotEmpty(t, backend.ErrorMessage(err, "ja"))
				continue
			}
			for _, p := range pv.Problems {
				require.NotEmpty(t, p.Message)
				require.GreaterOrEqual(t, p.Line, 1)
			}
			require.Equal(t, pv.Orders, pv.New+pv.Updated+pv.Unchanged+pv.Conflicting+pv.Invalid)
			before := dbState(t, db)
			res, err := im.Commit(context.Background(), Request{Path: path, Layout: l, Expect: &pv.File}, "fuzz")
			if !pv.OK() {
				require.Error(t, err, "a file with problems is refused")
				require.Equal(t, before, dbState(t, db), "nothing half-imported")
				continue
			}
			require.NoError(t, err)
			require.Equal(t, pv.New, res.New)
			require.Equal(t, pv.Updated+pv.Unchanged+pv.Conflicting, res.Updated+res.Unchanged+res.Conflicting)
		}
	})
}
