#!/usr/bin/env bash
# Runs the benchmarks of corp-notifier (tests/CorpNotifier.Benchmarks) against real PostgreSQL and
# RabbitMQ: installs and starts them as test.sh does (deploy/local/), builds the service and the
# benchmarks, runs every scenario, prints the figures and rewrites the figures part of
# docs/benchmarks.md. Exits non-zero when a letter was lost or duplicated or a scenario could not
# finish. About 15 minutes on 2 cores with the defaults.
#   CONFIGURATION (Release)
#   BENCH_* counts and durations, as variables or as NAME=value arguments, e.g.
#     ./bench.sh BENCH_SCENARIOS=raw,intake BENCH_INTAKE_EVENTS=5000
#     (every one is listed in tests/CorpNotifier.Benchmarks/Hosting/BenchSettings.cs)
#   BENCH_SVC_{Key} an extra setting for every service under benchmark, e.g. BENCH_SVC_Dispatch__Interval=00:00:01
set -euo pipefail
cd "$(dirname "$0")"
configuration=${CONFIGURATION:-Release}
started=$(date +%s)

echo "== services"
deploy/local/install.sh
postgres=$(deploy/local/start-postgres.sh | tail -n 1)
amqp=$(deploy/local/start-rabbitmq.sh | tail -n 1)

# Each scenario creates its own database and virtual host, so the benchmarks get an address with
# rights to do that rather than the service's own database and vhost (as the system tests do).
export BENCH_POSTGRES="${postgres%;Database=*};Database=postgres"
export BENCH_RABBITMQ="${amqp%/*}/"
export BENCH_RABBITMQ_MANAGEMENT="http://127.0.0.1:15672"
export BENCH_CONFIGURATION="$configuration"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build ($configuration)"
dotnet build src/CorpNotifier -c "$configuration" -v quiet -nologo
dotnet build tests/CorpNotifier.Benchmarks -c "$configuration" -v quiet -nologo

echo "== benchmarks"
status=0
dotnet "tests/CorpNotifier.Benchmarks/bin/$configuration/net10.0/CorpNotifier.Benchmarks.dll" "$@" || status=$?
echo "== bench.sh took $(( $(date +%s) - started )) s (exit $status)"
exit $status
