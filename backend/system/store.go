package system

import (
	"context"
	"time"

	"kessaidesk/backend"
	"kessaidesk/backend/csvimport"
	"kessaidesk/backend/link"
	"kessaidesk/backend/report"
	"kessaidesk/backend/sandbox"
)

// Store is the database the app runs on: the folder's own SQLite file
// (backend/sqlite) or a team's shared PostgreSQL server (backend/pgstore).
type Store interface {
	backend.Store
	backend.ImportStore
	backend.ExportStore
	backend.ReportStore
	link.Store
	report.Store
	csvimport.LayoutStore
	sandbox.Store

	// ホーム and the 作業リスト.
	Overview(ctx context.Context, now, staleBefore time.Time) (*backend.Overview, error)
	WorkList(ctx context.Context, list string, now, staleBefore time.Time, limit int) ([]backend.OrderRow, error)
	WorkListCounts(ctx context.Context, now, staleBefore time.Time) (map[string]int, error)

	// PC names this desktop on the journal entries and order events it writes.
	PC() string
	SetPC(name string)
	// CloseInterruptedBulkJobs closes the bulk runs their process left running.
	CloseInterruptedBulkJobs(ctx context.Context) (int, error)
	IsEmpty(ctx context.Context) (bool, error)
	DeleteDemo(ctx context.Context) error
	// Backup writes a copy of the database to path (SQLite; a shared database is
	// backed up on its server and refuses with a message that says so).
	Backup(ctx context.Context, path string) error
	// Migrations, Counts and StateCounts describe the database for the support bundle.
	Migrations(ctx context.Context) ([]string, error)
	Counts(ctx context.Context) (map[string]int64, error)
	StateCounts(ctx context.Context) (map[string]map[string]int64, error)
	Close() error
}
