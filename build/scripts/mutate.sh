#!/usr/bin/env bash
# Mutation testing of the payment rules (issue 12): do the tests notice when a rule is
# changed? Two kinds of mutants, each tested with its package's own tests:
#   1. gremlins (github.com/go-gremlins/gremlins, pinned) changes operators — == and
#      !=, < and <=, && and ||, + and -, negated numbers — in the files that hold the
#      rules: the cancel choice (backend/cancel.go), the engine's plans
#      (backend/payment/plans.go) and each gateway's status and field mapping
#      (backend/gmo/gateway.go, backend/sbps/gateway.go, backend/paygent/status.go and
#      gateway.go);
#   2. the rule mutants of build/mutants (go run ./build/mutants): changes a person
#      would make by mistake — a date read from the wrong field, a gateway or a state
#      dropped from a rule, a status mapped to the wrong state — that no operator
#      mutation expresses.
# It works on a copy of the tree (a shared tree never sees a mutated file), prints each
# target's score and every mutant that lived, and exits non-zero when one lives that
# MUTATION.md does not explain. Not part of `make test`: it takes about twenty minutes.
set -euo pipefail

GREMLINS_VERSION=v0.6.0
root=${MUTATE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export PATH="$(go env GOPATH)/bin:$PATH"
# Every go command below (gremlins' and the rule mutants' go test too) with SQLite's FTS5.
export GOFLAGS="-tags=sqlite_fts5"
if ! go version -m "$(command -v gremlins 2>/dev/null || echo /nonexistent)" 2>/dev/null | grep -q "gremlins[[:space:]]*$GREMLINS_VERSION"; then
  echo "==> installing gremlins $GREMLINS_VERSION"
  go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree"
(cd "$root" && git ls-files -co --exclude-standard -- . ':!frontend' | tar -cf - -T -) | tar -xf - -C "$tree"
mkdir -p "$tree/frontend/dist" && cp -r "$root/frontend/dist/." "$tree/frontend/dist/" 2>/dev/null || true
# The domain package alone (it imports no other package of the module): gremlins
# gathers coverage over a directory and everything below it, and below backend/ is
# the whole app.
domain="$work/domain"
mkdir -p "$domain/backend"
cp "$tree/go.mod" "$tree/go.sum" "$domain/"
cp "$tree"/backend/*.go "$domain/backend/"
# Timeouts scale with the time of the coverage run: measure it uncached. A mutant's
# tests stop at the first failure.
export GOFLAGS="${GOFLAGS:-} -count=1 -failfast"

killed_total=0
lived_total=0
unexplained=0
# target MODULE DIR FILE...: gremlins over FILE... of package DIR (nothing else is
# mutated), with that package's tests.
target() {
  local module=$1 dir=$2
  shift 2
  local args=(-E '/')
  local f keep t
  for f in $(cd "$module/$dir" && ls *.go | grep -v '_test\.go$'); do
    keep=0
    for t in "$@"; do [ "$f" = "$t" ] && keep=1; done
    [ $keep = 1 ] || args+=(-E "^${f%.go}\\.go\$")
  done
  echo "==> gremlins: $dir: $*"
  local out="$work/gremlins-$(echo "$dir" | tr / -).txt"
  (cd "$module" && gremlins unleash --invert-logical --workers 2 --timeout-coefficient 10 "${args[@]}" "./$dir") >"$out" 2>&1 || true
  local killed lived kind loc file line text
  killed=$(grep -c '^ *KILLED' "$out" || true)
  lived=$(grep -c '^ *LIVED' "$out" || true)
  grep -E '^ *(TIMED OUT|NOT VIABLE)' "$out" | sed "s|^ *|    |" || true
  while read -r kind loc; do
    file=${loc%%:*}
    line=${loc#*:}
    line=${line%%:*}
    text=$(sed -n "${line}p" "$module/$dir/$file" | sed -E 's/^[[:space:]]+//')
    # MUTATION.md explains a survivor on a line naming its kind and its source line.
    if grep -F -- "$text" "$root/MUTATION.md" 2>/dev/null | grep -qF -- "$kind"; then
      echo "    lived (explained in MUTATION.md): $kind $dir/$loc  $text"
    else
      echo "    LIVED, not explained: $kind $dir/$loc  $text"
      unexplained=$((unexplained + 1))
    fi
  done < <(grep '^ *LIVED' "$out" | sed -E 's/^ *LIVED +([A-Z_]+) at (.*)$/\1 \2/')
  echo "    killed $killed, lived $lived"
  killed_total=$((killed_total + killed))
  lived_total=$((lived_total + lived))
}

target "$domain" backend cancel.go
target "$tree" backend/payment plans.go
target "$tree" backend/gmo gateway.go
target "$tree" backend/sbps gateway.go
target "$tree" backend/paygent status.go gateway.go

cd "$tree"
echo "==> rule mutants (build/mutants)"
rules_ok=0
go run ./build/mutants || rules_ok=$?

all=$((killed_total + lived_total))
echo
echo "gremlins: $killed_total of $all mutants killed ($(( all > 0 ? 100 * killed_total / all : 100 ))%), $unexplained lived unexplained"
if [ "$unexplained" -gt 0 ] || [ "$rules_ok" -ne 0 ]; then
  exit 1
fi
