#!/usr/bin/env bash
# Benchmarks (not part of CI): rewrites docs/benchmarks.md. BENCH_SCALE / BENCH_ONLY=step1,step2 narrow a run;
# BENCH_DATABASES=postgresql runs one database; BENCH_KEEP_PG=1 leaves its server and data for measuring by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/run.py
