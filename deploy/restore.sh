#!/usr/bin/env bash
# Restore a DVK backup made by deploy/backup.sh: both databases and the evidence and import
# folders, to where the environment file points.
#
#   deploy/restore.sh [--env-file /etc/dvk/dvk.env] [--force] [--no-resend] <backup folder>
#
# Stop the services first (systemctl stop dvk.target). A database that does not exist is
# created (the URL's user needs CREATEDB); one that holds tables, or a folder that holds files,
# is refused unless --force, which restores over them (pg_restore --clean; files of the same
# name are replaced). Every check is made before anything is changed. Then the events the
# services published since the backup began are marked unsent, so the relays send them again
# and each side learns what the other's dump may have missed (inboxes drop what they have
# already seen); --no-resend leaves the outboxes as dumped.
set -euo pipefail

ENV_FILE=/etc/dvk/dvk.env
FORCE=0
RESEND=1
MAINTENANCE_DB=postgres
FROM=

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --env-file) ENV_FILE="$2"; shift 2 ;;
        --force) FORCE=1; shift ;;
        --no-resend) RESEND=0; shift ;;
        --maintenance-db) MAINTENANCE_DB="$2"; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "restore: unknown option $1" >&2; usage 2 ;;
        *) [[ -z "$FROM" ]] || usage 2; FROM="$1"; shift ;;
    esac
done
[[ -n "$FROM" ]] || usage 2

# shellcheck source=deploy/dvk-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/dvk-env.sh"
dvk_read_env "$ENV_FILE"

say() { echo "restore: $*" >&2; }
refusals=()

# ---- the backup is whole ------------------------------------------------------------------
[[ -f "$FROM/SHA256SUMS" && -f "$FROM/MANIFEST" ]] || { say "$FROM is not a DVK backup"; exit 1; }
grep -qx 'format: dvk-backup 1' "$FROM/MANIFEST" || { say "$FROM: unknown backup format"; exit 1; }
(cd "$FROM" && sha256sum --check --quiet --strict SHA256SUMS) \
    || { say "$FROM: checksums do not match; the backup is damaged"; exit 1; }
started=$(sed -n 's/^started: //p' "$FROM/MANIFEST")

# ---- where it goes, and what is there already ---------------------------------------------
database_name() { local rest="${1#*://}"; rest="${rest#*/}"; echo "${rest%%\?*}"; }
server_url() {  # the same server and user, on the maintenance database
    local url="$1" query=""
    [[ "$url" == *\?* ]] && query="?${url#*\?}"
    local head="${url%%\?*}"
    echo "${head%/*}/$MAINTENANCE_DB$query"
}
psql_value() { psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 "$@"; }

declare -A URLS EXISTS
for service in intake review; do
    url=$(dvk_database_url "$service")
    url=$(dvk_libpq_url "$url")
    name=$(database_name "$url")
    URLS[$service]="$url"
    found=$(printf "SELECT count(*) FROM pg_database WHERE datname = :'name';\n" \
        | psql_value --dbname="$(server_url "$url")" --set name="$name")
    EXISTS[$service]="$found"
    if [[ "$found" == 1 ]]; then
        tables=$(psql_value --dbname="$url" --command="SELECT count(*) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
            AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")
        if [[ "$tables" != 0 && "$FORCE" == 0 ]]; then
            refusals+=("the $service database $name holds $tables tables and sequences")
        fi
    fi
done

declare -A FOLDERS
for folder in evidence imports; do
    path=$(dvk_folder "$folder")
    FOLDERS[$folder]="$path"
    if [[ -d "$path" && -n "$(ls -A -- "$path")" && "$FORCE" == 0 ]]; then
        refusals+=("the $folder folder $path is not empty")
    fi
done

if [[ ${#refusals[@]} -gt 0 ]]; then
    for refusal in "${refusals[@]}"; do say "refusing: $refusal"; done
    say "nothing was changed; restore into empty targets, or pass --force to restore over them"
    exit 1
fi

# ---- restore ------------------------------------------------------------------------------
for service in intake review; do
    url="${URLS[$service]}"
    name=$(database_name "$url")
    clean=()
    if [[ "${EXISTS[$service]}" == 1 ]]; then
        clean=(--clean --if-exists)
    else
        say "creating the $service database $name"
        createdb --maintenance-db="$(server_url "$url")" -- "$name"
    fi
    say "restoring the $service database $name"
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
        --dbname="$url" "$FROM/$service.dump"
done

for folder in evidence imports; do
    path="${FOLDERS[$folder]}"
    say "restoring the $folder folder $path"
    mkdir -p -- "$path"
    tar --extract --gzip --file="$FROM/$folder.tar.gz" --directory="$path"
done

if [[ "$RESEND" == 1 ]]; then
    for service in intake review; do
        resent=$(printf "WITH again AS (UPDATE outbox SET published_at = NULL
                 WHERE published_at >= CAST(:'since' AS timestamptz) RETURNING 1)
                 SELECT count(*) FROM again;\n" \
            | psql_value --dbname="${URLS[$service]}" --set since="$started")
        say "$service: $resent events published since $started will be sent again"
    done
fi
say "done; start the services: systemctl start dvk.target"
