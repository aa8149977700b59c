package pgstore

import (
	"context"

	"kessaidesk/backend"
	"kessaidesk/backend/sqlstore"
)

// Bulk runs on a shared database. Several desktops run 一括売上 and the like at once,
// so a job still running at start is not necessarily a dead one's, as it is on SQLite.
// A job is claimed like an operation (operations.go): claimed_by names this process,
// lease_until (the server's clock) is renewed with the operations' claims every
// Lease/3 while the process lives (renewLeases), and a job whose lease lapsed is closed
// by whichever desktop calls CloseInterruptedBulkJobs next. A live desktop's running
// job is never touched.

// CreateBulkJob records a bulk run and its items (all queued), claimed by this process.
func (db *DB) CreateBulkJob(ctx context.Context, job *backend.BulkJob, paymentIDs []int64) error {
	return db.CreateClaimedBulkJob(ctx, job, paymentIDs, sqlstore.BulkClaim{Owner: db.Owner, Until: serverNow + ` + ?`,
		LeaseMS: db.lease.Milliseconds()})
}

// CloseInterruptedBulkJobs closes the runs whose process died or froze (their lease
// lapsed): their items never sent become cancelled, saying so. A frozen desktop that
// wakes finds its run closed (backend.ErrBulkJobClosed): it sends nothing more and
// leaves the run as closed here (sqlstore.Core.FinishBulkJob, UpdateBulkItem).
func (db *DB) CloseInterruptedBulkJobs(ctx context.Context) (int, error) {
	return db.CloseBulkJobsSaying(ctx, notSentLapsed, `lease_until < `+serverNow)
}

// notSentLapsed says why an item of a run closed by another desktop was not sent.
var notSentLapsed = backend.Text{Ja: "一括処理を実行していたパソコンが終了したか応答しなくなったため中断され、送信していません",
	En: "not sent: the desktop running the bulk run closed or stopped responding"}

// Backup refuses: a shared database is backed up on its server, with the server's own
// tools, not copied to one desktop's folder.
func (db *DB) Backup(ctx context.Context, path string) error {
	return backend.Errorf(backend.EUNSUPPORTED,
		"共有データベース（PostgreSQL）はこのパソコンにはバックアップできません。バックアップはサーバー側で取ってください（pg_dump やクラウドの自動バックアップなど）",
		"a shared database (PostgreSQL) cannot be backed up to this PC; back it up on the server (pg_dump, or the managed service's automatic backups)")
}
