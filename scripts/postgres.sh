#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL tests and bench/pg_workers.sh: a fresh data folder under
# $TMPDIR, listening on a free 127.0.0.1 port (password auth, scram-sha-256) and on a unix socket inside that
# folder, with one superuser `querykind` whose random password is only in the printed URL.
#
#   eval "$(scripts/postgres.sh start)"   # prints the two export lines below, progress goes to stderr
#   scripts/postgres.sh stop              # stops the server named by $QUERYKIND_TEST_POSTGRES_DIR, removes its folder
#
#   export QUERYKIND_TEST_POSTGRES_URL=postgres://querykind:PASSWORD@127.0.0.1:PORT/postgres
#   export QUERYKIND_TEST_POSTGRES_DIR=/tmp/querykind-pg.XXXXXX
#
# `start` reuses the cluster named by $QUERYKIND_TEST_POSTGRES_DIR when it is still running (so a second `start`
# in the same shell is harmless); `stop` with no cluster, or twice, does nothing. `stop DIR` names one explicitly.
# The server binaries (initdb, pg_ctl: Debian keeps them off PATH, in /usr/lib/postgresql/*/bin) come from Debian's
# `postgresql` package, installed with apt-get when missing. PostgreSQL refuses to run as root, so as root the
# cluster belongs to the `postgres` user that package creates. Durability is off (fsync, full-page writes: a crash
# only loses a cluster that is thrown away anyway) unless QUERYKIND_PG_DURABLE=1, which bench/pg_workers.sh sets
# so its figures are those of a real server.
set -euo pipefail

marker="querykind-throwaway-cluster"   # a file in every folder this script made: `stop` removes nothing else

log() { echo "postgres.sh: $*" >&2; }

# The newest /usr/lib/postgresql/N/bin that has initdb, installing the package first when there is none.
server_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | while read -r dir; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"; done | tail -n 1)
    if [ -z "$found" ]; then
        log "installing PostgreSQL (apt-get install postgresql)"
        local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql postgresql-client >&2
        found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    [ -n "$found" ] && [ -x "$found/initdb" ] || { log "no PostgreSQL server binaries found"; exit 1; }
    echo "$found"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    "$("$(dirname "$0")/python-env.sh")" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {  # DIR
    [ -f "$1/$marker" ] && [ -f "$1/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

start() {
    bin=$(server_bin)
    if [ -n "${QUERYKIND_TEST_POSTGRES_DIR:-}" ] && is_running "$QUERYKIND_TEST_POSTGRES_DIR" \
        && [ -f "$QUERYKIND_TEST_POSTGRES_DIR/env" ]; then
        log "reusing the running cluster in $QUERYKIND_TEST_POSTGRES_DIR"
        cat "$QUERYKIND_TEST_POSTGRES_DIR/env"
        return
    fi
    local dir password port durability=() attempt
    dir=$(mktemp -d "${TMPDIR:-/tmp}/querykind-pg.XXXXXX")
    touch "$dir/$marker"
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')   # hex: nothing to escape in a URL
    printf '%s\n' "$password" >"$dir/pwfile"
    mkdir "$dir/socket"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { log "no postgres user (is the postgresql package installed?)"; exit 1; }
        chown -R postgres: "$dir"
        chmod 700 "$dir"
    fi
    # Local (socket) connections are trusted: the socket lies in this private folder. TCP needs the password.
    as_owner "$bin/initdb" -D "$dir/data" -U querykind --pwfile="$dir/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    rm -f "$dir/pwfile"
    if [ "${QUERYKIND_PG_DURABLE:-0}" != "1" ]; then
        durability=(-c fsync=off -c full_page_writes=off -c synchronous_commit=off)
    fi
    local preload=()
    [ -f "$("$bin/pg_config" --pkglibdir 2>/dev/null || echo /nonexistent)/pg_stat_statements.so" ] \
        && preload=(-c shared_preload_libraries=pg_stat_statements)
    # A free port can be taken between finding it and binding it: try a few.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 15 -s \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir/socket' \
                -c max_connections=200 ${durability[*]} ${preload[*]}" start >&2; then
            break
        fi
        port=""
        tail -n 5 "$dir/server.log" >&2 || true
    done
    if [ -z "$port" ]; then
        log "the server did not start; see above"
        rm -rf "$dir"
        exit 1
    fi
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 || { log "not ready on port $port"; stop_dir "$dir"; exit 1; }
    {
        echo "export QUERYKIND_TEST_POSTGRES_URL=postgres://querykind:$password@127.0.0.1:$port/postgres"
        echo "export QUERYKIND_TEST_POSTGRES_DIR=$dir"
    } >"$dir/env"
    chmod 600 "$dir/env"
    log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir"
    cat "$dir/env"
}

stop_dir() {  # DIR: an immediate stop (nothing in a throwaway cluster needs a checkpoint), then the folder goes
    local dir="$1"
    if [ ! -f "$dir/$marker" ]; then
        [ -e "$dir" ] && log "$dir was not made by this script; leaving it"
        return 0
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 15 -s stop >&2 || true
    fi
    rm -rf "$dir"
}

stop() {
    local dir="${1:-${QUERYKIND_TEST_POSTGRES_DIR:-}}"
    if [ -z "$dir" ]; then log "no cluster to stop (QUERYKIND_TEST_POSTGRES_DIR is unset)"; return 0; fi
    bin=$(server_bin)
    stop_dir "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: $0 start | stop [DIR]" >&2; exit 64 ;;
esac
