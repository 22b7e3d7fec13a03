#!/usr/bin/env bash
# Back up DVK: both services' PostgreSQL databases (pg_dump custom format) and the evidence and
# import folders (tar), into one dated folder with a MANIFEST and SHA256SUMS.
#
#   deploy/backup.sh [--env-file /etc/dvk/dvk.env] [--into /var/backups/dvk]
#
# The databases' URLs and the folders are read from the environment file the services use.
# Prints the folder it wrote; a folder is complete only once it has its name (it is written
# as <name>.partial and renamed at the end). Restore with deploy/restore.sh <folder>.
set -euo pipefail

ENV_FILE=/etc/dvk/dvk.env
INTO=/var/backups/dvk

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --env-file) ENV_FILE="$2"; shift 2 ;;
        --into) INTO="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "backup: unknown argument $1" >&2; usage 2 ;;
    esac
done

# shellcheck source=deploy/dvk-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/dvk-env.sh"
dvk_read_env "$ENV_FILE"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
name="dvk-$(date -u +%Y%m%dT%H%M%SZ)"
target="$INTO/$name"
work="$target.partial"

umask 077  # dumps hold people's names and contacts
mkdir -p "$INTO"
[[ ! -e "$target" && ! -e "$work" ]] || { echo "backup: $target exists already" >&2; exit 1; }
mkdir "$work"
trap 'rm -rf -- "$work"' EXIT

for service in intake review; do
    url=$(dvk_database_url "$service")
    url=$(dvk_libpq_url "$url")
    echo "backup: dumping the $service database" >&2
    pg_dump --format=custom --compress=6 --no-owner --no-privileges \
        --file="$work/$service.dump" --dbname="$url"
done

for folder in evidence imports; do
    path=$(dvk_folder "$folder")
    echo "backup: archiving the $folder folder $path" >&2
    if [[ -d "$path" ]]; then
        tar --create --gzip --file="$work/$folder.tar.gz" --directory="$path" .
    else
        tar --create --gzip --file="$work/$folder.tar.gz" --files-from=/dev/null
    fi
done

{
    echo "format: dvk-backup 1"
    echo "started: $started"
    echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: $(hostname)"
    echo "pg_dump: $(pg_dump --version)"
    echo "namespace: ${DVK_NAMESPACE:-dvk}"
    for folder in evidence imports; do
        echo "$folder: $(dvk_folder "$folder")"
    done
    echo "files:"
    (cd "$work" && for file in intake.dump review.dump evidence.tar.gz imports.tar.gz; do
        echo "  $file $(stat --format=%s "$file")"
    done)
} > "$work/MANIFEST"
(cd "$work" && sha256sum intake.dump review.dump evidence.tar.gz imports.tar.gz MANIFEST > SHA256SUMS)

mv "$work" "$target"
trap - EXIT
echo "$target"
