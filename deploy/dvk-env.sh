# Helpers of deploy/backup.sh and deploy/restore.sh (sourced, not run): what the services'
# environment file says, read as systemd's EnvironmentFile= reads it — KEY=value lines, '#'
# comments, optional surrounding quotes — and never executed as shell.

declare -gA DVK_ENV=()

dvk_read_env() {
    local file="$1" line key value number=0
    [[ -r "$file" ]] || { echo "${0##*/}: cannot read the environment file $file" >&2; exit 1; }
    while IFS= read -r line || [[ -n "$line" ]]; do
        number=$((number + 1))
        line="${line%$'\r'}"
        [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
        if [[ ! "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]]; then
            echo "${0##*/}: $file:$number is not KEY=value" >&2
            exit 1
        fi
        key="${BASH_REMATCH[2]}" value="${BASH_REMATCH[3]}"
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
            value="${BASH_REMATCH[1]}"
        fi
        DVK_ENV["$key"]="$value"
    done < "$file"
}

dvk_get() {  # dvk_get KEY [default]
    local value="${DVK_ENV[$1]:-}"
    echo "${value:-${2:-}}"
}

dvk_database_url() {  # the service's SQLAlchemy URL: dvk_database_url intake|review
    local key="${1^^}_DATABASE_URL" url
    url=$(dvk_get "$key")
    [[ -n "$url" ]] || { echo "${0##*/}: $key is not set" >&2; exit 1; }
    echo "$url"
}

dvk_libpq_url() {  # postgresql+psycopg://... -> postgresql://... (what pg_dump and psql read)
    local url="$1"
    if [[ "$url" =~ ^postgres(ql)?(\+[A-Za-z0-9_]+)?://(.*)$ ]]; then
        echo "postgresql://${BASH_REMATCH[3]}"
    else
        echo "${0##*/}: not a PostgreSQL URL: ${url%%:*}:..." >&2
        exit 1
    fi
}

dvk_folder() {  # the evidence or imports folder, with the services' defaults: dvk_folder evidence|imports
    local data key
    data=$(dvk_get DVK_DATA_DIR var)
    case "$1" in
        evidence) key=DVK_EVIDENCE_DIR ;;
        imports) key=DVK_IMPORT_DIR ;;
        *) echo "${0##*/}: no folder $1" >&2; exit 1 ;;
    esac
    realpath -m -- "$(dvk_get "$key" "$data/$1")"
}
