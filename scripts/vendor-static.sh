#!/usr/bin/env bash
# Install the pinned front-end libraries from npm and copy the files we serve into the ignored static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/civicloop/static/vendor
if [ -f "$dest/.stamp" ] && [ "$dest/.stamp" -nt package-lock.json ]; then exit 0; fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
mkdir -p "$dest"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/bootstrap.min.css"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap.bundle.min.js"
cp node_modules/idb/build/umd.js "$dest/idb.umd.js"  # IndexedDB with promises: the field app's outbox
touch "$dest/.stamp"
