#!/usr/bin/env bash
# The test command: `./test.sh [dotnet test options]`. Needs the .NET 10 SDK; installs what else the tests use when it
# is missing (Debian's `chromium` for the browser tests, `postgresql` for the store tests, through apt-get, with sudo
# when not root), starts a throwaway PostgreSQL cluster of its own in a temporary folder on a free port of 127.0.0.1,
# runs `dotnet test SlaPolicy.sln` against it and stops and deletes the cluster, whatever the outcome.
# With SLAPOLICY_TEST_POSTGRES already set (a connection string), that server is used and no cluster is started.
set -euo pipefail
cd "$(dirname "$0")"

# A UTF-8 locale: the cluster and the test databases take their encoding from it.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export DEBIAN_FRONTEND=noninteractive

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

postgres_bin() {
  compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n 1 | xargs -r dirname
}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# The server itself, not only the client tools.
[ -n "$(postgres_bin)" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${SLAPOLICY_TEST_POSTGRES:-}" ]; then
  bin=$(postgres_bin)
  # initdb and postgres refuse to run as root: as root the cluster belongs to the postgres user the package created.
  as_owner=()
  if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

  cluster=$(mktemp -d "${TMPDIR:-/tmp}/slapolicy-test-pg.XXXXXX")
  if [ ${#as_owner[@]} -gt 0 ]; then chown postgres:postgres "$cluster"; fi
  stop_cluster() {
    "${as_owner[@]}" "$bin/pg_ctl" stop -D "$cluster/data" -m immediate -w >/dev/null 2>&1 || true
    rm -rf "$cluster"
  }
  trap stop_cluster EXIT

  "${as_owner[@]}" "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$cluster/initdb.log" 2>&1 \
    || { cat "$cluster/initdb.log"; exit 1; }

  # A free port: one nothing answers on; a race with another process is caught by the start failing, then retried.
  started=
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if "${as_owner[@]}" "$bin/pg_ctl" start -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $cluster -c max_connections=300 -c fsync=off" >/dev/null; then
      started=1
      break
    fi
  done
  if [ -z "$started" ]; then
    echo "test.sh: PostgreSQL did not start:"
    tail -n 30 "$cluster/server.log" || true
    exit 1
  fi

  export SLAPOLICY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "test.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $cluster)"
fi

dotnet test SlaPolicy.sln "$@"
