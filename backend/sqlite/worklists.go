package sqlite

import (
	"time"

	"kessaidesk/backend/sqlstore"
)

// The work lists are sqlstore's (both stores serve them: Core.WorkList,
// WorkListCounts); their names here for SQLite's own ホーム counts (overview.go).
const (
	ListToCapture       = sqlstore.ListToCapture
	ListCaptureFailed   = sqlstore.ListCaptureFailed
	ListStaleProcessing = sqlstore.ListStaleProcessing
	ListOverdueDeposit  = sqlstore.ListOverdueDeposit
	ListNeedsReview     = sqlstore.ListNeedsReview
	ListStopShipping    = sqlstore.ListStopShipping
)

// workListWhere is sqlstore's, with SQLite's plan hints.
func workListWhere(list string, now, staleBefore time.Time) (cond, order string, args []any, err error) {
	return dialect.WorkListWhere(list, now, staleBefore)
}
