#!/usr/bin/env bash
# Checks a systemd unit (default: docs/deploy/keyhold.service) with `systemd-analyze verify`, which
# exits 0 even when it warns about unknown or misspelt directives: here any output is a failure.
# verify also insists that ExecStart's program exists, so /usr/local/bin/keyhold (where the npm
# package installs it) is pointed at this clone's bin/keyhold.mjs, the same program.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
unit="${1:-$root/docs/deploy/keyhold.service}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed "s|^ExecStart=/usr/local/bin/keyhold |ExecStart=$root/bin/keyhold.mjs |" "$unit" > "$tmp/keyhold.service"
if ! out="$(systemd-analyze verify "$tmp/keyhold.service" 2>&1)"; then
  printf '%s\n' "$out"
  exit 1
fi
if [ -n "$out" ]; then
  printf '%s\n' "$out"
  echo "systemd-analyze verify printed warnings for $unit: treated as errors"
  exit 1
fi
echo "$(basename "$unit"): systemd-analyze verify is clean"
