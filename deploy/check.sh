#!/usr/bin/env bash
# Static checks of the deployment files: nothing is built, pulled or started, so no container
# engine, registry or cluster is needed. test.sh runs it; deploy/local/install.sh installs
# the two tools. Exits non-zero on the first failure.
#   compose.yaml                   docker-compose config: schema, references, interpolation
#   systemd/corp-notifier.service  systemd-analyze verify: directives, values, ExecStart
# What the files say (probes, security settings, configuration keys, the Dockerfile, the
# Grafana dashboard and the Prometheus alerting rules against a real scrape of GET /metrics) is
# checked by the unit tests in tests/CorpNotifier.Tests/Deploy/.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "deploy/compose.yaml: docker-compose $(docker-compose version --short) config"
# The ${...} values compose.yaml takes from deploy/.env come from the example (placeholders).
docker-compose --env-file deploy/compose.env.example -f deploy/compose.yaml config -q

unit=deploy/systemd/corp-notifier.service
echo "$unit: systemd-analyze verify"
# verify needs ExecStart's program to exist. The unit runs /usr/bin/dotnet; where the runtime
# is elsewhere (an SDK under /usr/share/dotnet or ~/.dotnet only), a copy that names the
# dotnet on PATH is verified instead, every other line unchanged.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target=$unit
if [ ! -x /usr/bin/dotnet ]; then
  dotnet=$(command -v dotnet) || { echo "$unit: no dotnet on PATH to stand in for /usr/bin/dotnet" >&2; exit 1; }
  sed "s#^ExecStart=/usr/bin/dotnet #ExecStart=$dotnet #" "$unit" > "$work/corp-notifier.service"
  target=$work/corp-notifier.service
  echo "  /usr/bin/dotnet is not here: verifying a copy whose ExecStart runs $dotnet"
fi
# verify exits 0 on an unknown directive or a bad value (it only prints them): any output fails.
status=0
output=$(systemd-analyze verify "$target" 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$output" ]; then
  echo "$output" >&2
  echo "$unit: systemd-analyze verify failed" >&2
  exit 1
fi
echo "deploy files: ok"
