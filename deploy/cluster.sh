#!/usr/bin/env bash
# Runs three Switchboard nodes and one gateway on this machine, on PostgreSQL (and Redis when given).
#
#   deploy/cluster.sh start     start the nodes, wait until each is ready, then the gateway
#   deploy/cluster.sh status    the gateway's view of its destinations
#   deploy/cluster.sh stop      stop the gateway, then each node gracefully (each drains first)
#
# Settings (environment):
#   SWITCHBOARD           the command to run            (default: switchboard on PATH)
#   CLUSTER_ROOT          data, logs and pid files       (default: ./cluster)
#   CLUSTER_POSTGRES      the nodes' connection string   (default: loopback, database switchboard)
#   CLUSTER_REDIS         Redis for chat fan-out and presence across nodes (default: unset, chat stays per node)
#   CLUSTER_GATEWAY_PORT  where the gateway listens      (default: 8000)
#   CLUSTER_NODE_PORT     the first node's port; the others follow (default: 8081)
set -euo pipefail

SWITCHBOARD=${SWITCHBOARD:-switchboard}
ROOT=$(realpath -m "${CLUSTER_ROOT:-./cluster}")
POSTGRES=${CLUSTER_POSTGRES:-Host=127.0.0.1;Username=switchboard;Password=switchboard;Database=switchboard}
REDIS=${CLUSTER_REDIS:-}
GATEWAY_PORT=${CLUSTER_GATEWAY_PORT:-8000}
NODE_PORT=${CLUSTER_NODE_PORT:-8081}
NODES=3

wait_ready() { # url seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do
    if curl -fs -o /dev/null "$1/readyz" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "error: $1 is not ready after $2 s; see $ROOT/logs" >&2
  return 1
}

start_node() { # n
  local n=$1 port=$(( NODE_PORT + $1 - 1 )) data="$ROOT/node$1"
  mkdir -p "$data"
  # Every node signs and verifies with the same keys and serves the same uploads.
  [ -e "$data/keys" ] || ln -s "$ROOT/shared/keys" "$data/keys"
  local args=(serve --engine postgres --urls "http://127.0.0.1:$port" --data "$data"
    "--Storage:Postgres:ConnectionString=$POSTGRES"
    "--Files:Path=$ROOT/shared/files"
    "--Cluster:NodeId=node$n" "--Cluster:AdvertiseUrl=http://127.0.0.1:$port"
    "--Http:TrustedProxies:0=127.0.0.1")
  [ -z "$REDIS" ] || args+=("--Chat:Redis:Configuration=$REDIS")
  # shellcheck disable=SC2086
  nohup $SWITCHBOARD "${args[@]}" >"$ROOT/logs/node$n.log" 2>&1 &
  echo $! >"$ROOT/run/node$n.pid"
  wait_ready "http://127.0.0.1:$port" 60
  echo "node$n ready on http://127.0.0.1:$port"
}

start() {
  mkdir -p "$ROOT/logs" "$ROOT/run" "$ROOT/shared/keys" "$ROOT/shared/files"
  # The first node alone creates the keys and the admin (its log shows the admin's password once).
  start_node 1
  for n in $(seq 2 $NODES); do start_node "$n"; done
  # shellcheck disable=SC2086
  nohup $SWITCHBOARD gateway --urls "http://127.0.0.1:$GATEWAY_PORT" --discovery "$POSTGRES" \
    "--Gateway:Auth:JwksUrl=http://127.0.0.1:$NODE_PORT/.well-known/jwks.json" >"$ROOT/logs/gateway.log" 2>&1 &
  echo $! >"$ROOT/run/gateway.pid"
  wait_ready "http://127.0.0.1:$GATEWAY_PORT" 30
  echo "gateway ready on http://127.0.0.1:$GATEWAY_PORT (destinations: /gateway/destinations)"
}

stop_one() { # name
  local pidfile="$ROOT/run/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$pidfile"
  echo "$1 stopped"
}

stop() {
  stop_one gateway
  for n in $(seq 1 $NODES); do stop_one "node$n"; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) curl -fsS "http://127.0.0.1:$GATEWAY_PORT/gateway/destinations"; echo ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
