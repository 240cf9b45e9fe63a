# shellcheck shell=bash
# Sourced by run.sh and test.sh: installs what is missing with apt, starts PostgreSQL and
# Redis when they are not already answering on their standard ports, and creates the
# `financetracker` role (CREATEDB, for the tests' throwaway databases) and database.
# Sets STARTED_POSTGRES / STARTED_REDIS so the caller stops only what it started.

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
STARTED_POSTGRES=
STARTED_REDIS=
APT_UPDATED=

if [ -t 1 ]; then
    say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then
        as_root apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

postgres_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

redis_up() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

# Runs psql as the PostgreSQL superuser: over the local socket as the `postgres` system
# user where it exists (Debian's peer authentication), else over TCP.
psql_admin() {
    if id postgres >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@")
    else
        psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
    fi
}

ensure_postgres() {
    command -v pg_isready >/dev/null || ensure_packages postgresql postgresql-client
    if ! postgres_up; then
        ensure_packages postgresql
        local version
        version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$version" ]; then
            version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
            as_root pg_createcluster "$version" main >/dev/null
        fi
        say "starting PostgreSQL $version"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start \
            || die "cannot start PostgreSQL $version (see /var/log/postgresql/)"
        STARTED_POSTGRES=$version
        local i
        for i in $(seq 1 60); do postgres_up && break; sleep 0.5; done
        postgres_up || die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT"
    fi
    psql_admin -d postgres <<'SQL' || die "cannot create the financetracker role"
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'financetracker') THEN
        CREATE ROLE financetracker LOGIN CREATEDB PASSWORD 'financetracker';
    END IF;
END
$$;
SQL
    if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'financetracker'" | grep -q 1; then
        psql_admin -d postgres -c 'CREATE DATABASE financetracker OWNER financetracker' \
            || die "cannot create the financetracker database"
    fi
}

stop_postgres() {
    [ -n "$STARTED_POSTGRES" ] || return 0
    say "stopping PostgreSQL (this script started it)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$STARTED_POSTGRES" main stop || true
}

ensure_redis() {
    command -v redis-cli >/dev/null || ensure_packages redis-tools
    redis_up && return 0
    ensure_packages redis-server
    say "starting Redis"
    local dir=/var/lib/redis
    [ -w "$dir" ] || dir=$(mktemp -d)
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
        --save "" --appendonly no --dir "$dir" --logfile "$dir/financetracker-redis.log" \
        || die "cannot start Redis"
    STARTED_REDIS=1
    local i
    for i in $(seq 1 40); do redis_up && break; sleep 0.25; done
    redis_up || die "Redis did not answer PING on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
    [ -n "$STARTED_REDIS" ] || return 0
    say "stopping Redis (this script started it)"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

ensure_stores() {
    ensure_postgres
    ensure_redis
}

stop_stores() {
    stop_redis
    stop_postgres
}
