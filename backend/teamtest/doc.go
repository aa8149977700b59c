// Package teamtest holds the tests of a team's desktops sharing one PostgreSQL order
// database (issue 18) as separate processes: the app's own code (the store, the
// engine, its bulk runs, the gateway client) in child processes that can be killed,
// the gateway simulator in the test process, which outlives them and keeps every
// request. It has no code of its own; the tests need a PostgreSQL server
// (build/scripts/pg.sh run go test ./backend/teamtest/) and are skipped without one.
package teamtest
