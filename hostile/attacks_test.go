package hostile

import (
	"bufio"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attack is one row of the hostile table: a data folder state, a command line, and
// what Kessai Desk must do — its exit code, what it says (in Japanese), and what it
// must not change.
type attack struct {
	name string
	// item is issue 13's item, in its words; guards names the fix the row keeps fixed.
	item, guards string
	kc           keychain
	// setup stages the data folder (and anything else the attack needs).
	setup func(l *lab)
	// args follow -data DIR; raw args replace the whole command line.
	args, raw []string
	stdin     string
	code      int
	says      []string // fragments of the output (stdout and stderr)
	saysNot   []string
	// untouched: every file of the data folder is the same, byte for byte, after the attack.
	untouched bool
	// check looks further: the next start, the database's rows, another command.
	check func(l *lab, r result)
}

func TestHostile(t *testing.T) {
	for _, a := range attacks() {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel() // each attack has its own folders; the binary, simulators and keychain serve all
			l := newLab(t, a.kc)
			if a.setup != nil {
				a.setup(l)
			}
			var before map[string]string
			if a.untouched {
				before = snapshot(t, l.data)
			}
			args := a.args
			for i, arg := range args {
				arg = strings.ReplaceAll(arg, "{root}", l.root)
				args[i] = strings.ReplaceAll(arg, "{csv}", l.files["csv"])
			}
			var r result
			if a.raw != nil {
				r = l.runWith(l.kc, a.stdin, a.raw...)
			} else {
				r = l.run(a.stdin, args...)
			}
			t.Logf("%s\nguards: %s\nexit %d in %v\n%s", a.item, a.guards, r.code, r.elapsed.Round(time.Millisecond), r.out())
			assert.Equal(t, a.code, r.code, "exit code")
			for _, s := range a.says {
				assert.Contains(t, r.out(), s)
			}
			for _, s := range a.saysNot {
				assert.NotContains(t, r.out(), s)
			}
			if a.untouched {
				assert.Equal(t, before, snapshot(t, l.data), "the data folder is untouched")
			}
			if a.check != nil && !t.Failed() {
				a.check(l, r)
			}
			noSecretInFiles(t, l.data, l.secrets)
		})
	}
}

func attacks() []attack {
	return []attack{
		// --- Panics at start-up, and what a damaged database must never become ---
		{
			name:   "zero-length database",
			item:   "a zero-length database file: no panic, a clear message, nothing touched; never a fresh demo at the next start",
			guards: "1467469: sqlite.Open refuses an empty file as damage (damaged()), System.Open closes what it opened, not a nil System",
			setup: func(l *lab) {
				l.demo()
				require.NoError(l.t, os.Truncate(l.db(), 0))
			},
			// Even a command asking for the demo shop must not make one over the damage.
			args: []string{"-demo", "status", "100001"},
			code: 1, says: []string{"0バイト", "壊れている可能性", "backups", ".bak-"}, untouched: true,
			check: func(l *lab, r result) {
				again := l.run("", "status", "100001") // the next start
				assert.Equal(l.t, 1, again.code)
				assert.Contains(l.t, again.out(), "0バイト")
				st, err := os.Stat(l.db())
				require.NoError(l.t, err)
				assert.Zero(l.t, st.Size(), "never replaced by a fresh database")
			},
		},
		{
			name:   "corrupt database",
			item:   "a database that is not SQLite: a clear message pointing to the backups, nothing replaced",
			guards: "1467469: damaged() for SQLITE_NOTADB/CORRUPT on open and migration",
			setup: func(l *lab) {
				l.demo()
				junk := make([]byte, 8192)
				rand.Read(junk)
				require.NoError(l.t, os.WriteFile(l.db(), junk, 0o600))
			},
			args: []string{"status", "100001"},
			code: 1, says: []string{"壊れている可能性", "何も変更せずに止めました", "backups"}, untouched: true,
		},
		{
			name:   "database from a newer version",
			item:   "a database written by a newer version (unknown migration) is refused, naming the version, untouched",
			guards: "fb68ef8: migrate() refuses an applied migration it does not know",
			setup: func(l *lab) {
				l.demo()
				exec1(l.t, l.db(), `INSERT INTO schema_migrations (name, applied_at) VALUES ('0999_from_the_future.sql', 1)`)
			},
			args: []string{"capture", "100001"},
			code: 1, says: []string{"新しいバージョン", "0999_from_the_future", "何も変更していません"}, untouched: true,
		},
		{
			name:   "damaged demo sandbox, real gateway",
			item:   "a corrupt sandbox state file: no panic; a demo sandbox problem never stops real gateways",
			guards: "1467469: startSandbox keeps the sandbox's error for the demo profiles (gateways.Factory.SandboxErr) instead of failing System.Open",
			kc:     realKeychain,
			setup: func(l *lab) {
				l.demo()
				gmoProfile(l, "GMO 本番相当", simulators(l.t).GMO.ShopPass) // profile 4, beside the demo's 1–3
				require.NoError(l.t, os.WriteFile(filepath.Join(l.data, "sandbox", "gmo-sandbox.json"), []byte(`{"Shops": [garbage`), 0o600))
			},
			args: []string{"profile", "test", "4"},
			code: 0, says: []string{"接続できました"},
			check: func(l *lab, r result) {
				st := l.run("", "status", "100001")
				assert.Equal(l.t, 0, st.code, "the shop's data stays usable: %s", st.out())
				demo := l.run("", "profile", "test", "1")
				assert.Equal(l.t, 1, demo.code, "the demo profile cannot answer: %s", demo.out())
				assert.Contains(l.t, demo.out(), "サンドボックス", "and says it is the demo sandbox")
			},
		},

		{
			name:   "unreadable demo sandbox state",
			item:   "an unreadable sandbox state file: no panic, the shop's data still usable",
			guards: "1467469: sandbox.Start returns its error without closing a nil sandbox; startSandbox keeps it for the demo profiles",
			setup: func(l *lab) {
				l.demo()
				state := filepath.Join(l.data, "sandbox", "sbps-sandbox.json")
				require.NoError(l.t, os.Remove(state))
				require.NoError(l.t, os.Mkdir(state, 0o700)) // read fails, whoever runs the test
			},
			args: []string{"status", "100001"},
			code: 0, says: []string{"受注 100001"},
			check: func(l *lab, r result) {
				demo := l.run("", "profile", "test", "2")
				assert.Equal(l.t, 1, demo.code, demo.out())
				assert.Contains(l.t, demo.out(), "サンドボックス")
			},
		},

		// --- Command lines that are not understood: exit 2, never the window ---
		{
			name:   "unknown command",
			item:   "an unknown command falls through to window mode: it is a usage error, exit 2",
			guards: "1467469: main.windowLaunch opens the window only with no arguments or just -data",
			raw:    []string{"bogus"},
			code:   2, says: []string{"不明なコマンドです: bogus", "使い方"},
		},
		{
			name:   "flag missing its value",
			item:   "`kessaidesk -data` (a flag missing its value) falls through to window mode: exit 2",
			guards: "1467469: main.windowLaunch sends -data without a value to the command line",
			raw:    []string{"-data"},
			code:   2, says: []string{"-data", "使い方"},
		},
		{
			name:   "-lang xx",
			item:   "-lang accepts only ja/en",
			guards: "8db2717: cli.Run refuses a -lang other than ja and en",
			setup:  func(l *lab) { l.demo() },
			args:   []string{"-lang", "xx", "status", "100001"},
			code:   2, says: []string{"-lang は ja か en"}, untouched: true,
		},

		// --- -json: one document per run ---
		{
			name:   "-json failure at start",
			item:   "-json with a start that fails (a damaged database): one document",
			guards: "8db2717 and 1467469: the start-up error goes through runner.fail",
			setup: func(l *lab) {
				l.demo()
				require.NoError(l.t, os.Truncate(l.db(), 0))
			},
			args: []string{"-json", "sync"},
			code: 1, untouched: true,
			check: func(l *lab, r result) {
				doc := oneJSON(l.t, r.stdout)
				assert.Contains(l.t, doc["message"], "0バイト")
			},
		},
		{
			name:   "-json failure after a result",
			item:   "-json: a failure after part of the work carries what was found, in the one document",
			guards: "8db2717: the error document carries the result so far",
			setup: func(l *lab) {
				l.ownShop()
				l.files["csv"] = writeCSV(l, "900001,2026/08/04 20:21:07,山田 太郎,銀行振込,X-1,品,1200,-3,0")
			},
			args: []string{"-json", "import", "{csv}", "-preset", "kessaidesk"},
			code: 2,
			check: func(l *lab, r result) {
				doc := oneJSON(l.t, r.stdout)
				assert.Equal(l.t, "invalid", doc["error"])
				assert.NotNil(l.t, doc["result"], "what the preview found")
			},
		},

		// --- The data folder: paths, the lock, read-only ---
		{
			name:   "data path with ? # %",
			item:   "a data path containing ?, # or % puts the database outside the folder",
			guards: "fb68ef8: one escaped file URI (sqlite.fileURI) for the store, the folder lock and backups",
			setup: func(l *lab) {
				l.data = filepath.Join(l.root, "shops", "a?mode=memory#x%41")
				require.NoError(l.t, os.MkdirAll(filepath.Join(l.root, "shops"), 0o700))
			},
			args: []string{"-demo", "status", "100001"},
			code: 0, says: []string{"受注 100001"},
			check: func(l *lab, r result) {
				st, err := os.Stat(l.db())
				require.NoError(l.t, err, "the database is in the folder")
				assert.Greater(l.t, st.Size(), int64(0))
				_, err = os.Stat(filepath.Join(l.data, "kessaidesk.lock"))
				assert.NoError(l.t, err, "and so is the lock")
				entries, err := os.ReadDir(filepath.Join(l.root, "shops"))
				require.NoError(l.t, err)
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				assert.Equal(l.t, []string{"a?mode=memory#x%41"}, names, "nothing written beside the folder")
				// A second command finds the same shop.
				again := l.run("", "status", "100002")
				assert.Equal(l.t, 0, again.code, again.out())
			},
		},
		{
			name:   "lock file deleted while held",
			item:   "deleting kessaidesk.lock while a process holds the folder lets a second process in",
			guards: "d60f854: sqlite.AcquireLock also flocks the data folder itself (holdFolder)",
			setup: func(l *lab) {
				l.demo()
				holder, _ := l.start("-json", "sandbox") // runs until stopped, holding the folder
				ready, err := holder.ReadString('}')
				require.NoError(l.t, err, "the holder started: %s", ready)
				require.NoError(l.t, os.Remove(filepath.Join(l.data, "kessaidesk.lock")))
			},
			args: []string{"capture", "100001"},
			code: 1, says: []string{"既に動いています"},
			check: func(l *lab, r result) {
				assert.NoFileExists(l.t, filepath.Join(l.data, "kessaidesk.lock"), "the second process made no lock of its own")
			},
		},
		{
			name:   "lock file garbage",
			item:   "a lock file that is garbage: say what to do",
			guards: "7b1bd69: lockError names a damaged lock file and says to delete it",
			setup: func(l *lab) {
				l.demo()
				require.NoError(l.t, os.WriteFile(filepath.Join(l.data, "kessaidesk.lock"), []byte(strings.Repeat("not a lock file\n", 256)), 0o600))
			},
			args: []string{"status", "100001"},
			code: 1, says: []string{"ロックファイル", "壊れています", "削除してください", "受注のデータには影響しません"}, untouched: true,
		},
		{
			name:   "lock file is a folder",
			item:   "a lock file that is a directory: say what to do",
			guards: "7b1bd69: lockError names a folder where the lock file belongs",
			setup: func(l *lab) {
				l.demo()
				lock := filepath.Join(l.data, "kessaidesk.lock")
				require.NoError(l.t, os.Remove(lock))
				require.NoError(l.t, os.Mkdir(lock, 0o700))
			},
			args: []string{"status", "100001"},
			code: 1, says: []string{"フォルダがあります", "削除してください"}, untouched: true,
		},
		{
			name:   "read-only data folder",
			item:   "read-only data folder: say the folder is read-only (reads do not work: see the report)",
			guards: "7b1bd69: lockError says the folder cannot be written instead of SQLite's 'attempt to write a readonly database'",
			setup: func(l *lab) {
				l.demo()
				readOnly(l)
			},
			args: []string{"export", "-o", "{root}/orders.csv"},
			code: 1, says: []string{"書き込めません", "読み取り専用"}, saysNot: []string{"readonly database"}, untouched: true,
		},

		// --- First start, bulk runs, restore: nothing lost ---
		{
			name:   "first start cut short",
			item:   "the first start killed half-way (orders without payments) is never repaired",
			guards: "d60f854: demo.state 'seeding' before the demo is made; System.Open finds it and makes the demo again (reseedDemo)",
			setup: func(l *lab) {
				l.demo()
				// What a kill between the orders and the payments leaves.
				exec1(l.t, l.db(), `PRAGMA foreign_keys = ON`,
					`DELETE FROM payments WHERE order_id > (SELECT min(id) + 99 FROM orders)`,
					`UPDATE settings SET value = 'seeding' WHERE key = 'demo.state'`)
			},
			args: []string{"status", "100001"},
			code: 0,
			check: func(l *lab, r result) {
				assert.Equal(l.t, 300, count(l.t, l.db(), `SELECT count(*) FROM orders`), "the demo shop once")
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM orders o WHERE o.payment_method = 'card'
					AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)`), "every card order has its payment again")
				assert.Equal(l.t, 1, count(l.t, l.db(), `SELECT count(*) FROM settings WHERE key = 'demo.state' AND value = 'seeded'`))
				sync := l.run("", "sync")
				assert.Equal(l.t, 0, sync.code, "the demo agrees with its sandbox: %s", sync.out())
				assert.Contains(l.t, sync.out(), "差異 0件", "no trade of the first attempt left at the sandbox")
			},
		},
		{
			name:   "bulk run whose results cannot be saved",
			item:   "a bulk run whose results cannot be saved (disk full) printed 'queued' for every item, then 0/0 with exit 0",
			guards: "07334fb: Bulk.work stops on a store error and returns it (exit 1); closeQueuedItems explains every item at the next start",
			setup: func(l *lab) {
				l.demo()
				// Every write of a result fails, as on a full disk (the rest of the database works).
				exec1(l.t, l.db(), `CREATE TRIGGER hostile_disk_full BEFORE UPDATE ON bulk_items
					BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`)
			},
			args: []string{"capture", "-all-authorised"},
			code: 1, says: []string{"保存できないため中止しました"}, saysNot: []string{"成功 0件、失敗・未確定 0件"},
			check: func(l *lab, r result) {
				exec1(l.t, l.db(), `DROP TRIGGER hostile_disk_full`)
				next := l.run("", "status", "100001") // the next start
				require.Equal(l.t, 0, next.code, next.out())
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM bulk_jobs WHERE state = 'running'`))
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM bulk_items WHERE state = 'queued'`), "every item explained")
				// An item whose sale was sent follows the journal: a sent sale is not 'not sent'.
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM bulk_items i JOIN operations op
					ON op.bulk_job_id = i.job_id AND op.payment_id = i.payment_id
					WHERE op.state = 'succeeded' AND i.state <> 'succeeded'`))
				assert.Positive(l.t, count(l.t, l.db(), `SELECT count(*) FROM bulk_items`))
			},
		},
		{
			name:   "restore keeps the WAL",
			item:   "a restore keeps the replaced database as before-restore-… without the changes still in its WAL",
			guards: "7bbcaa4: applyPendingRestore renames the -wal and -shm files with the database",
			setup: func(l *lab) {
				l.demo()
				require.NoError(l.t, os.MkdirAll(filepath.Join(l.data, "backups"), 0o700))
				b, err := os.ReadFile(l.db())
				require.NoError(l.t, err)
				require.NoError(l.t, os.WriteFile(filepath.Join(l.data, "backups", "kessaidesk-20260101-090000.db"), b, 0o600))
				walState(l, `INSERT INTO settings (key, value) VALUES ('hostile.probe', 'written before the restore')`)
				require.NoError(l.t, os.WriteFile(filepath.Join(l.data, "restore-pending"), []byte("kessaidesk-20260101-090000.db"), 0o600))
			},
			args: []string{"status", "100001"},
			code: 0,
			check: func(l *lab, r result) {
				kept, err := filepath.Glob(l.db() + ".before-restore-*")
				require.NoError(l.t, err)
				var main string
				for _, k := range kept {
					if !strings.HasSuffix(k, "-wal") && !strings.HasSuffix(k, "-shm") {
						main = k
					}
				}
				require.NotEmpty(l.t, main, "the replaced database is kept: %v", kept)
				assert.Equal(l.t, 1, count(l.t, main, `SELECT count(*) FROM settings WHERE key = 'hostile.probe'`), "with its WAL's changes")
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM settings WHERE key = 'hostile.probe'`), "the backup is in place")
			},
		},

		// --- Money ---
		{
			name:   "order amounts beyond what yen arithmetic holds",
			item:   "money arithmetic overflows silently; yen arithmetic is checked, with limits",
			guards: "531d319: backend.Order.Validate bounds every amount by MaxOrderAmount and a line by LineAmount",
			setup: func(l *lab) {
				l.ownShop()
				l.files["csv"] = writeCSV(l, "900001,2026/08/04 20:21:07,山田 太郎,銀行振込,X-1,壺,99999999999,2,199999999998")
			},
			args: []string{"import", "{csv}", "-preset", "kessaidesk"},
			code: 2, says: []string{"扱える範囲", "99,999,999,999円"}, untouched: true,
		},

		// --- The keychain ---
		// Every row below also checks that no secret it typed reaches any output or any
		// file of the data folder. (The demo sandbox's own credentials are written in
		// sandbox/ on purpose: demo-only, valid at no real gateway, as the README says.)
		{
			name:   "no D-Bus session",
			item:   "with no Secret Service (no D-Bus session) every command starts a dbus-daemon that never exits",
			guards: "f439cd8: vault.noSessionBus fails at once, saying to use dbus-run-session",
			kc:     noSession,
			setup: func(l *lab) {
				if _, err := os.Stat(sessionSocket()); err == nil {
					l.t.Skip("this machine has a desktop session bus: the attack would reach its keychain")
				}
				l.ownShop()
				l.secrets = append(l.secrets, "Hostile123")
			},
			args:  []string{"profile", "add", "-name", "GMO", "-kind", "gmo", "-merchant", "tshop00000001"},
			stdin: "Hostile123\n",
			code:  1, says: []string{"D-Bus", "dbus-run-session -- kessaidesk sync"},
			check: func(l *lab, r result) {
				assert.Less(l.t, r.elapsed, 20*time.Second, "fails at once")
				assert.Zero(l.t, count(l.t, l.db(), `SELECT count(*) FROM gateway_profiles`), "no profile without its secret")
			},
		},
		{
			name:   "keychain unusable is not a missing secret",
			item:   "'the keychain cannot be used' and 'the secret is not in the keychain' are different messages",
			guards: "14773cc: gateways.Factory.secret reports a keychain error apart from ENOTFOUND",
			kc:     realKeychain,
			setup: func(l *lab) {
				l.ownShop()
				gmoProfile(l, "GMO", simulators(l.t).GMO.ShopPass)
				l.kc = brokenBus // the keychain is there, but cannot be reached now
			},
			args: []string{"profile", "test", "1"},
			code: 1, says: []string{"読めません", "キーチェーンを使えません"}, saysNot: []string{"入力してください"},
			check: func(l *lab, r result) {
				// A secret that really is missing: the same folder under another id (another
				// PC's restored copy) finds no entry, and says so.
				exec1(l.t, l.db(), `UPDATE settings SET value = 'ffffffffffffffff' WHERE key = 'vault.scope'`)
				l.kc = realKeychain
				missing := l.run("", "profile", "test", "1")
				assert.Equal(l.t, 1, missing.code)
				assert.Contains(l.t, missing.out(), "キーチェーンにありません")
			},
		},
		{
			name:   "profile delete with the keychain unavailable",
			item:   "profile delete with the keychain unavailable deletes the profile and orphans the secret: all or nothing",
			guards: "0f8ed58: profiles.Service.Delete reads the secrets first and puts them back if the profile cannot go",
			kc:     realKeychain,
			setup: func(l *lab) {
				l.ownShop()
				gmoProfile(l, "GMO", simulators(l.t).GMO.ShopPass)
				l.kc = brokenBus
			},
			args: []string{"profile", "delete", "1"},
			code: 1, says: []string{"キーチェーン"}, untouched: true,
			check: func(l *lab, r result) {
				l.kc = realKeychain
				test := l.run("", "profile", "test", "1")
				assert.Equal(l.t, 0, test.code, "the profile and its secret are both still there: %s", test.out())
			},
		},
		{
			name:   "two data folders on one PC",
			item:   "keychain entries named by profile id alone: a second folder's profile 1 overwrites the first's",
			guards: "6fdfcd2: system.folderVault scopes every entry by the folder's id (vault.Scoped)",
			kc:     realKeychain,
			setup: func(l *lab) {
				sim := simulators(l.t)
				l.ownShop()
				gmoProfile(l, "GMO", sim.GMO.ShopPass)
				other := &lab{t: l.t, root: l.root, data: filepath.Join(l.root, "second-shop"), kc: realKeychain, files: map[string]string{}}
				other.ownShop()
				gmoProfile(other, "GMO", "WrongPass9") // its own profile 1, another secret
				l.secrets = append(l.secrets, "WrongPass9")
				noSecretInFiles(l.t, other.data, other.secrets)
			},
			args: []string{"profile", "test", "1"},
			code: 0, says: []string{"接続できました"},
		},
		{
			name:   "host with credentials",
			item:   "a host given as https://user:PASSWORD@… is refused, but the message repeats the password",
			guards: "f439cd8: gwhttp.ValidateHost refuses credentials without repeating them",
			setup: func(l *lab) {
				l.ownShop()
				l.secrets = append(l.secrets, "Pa55wordInUrl")
			},
			args:  []string{"profile", "add", "-name", "GMO", "-kind", "gmo", "-merchant", "tshop00000001", "-host", "https://shop:Pa55wordInUrl@127.0.0.1:9"},
			stdin: "Hostile123\n",
			code:  2, untouched: true,
		},
		{
			name:   "Paygent profile from the command line",
			item:   "profile add -kind paygent can never succeed; a test host with its own CA needs the system trust store",
			guards: "a6f3b35: profile add -cert FILE -ca FILE (PEM or PKCS#12), passwords on stdin; the CA only for that profile, verification on",
			kc:     realKeychain,
			setup: func(l *lab) {
				l.ownShop()
				in := simulators(l.t).Paygent
				l.secrets = append(l.secrets, in.ConnectPassword, privateKeyLine(l.t, in.ClientCertFile))
				// Without the CA file the sandbox's certificate is not trusted: verification stays on.
				l.must(in.ConnectPassword+"\n\n", "profile", "add", "-name", "ペイジェント CAなし", "-kind", "paygent", "-host", in.URL,
					"-merchant", in.MerchantID, "-sub", in.ConnectID, "-cert", in.ClientCertFile)
				noCA := l.run("", "profile", "test", "1")
				assert.Contains(l.t, noCA.out(), "サーバー証明書を確認できない", noCA.out())
				l.must(in.ConnectPassword+"\n\n", "profile", "add", "-name", "ペイジェント", "-kind", "paygent", "-host", in.URL,
					"-merchant", in.MerchantID, "-sub", in.ConnectID, "-cert", in.ClientCertFile, "-ca", in.CAFile)
			},
			args: []string{"profile", "test", "2"},
			code: 0, says: []string{"接続できました"},
		},
		{
			name:   "connection test gets HTTP 500",
			item:   "a connection test that got HTTP 500 says 'will check whether it was processed': a test changes nothing",
			guards: "85206b1: profiles.Service.Test says the test only inquires and changed nothing",
			kc:     realKeychain,
			setup: func(l *lab) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "internal error", http.StatusInternalServerError)
				}))
				l.t.Cleanup(srv.Close)
				l.ownShop()
				gmoProfileAt(l, "GMO", srv.URL, "Hostile123")
			},
			args: []string{"profile", "test", "1"},
			code: 1, says: []string{"何も変更しない"}, saysNot: []string{"処理されたかどうか"},
		},
		{
			name:   "connection test cut after sending",
			item:   "a connection test whose answer never comes (timed out, cut) says it will check whether it was processed",
			guards: "85206b1: an unknown outcome of a test is reported as 'changed nothing' (a 30 s timeout is the same class: see TestConnectionTestTimeout)",
			kc:     realKeychain,
			setup: func(l *lab) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					conn, _, err := w.(http.Hijacker).Hijack()
					if err == nil {
						conn.Close()
					}
				}))
				l.t.Cleanup(srv.Close)
				l.ownShop()
				gmoProfileAt(l, "GMO", srv.URL, "Hostile123")
			},
			args: []string{"profile", "test", "1"},
			code: 1, says: []string{"何も変更しない"}, saysNot: []string{"処理されたかどうか"},
		},
	}
}

// gmoProfile adds a GMO-PG profile at the simulators with this ShopPass (on stdin).
func gmoProfile(l *lab, name, shopPass string) {
	l.t.Helper()
	sim := simulators(l.t)
	l.secrets = append(l.secrets, shopPass)
	l.must(shopPass+"\n", "profile", "add", "-name", name, "-kind", "gmo", "-merchant", sim.GMO.ShopID, "-host", sim.GMO.URL)
}

func gmoProfileAt(l *lab, name, host, shopPass string) {
	l.t.Helper()
	l.secrets = append(l.secrets, shopPass)
	l.must(shopPass+"\n", "profile", "add", "-name", name, "-kind", "gmo", "-merchant", "tshop00000001", "-host", host)
}

// writeCSV writes an order CSV in Kessai Desk's own layout with these rows.
func writeCSV(l *lab, rows ...string) string {
	l.t.Helper()
	path := filepath.Join(l.root, "orders.csv")
	body := "受注番号,受注日時,注文者名,支払方法,商品コード,商品名,単価,数量,合計金額\n" + strings.Join(rows, "\n") + "\n"
	require.NoError(l.t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

// walState leaves the data folder as a crash leaves it: a change only in the WAL.
func walState(l *lab, stmt string) {
	l.t.Helper()
	staging := filepath.Join(l.root, "staging")
	copyTree(l.t, l.data, staging)
	db := sqlDB(l.t, filepath.Join(staging, "kessaidesk.db")+"?_journal_mode=WAL")
	_, err := db.Exec(stmt)
	require.NoError(l.t, err)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(filepath.Join(staging, "kessaidesk.db") + suffix)
		require.NoError(l.t, err, suffix)
		require.NoError(l.t, os.WriteFile(l.db()+suffix, b, 0o600))
	}
	require.NoError(l.t, db.Close())
	st, err := os.Stat(l.db() + "-wal")
	require.NoError(l.t, err)
	require.Positive(l.t, st.Size(), "the change is in the WAL")
}

// readOnly makes the data folder read-only. Root ignores file modes, so under root the
// binary runs as nobody (65534), which may read the folder but not write it.
func readOnly(l *lab) {
	l.t.Helper()
	if os.Geteuid() == 0 {
		l.asUser = 65534
		// nobody must reach the folder and the binary: the lab's folders are private.
		for dir := l.root; dir != filepath.Dir(work) && dir != "/" && strings.HasPrefix(dir, os.TempDir()); dir = filepath.Dir(dir) {
			os.Chmod(dir, 0o755)
		}
		os.Chmod(filepath.Join(l.root, "home"), 0o777)
	}
	require.NoError(l.t, filepath.Walk(l.data, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	}))
	l.t.Cleanup(func() {
		filepath.Walk(l.data, func(p string, info os.FileInfo, err error) error {
			if err == nil && info.IsDir() {
				os.Chmod(p, 0o700)
			}
			return nil
		})
	})
}

// sessionSocket is where a desktop session's bus listens when DBUS_SESSION_BUS_ADDRESS is unset.
func sessionSocket() string {
	return filepath.Join("/run/user", strconv.Itoa(os.Getuid()), "bus")
}

// privateKeyLine is a line of the client certificate's private key: it must never be
// written anywhere in clear (it is sealed in secrets/, its key in the keychain).
func privateKeyLine(t *testing.T, pemFile string) string {
	t.Helper()
	f, err := os.Open(pemFile)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	inKey := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, "PRIVATE KEY-----"):
			inKey = !strings.HasPrefix(line, "-----END")
		case inKey && len(line) > 40:
			return line
		}
	}
	t.Fatal("no private key in ", pemFile)
	return ""
}
