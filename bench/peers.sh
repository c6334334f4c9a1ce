#!/usr/bin/env bash
# Starts the benchmark's peer systems on loopback, each on its own port with its own data directory:
#   RabbitMQ 127.0.0.1:5680 (classic and quorum queues), NATS (JetStream, file storage) 127.0.0.1:4230,
#   Redis (AOF, appendfsync always) 127.0.0.1:6380 and a second Redis (AOF, appendfsync everysec) 127.0.0.1:6381.
# Usage: bench/peers.sh install | start | stop | status
# `stop` ends only the processes this script started (their PID files under $BENCH_PEERS_DIR).
set -euo pipefail

DIR="${BENCH_PEERS_DIR:-/tmp/switchboard-bench-peers}"
RABBIT_PORT=5680
NATS_PORT=4230
REDIS_PORT=6380
REDIS_EVERYSEC_PORT=6381

install() {
  apt-cache policy rabbitmq-server nats-server redis-server | grep -E '^[a-z]|Candidate'
  DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server nats-server redis-server wrk
}

wait_port() { # port, name, seconds
  for _ in $(seq 1 "$3"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "$2 did not open 127.0.0.1:$1 in $3 s; see $DIR/$2/*.log" >&2
  return 1
}

running() { [[ -f "$DIR/$1.pid" ]] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

start_rabbitmq() {
  running rabbitmq && { echo "rabbitmq already running"; return; }
  local d="$DIR/rabbitmq"
  rm -rf "$d" && mkdir -p "$d"
  # Its own node name, epmd port, distribution port, cookie (HOME) and directories, so it touches nothing else.
  cat > "$d/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$RABBIT_PORT
loopback_users.guest = true
CONF
  (
    export HOME="$d" RABBITMQ_NODENAME=bench@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$RABBIT_PORT \
      RABBITMQ_DIST_PORT=25680 ERL_EPMD_PORT=4380 ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
      RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" \
      RABBITMQ_PID_FILE="$d/rabbit.pid"
    echo '[].' > "$d/enabled_plugins"
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$d/server.log" 2>&1 &
    echo $! > "$DIR/rabbitmq.pid"
  )
  wait_port $RABBIT_PORT rabbitmq 90
  echo "rabbitmq=$(dpkg-query -W -f='${Version}' rabbitmq-server) (erlang $(dpkg-query -W -f='${Version}' erlang-base 2>/dev/null || echo ?))" >> "$DIR/versions.txt"
}

start_nats() {
  running nats && { echo "nats already running"; return; }
  local d="$DIR/nats"
  rm -rf "$d" && mkdir -p "$d/store"
  # sync_interval: always (fsync every write) exists from nats-server 2.10; older servers refuse the key, and then
  # JetStream runs with its default (writes reach the OS at once, fsync every 2 minutes).
  cat > "$d/nats.conf" <<CONF
listen: 127.0.0.1:$NATS_PORT
jetstream { sync_interval: always }
CONF
  local mode="sync_interval always"
  if ! nats-server -c "$d/nats.conf" -t > "$d/configtest.log" 2>&1; then
    mode="default sync (2 min); this version has no sync_interval"
    cat > "$d/nats.conf" <<CONF
listen: 127.0.0.1:$NATS_PORT
jetstream: enabled
CONF
  fi
  setsid nats-server -c "$d/nats.conf" -js -sd "$d/store" -l "$d/server.log" > /dev/null 2>&1 &
  echo $! > "$DIR/nats.pid"
  wait_port $NATS_PORT nats 20
  echo "nats=$(nats-server --version | sed 's/^nats-server: //') ($mode)" >> "$DIR/versions.txt"
}

start_redis() { # name, port, appendfsync policy
  local name=$1 port=$2 policy=$3
  running "$name" && { echo "$name already running"; return; }
  local d="$DIR/$name"
  rm -rf "$d" && mkdir -p "$d"
  setsid redis-server --bind 127.0.0.1 --port "$port" --dir "$d" --appendonly yes --appendfsync "$policy" --save '' \
    --protected-mode yes --logfile "$d/server.log" --pidfile "$d/redis.pid" > /dev/null 2>&1 &
  echo $! > "$DIR/$name.pid"
  wait_port "$port" "$name" 20
  echo "$name=$(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') (appendfsync $policy)" >> "$DIR/versions.txt"
}

stop_one() {
  local name=$1
  [[ -f "$DIR/$name.pid" ]] || return 0
  local pid; pid=$(cat "$DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    # setsid made the PID a process-group leader: end its group (for RabbitMQ: the script, beam and epmd).
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/$name.pid"
  if [[ $name == rabbitmq ]]; then
    # epmd daemonises out of the group; this one listens on our own port only.
    ERL_EPMD_PORT=4380 ERL_EPMD_ADDRESS=127.0.0.1 epmd -kill > /dev/null 2>&1 || true
  fi
  echo "stopped $name"
}

case "${1:-}" in
  install) install ;;
  start)
    mkdir -p "$DIR"
    : > "$DIR/versions.txt"
    start_redis redis $REDIS_PORT always
    start_redis redis-everysec $REDIS_EVERYSEC_PORT everysec
    start_nats
    start_rabbitmq
    cat "$DIR/versions.txt"
    ;;
  stop) for n in rabbitmq nats redis redis-everysec; do stop_one $n; done ;;
  status) for n in rabbitmq nats redis redis-everysec; do if running $n; then echo "$n running ($(cat "$DIR/$n.pid"))"; else echo "$n stopped"; fi; done ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
