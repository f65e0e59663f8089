# Sourced inside `pg_virtualenv` (PG* point at its throwaway cluster): starts a streaming replica of that
# cluster on a spare port, exports TEST_POSTGRES_REPLICA_URL for tests/postgres.rs, and stops and removes
# the replica when the sourcing script exits. The cluster keeps its settings in /etc (Debian), so the
# copy gets a postgresql.conf and pg_hba.conf of its own.

# Runs a command as the cluster's owner (postgres refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$PG_REPLICA_OWNER" -- env PGPASSWORD="$PGPASSWORD" "$@"; else "$@"; fi
}

pg_replica_stop() {
  [ -n "${PG_REPLICA_DIR:-}" ] || return 0
  pg_as_owner "$PG_REPLICA_BIN/pg_ctl" -D "$PG_REPLICA_DIR/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$PG_REPLICA_DIR"
}

pg_replica_start() {
  local datadir port
  datadir=$(psql -Atc 'show data_directory')
  PG_REPLICA_OWNER=$(stat -c %U "$datadir")
  PG_REPLICA_BIN=$("${PG_CONFIG:-pg_config}" --bindir)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  PG_REPLICA_DIR=$(mktemp -d /tmp/tw-replica.XXXXXX)
  chown "$PG_REPLICA_OWNER" "$PG_REPLICA_DIR"
  chmod 700 "$PG_REPLICA_DIR"
  pg_as_owner "$PG_REPLICA_BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$PG_REPLICA_DIR/data" -R -X stream
  pg_as_owner tee "$PG_REPLICA_DIR/data/postgresql.conf" > /dev/null <<CONF
port = $port
listen_addresses = 'localhost'
unix_socket_directories = '$PG_REPLICA_DIR'
hot_standby = on
CONF
  pg_as_owner tee "$PG_REPLICA_DIR/data/pg_hba.conf" > /dev/null <<CONF
local all all peer
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
CONF
  trap pg_replica_stop EXIT
  pg_as_owner "$PG_REPLICA_BIN/pg_ctl" -D "$PG_REPLICA_DIR/data" -l "$PG_REPLICA_DIR/log" -w start > /dev/null || {
    echo "the replica did not start:"; cat "$PG_REPLICA_DIR/log"; return 1; }
  export TEST_POSTGRES_REPLICA_URL="postgres://$PGUSER:$PGPASSWORD@localhost:$port/$PGDATABASE"
  echo "streaming replica on port $port"
}
