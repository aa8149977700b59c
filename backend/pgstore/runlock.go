package pgstore

import (
	"context"
	"hash/fnv"

	"kessaidesk/backend"
)

var _ backend.RunLocker = (*DB)(nil)

// runLockClass is the first key of the run locks (two-key advisory locks: a key space
// apart from the migration's one-key lock): "kess".
const runLockClass = 0x6b657373

// TryRunLock takes a session advisory lock (pg_try_advisory_lock) on a connection of
// its own, held until unlock: the server releases it when this desktop's session ends,
// so a crashed desktop never keeps the others from syncing.
func (db *DB) TryRunLock(ctx context.Context, name string) (unlock func(), ok bool, err error) {
	h := fnv.New32a()
	h.Write([]byte(name))
	key := int32(h.Sum32())
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, false, unreachable(err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, runLockClass, key).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, runLockClass, key)
		conn.Close()
	}, true, nil
}
