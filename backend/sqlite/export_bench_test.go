package sqlite

// For the benchmark beside PostgreSQL (pg_bench_test.go, package sqlite_test: it
// imports dbmove and pgstore, which import this package).
var (
	Busy    = busy
	CPUTime = cpuTime
)
