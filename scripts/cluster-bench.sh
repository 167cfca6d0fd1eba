#!/usr/bin/env bash
# `make cluster-bench`: the cluster bench of issue 20 (bench/cluster_bench.py) on a fresh loopback cluster with
# demo data (CLUSTER_DEMO_SCALE, default 0.02), then the cluster stopped. Figures: stdout and var/cluster-bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export CIVICLOOP_PY="${CIVICLOOP_PY:-$PWD/.venv/bin/python}"
export CLUSTER_DEMO_SCALE="${CLUSTER_DEMO_SCALE:-0.02}"
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT
scripts/cluster.sh up
# shellcheck disable=SC1091
source var/cluster/env
timeout "${BENCH_TIMEOUT:-1200}" "$CIVICLOOP_PY" bench/cluster_bench.py
