#!/usr/bin/env bash
# A 1,000,000-case night on PostgreSQL (docs/SCALE-OUT.md): one process (`slapolicy run --ingest`), then one and
# two clustered `serve` hosts sharing 8 partitions, the decisions emptied between the nights. Needs a PostgreSQL
# server on 127.0.0.1 whose user `postgres` has the password `postgres` (as .ci/run sets it), curl and python3.
# Drops and recreates the database `slapolicy_scale`; works in /tmp/scale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release host >/dev/null
mkdir -p /tmp/scale/in
BIN="dotnet host/bin/Release/net10.0/slapolicy.dll"
CS="Host=127.0.0.1;Username=postgres;Password=postgres;Database=slapolicy_scale"
export PGPASSWORD=postgres
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS slapolicy_scale" >/dev/null
[ -f /tmp/scale/in/cases.jsonl ] || $BIN generate --cases 1000000 --seed 7 --out /tmp/scale/in/cases.jsonl --profile synthetic
export SLAPOLICY_Store__Provider=postgres SLAPOLICY_Store__ConnectionString="$CS"
echo "== one host: run --ingest"
/usr/bin/time -f "wall %e s, peak RSS %M KB" $BIN run --ingest /tmp/scale/in --as-of 2026-11-22T02:00:00Z 2>&1 | grep -v "^\s*$" | tail -12
# Emptying the decisions also empties what incremental nights go by, so that the next night evaluates every case.
reset_decisions() { psql -q -h 127.0.0.1 -U postgres -d slapolicy_scale -c "TRUNCATE decisions, escalation_history, service_credits, evaluated_scopes, pending_cases" ; }
serve() { # $1 id, $2 port
  SLAPOLICY_Cluster__Enabled=true SLAPOLICY_Cluster__InstanceId=$1 SLAPOLICY_Run__Partitions=8 SLAPOLICY_Cluster__Threads=1 \
  SLAPOLICY_Api__Token=t SLAPOLICY_Schedule__CatchUp=false SLAPOLICY_Ingestion__Inbox=/tmp/scale/inbox-$1 \
  $BIN serve --urls http://127.0.0.1:$2 > /tmp/scale/$1.log 2>&1 &
  echo $!
}
wait_health() { for _ in $(seq 1 60); do curl -sf http://127.0.0.1:$1/health >/dev/null && return 0; sleep 1; done; return 1; }
night() { # $1 port, $2 asOf (default 2026-11-22T02:00:00Z); prints run record when done
  id=$(curl -s -X POST -H "Authorization: Bearer t" "http://127.0.0.1:$1/api/runs?asOf=${2:-2026-11-22T02:00:00Z}" | python3 -c "import sys,json;print(json.load(sys.stdin)['id'])")
  while true; do
    st=$(curl -s http://127.0.0.1:$1/api/runs/$id | python3 -c "import sys,json;r=json.load(sys.stdin)['run'];print(r['state'])")
    [ "$st" != "running" ] && break; sleep 1
  done
  curl -s http://127.0.0.1:$1/api/runs/$id | python3 -c "
import sys,json;d=json.load(sys.stdin);r=d['run']
print('run',r['id'],r['state'],r['casesRead'],'cases evaluated',r['casesKept'],'kept',r['decisionsWritten'],'decisions',r['durationMs']/1000,'s')
for p in d['partitions']: print('  partition',p['partition'],p['owner'],p['attempts'],p['casesRead'])"
}
for hosts in 1 2; do
  reset_decisions
  pids=$(serve host-a 5091); [ $hosts = 2 ] && pids="$pids $(serve host-b 5092)"
  wait_health 5091; [ $hosts = 2 ] && wait_health 5092
  echo "== $hosts clustered host(s), 8 partitions"
  night 5091
  echo "== the next night: only the cases still counting"
  night 5091 2026-11-23T02:00:00Z
  for p in $pids; do ps -o rss= -p $p | awk '{print "  RSS at the end", $1/1024, "MB"}'; done
  kill $pids; wait $pids 2>/dev/null || true
done
