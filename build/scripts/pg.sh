#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of the PostgreSQL store (issue 18).
#
#   build/scripts/pg.sh run CMD...   start a server, run CMD with KESSAIDESK_TEST_PG set to
#                                    its DSN, stop it and delete it (CI: make go-test-pg)
#   build/scripts/pg.sh start        start one and print `export KESSAIDESK_TEST_PG=…` and
#                                    how to stop it (for working by hand)
#   build/scripts/pg.sh stop DIR     stop the server start printed and delete DIR
#
# Debian's postgresql package is installed when initdb is missing (apt, as root). The
# cluster lives in a temp dir, owned by a non-root user (initdb and postgres refuse to run
# as root): the package's `postgres` user, else `nobody`. It listens on 127.0.0.1 only, on
# a free port, with a random password (scram-sha-256); durability is off (fsync), which a
# test server does not need.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

pgbin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[[ -x $d/initdb ]] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
	return 1
}

ensure_installed() {
	pgbin >/dev/null && return
	[[ $(id -u) == 0 ]] || die "PostgreSQL is not installed: sudo apt-get install -y postgresql"
	echo "==> installing postgresql (apt)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
		{ apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2; }
	pgbin >/dev/null || die "postgresql installed but initdb not found"
}

# as_owner runs a command as the cluster's owner (this user when not root).
OWNER=""
as_owner() {
	if [[ -n $OWNER ]]; then
		runuser -u "$OWNER" -- "$@"
	else
		"$@"
	fi
}

start() {
	ensure_installed
	local bin dir pw port
	bin=$(pgbin)
	if [[ $(id -u) == 0 ]]; then
		OWNER=nobody
		id postgres >/dev/null 2>&1 && OWNER=postgres
	fi
	# As root the cluster's owner must reach the folder: /tmp, not a TMPDIR under /root.
	local base=${TMPDIR:-/tmp}
	[[ -n $OWNER ]] && base=/tmp
	dir=$(mktemp -d "$base/kessaidesk-pg.XXXXXX")
	chmod 700 "$dir"
	[[ -n $OWNER ]] && chown "$OWNER" "$dir"
	pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$pw" >"$dir/pw"
	[[ -n $OWNER ]] && chown "$OWNER" "$dir/pw"
	chmod 600 "$dir/pw"
	as_owner "$bin/initdb" -D "$dir/data" -U kessaidesk --pwfile="$dir/pw" -A scram-sha-256 \
		-E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# TLS: a throwaway CA and a server certificate for the name localhost (not for
	# 127.0.0.1), so the tests can check verify-full: trusted with the CA file, refused
	# without it and refused under another name. Plain connections stay allowed.
	local tls=""
	if command -v openssl >/dev/null; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kessaidesk test CA" \
			-keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1 &&
			openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1 &&
			printf 'subjectAltName=DNS:localhost\n' >"$dir/san.ext" &&
			openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
				-extfile "$dir/san.ext" -out "$dir/server.crt" >/dev/null 2>&1 &&
			chmod 600 "$dir/server.key" && chmod 644 "$dir/ca.pem" "$dir/server.crt" &&
			tls="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
		[[ -n $OWNER && -n $tls ]] && chown "$OWNER" "$dir/server.key" "$dir/server.crt"
	fi
	# A free port: try random ones until the server starts (another may take it meanwhile).
	local try
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + RANDOM % 20000))
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 $tls" >/dev/null 2>&1; then
			echo "$port" >"$dir/port"
			echo "$bin" >"$dir/bin"
			[[ -n $OWNER ]] && echo "$OWNER" >"$dir/owner"
			echo "$dir"
			return
		fi
	done
	cat "$dir/server.log" >&2 || true
	rm -rf "$dir"
	die "the server did not start"
}

dsn_of() {
	local dir=$1
	echo "postgres://kessaidesk:$(cat "$dir/pw")@127.0.0.1:$(cat "$dir/port")/postgres?sslmode=disable"
}

stop() {
	local dir=$1
	[[ -f $dir/bin ]] || die "$dir is not a server started by pg.sh"
	OWNER=$(cat "$dir/owner" 2>/dev/null || true)
	as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
run)
	shift
	[[ $# -gt 0 ]] || die "usage: pg.sh run CMD..."
	dir=$(start)
	trap 'stop "$dir"' EXIT
	export KESSAIDESK_TEST_PG
	KESSAIDESK_TEST_PG=$(dsn_of "$dir")
	# The CA of the server's TLS certificate (for the name localhost), when it has one.
	[[ -f $dir/ca.pem ]] && export KESSAIDESK_TEST_PG_CA=$dir/ca.pem
	echo "==> PostgreSQL $("$(cat "$dir/bin")/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/port") (throwaway, $dir)" >&2
	"$@"
	;;
start)
	dir=$(start)
	echo "export KESSAIDESK_TEST_PG='$(dsn_of "$dir")'"
	echo "# stop it with: build/scripts/pg.sh stop $dir"
	;;
stop)
	[[ -n ${2:-} ]] || die "usage: pg.sh stop DIR"
	stop "$2"
	;;
*)
	die "usage: pg.sh run CMD... | start | stop DIR"
	;;
esac
