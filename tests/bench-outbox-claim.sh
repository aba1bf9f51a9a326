#!/usr/bin/env bash
# The outbox claim and mark in PostgreSQL alone (issue 14; docs/benchmarks.md, "what each change bought"): a backlog of
# SIP_CLAIM_ROWS unsent rows (default 50,000) in a scratch table shaped like every service's outbox, claimed 500 at a time
# with the dispatcher's own claim and marked sent, until the backlog is gone. pgbench gives the mean latency of each
# statement. Four variants, each on a fresh table:
#   old query       the claim before OFFSET 0: PostgreSQL hashes every unsent row for the earlier-row check
#   current query   the earlier-row check as an index probe per claimed row, pages packed full (fillfactor 100)
#   + fillfactor 50 as the services' outboxes are now: a claim is a HOT update
#   no statistics   the same without ANALYZE (a new or truncated table) — with and without sorting off
# Needs the platform's PostgreSQL (./sip up). Prints milliseconds per claim of 500 and per mark of 500.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${SIP_CLAIM_ROWS:-50000}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
eval "$("$ROOT/sip" admin-connection | tr ';' '\n' | sed -n 's/^Host=/export PGHOST=/p; s/^Port=/export PGPORT=/p; s/^Database=/export PGDATABASE=/p; s/^Username=/export PGUSER=/p; s/^Password=/export PGPASSWORD=/p')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; psql -qc "DROP SCHEMA IF EXISTS sip_claim_bench CASCADE" >/dev/null 2>&1 || true' EXIT

claim_sql() { # $1: "old" or "new"
  local probe_end=")"
  [[ "$1" == new ]] && probe_end="OFFSET 0)"
  cat <<SQL
WITH locked AS (
    SELECT id, sequence, aggregate_id FROM sip_claim_bench.o
    WHERE sent_at IS NULL AND parked_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
    ORDER BY sequence LIMIT 500 FOR UPDATE SKIP LOCKED
), eligible AS (
    SELECT l.id FROM locked l
    WHERE NOT EXISTS (
        SELECT 1 FROM sip_claim_bench.o p
        WHERE p.aggregate_id = l.aggregate_id AND p.sequence < l.sequence AND p.sent_at IS NULL AND p.parked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM locked x WHERE x.id = p.id)
        $probe_end
), upd AS (
    UPDATE sip_claim_bench.o o SET claimed_until = now() + interval '30 s', claimed_by = 'bench', attempts = o.attempts + 1
    FROM eligible e WHERE o.id = e.id
    RETURNING o.id, o.sequence, o.aggregate_id, o.message_type, o.body::text, o.attempts)
INSERT INTO claimed SELECT id FROM upd;
SQL
}

run() { # $1 label, $2 old|new, $3 fillfactor, $4 analyze|none, $5 sort on|off
  psql -q <<SQL >/dev/null 2>&1
DROP SCHEMA IF EXISTS sip_claim_bench CASCADE; CREATE SCHEMA sip_claim_bench;
CREATE TABLE sip_claim_bench.o (
    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id uuid NOT NULL UNIQUE, aggregate_id varchar(64) NOT NULL,
    message_type varchar(256) NOT NULL, body jsonb NOT NULL, tenant_id varchar(64) NOT NULL, occurred_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz, claimed_until timestamptz, claimed_by varchar(128),
    attempts int NOT NULL, last_error varchar(512), failures int NOT NULL DEFAULT 0, parked_at timestamptz)
    WITH (fillfactor = $3, autovacuum_enabled = off);
CREATE INDEX ON sip_claim_bench.o (parked_at) WHERE parked_at IS NOT NULL;
CREATE INDEX ON sip_claim_bench.o (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX ON sip_claim_bench.o (sequence) WHERE sent_at IS NULL;
CREATE INDEX ON sip_claim_bench.o (aggregate_id, sequence) WHERE sent_at IS NULL;
INSERT INTO sip_claim_bench.o (id, aggregate_id, message_type, body, tenant_id, occurred_at, attempts)
SELECT gen_random_uuid(), gen_random_uuid()::text, 'Sip.Contracts.Directory.UnitUpdated',
       jsonb_build_object('eventId', gen_random_uuid(), 'occurredAt', now(), 'tenantId', 'bench', 'unitId', gen_random_uuid(),
                          'name', 'Enhet för mätning', 'kind', 'Region', 'municipalityCode', '1481', 'mailbox', null),
       'bench', now(), 0
FROM generate_series(1, $ROWS);
$([[ "$4" == analyze ]] && echo "VACUUM ANALYZE sip_claim_bench.o;")
SQL
  { echo "CREATE TEMP TABLE IF NOT EXISTS claimed (id uuid);"
    echo "BEGIN;"
    [[ "$5" == off ]] && echo "SET LOCAL enable_sort = off;"
    claim_sql "$2"
    echo "COMMIT;"
    echo "UPDATE sip_claim_bench.o SET sent_at = now(), claimed_until = NULL, last_error = NULL WHERE id = ANY(ARRAY(SELECT id FROM claimed));"
    echo "TRUNCATE claimed;"
  } > "$WORK/round.sql"
  "$PGBIN/pgbench" -n -t $((ROWS / 500)) -r -f "$WORK/round.sql" 2>/dev/null | awk -v label="$1" '
    /WITH locked AS/ {claim=$1} /UPDATE sip_claim_bench.o SET sent_at/ {mark=$1}
    END {printf "  %-44s claim %7.1f ms   mark %6.1f ms   (per 500 rows)\n", label, claim, mark}'
  [[ "$(psql -tAc "SELECT count(*) FROM sip_claim_bench.o WHERE sent_at IS NULL")" == 0 ]] || { echo "rows left unsent" >&2; exit 1; }
}

echo "# outbox claim and mark in PostgreSQL, $ROWS-row backlog, $(nproc) cores, $(psql -tAc 'SHOW server_version')"
run "old query, fillfactor 100"                 old 100 analyze on
run "current query, fillfactor 100"             new 100 analyze on
run "current query, fillfactor 50"              new 50  analyze on
run "fillfactor 50, no statistics, sorting on"  new 50  none    on
run "fillfactor 50, no statistics, sorting off" new 50  none    off
