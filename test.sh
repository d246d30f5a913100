#!/usr/bin/env bash
# Runs every test of corp-notifier on a fresh Debian machine with the .NET 10 SDK:
# installs and starts PostgreSQL, RabbitMQ and a private dovecot IMAP server when they are missing, and Chromium for the
# console's browser tests (deploy/local/), builds, checks formatting, publishes the service
# (framework-dependent, and self-contained for linux-x64), runs the unit, integration, system and
# browser tests, and packs the contracts. Exits non-zero on any failure.
#   CONFIGURATION (Release)   TEST_FILTER (none; e.g. "Category!=System")
set -euo pipefail
cd "$(dirname "$0")"
configuration=${CONFIGURATION:-Release}

echo "== services"
deploy/local/install.sh
postgres=$(deploy/local/start-postgres.sh | tail -n 1)
amqp=$(deploy/local/start-rabbitmq.sh | tail -n 1)
# The bounce mailbox the delivery tests append notifications to and the service reads.
imap=$(deploy/local/start-dovecot.sh | tail -n 1)
export CORP_TEST_IMAP="$imap"

# The system tests create one database and one virtual host per test, so they get an
# address with rights to do that rather than the service's own database and vhost.
export CORP_TEST_POSTGRES="${postgres%;Database=*};Database=postgres"
export CORP_TEST_RABBITMQ="${amqp%/*}/"
export CORP_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:15672"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The fault, outage, bad-input and log suites append their figures here; printed at the end.
mkdir -p artifacts
export CORP_TEST_FIGURES="$PWD/artifacts/test-figures.txt"
rm -f "$CORP_TEST_FIGURES"

echo "== build ($configuration)"
dotnet restore CorpNotifier.sln
dotnet build CorpNotifier.sln -c "$configuration" --no-restore

echo "== format"
dotnet format CorpNotifier.sln --verify-no-changes --no-restore

echo "== deploy files"
deploy/check.sh

echo "== publish"
# The two deployable forms (deploy/README.md, "Published builds"); PublishedOutputTests start each
# from another folder. Framework-dependent and portable, as the image and the systemd unit run it
# (from the build above); self-contained for linux-x64, which needs that runtime's packs restored.
rm -rf artifacts/publish
dotnet publish src/CorpNotifier -c "$configuration" --no-build -p:UseAppHost=false -o artifacts/publish/framework-dependent
dotnet restore src/CorpNotifier -r linux-x64
dotnet publish src/CorpNotifier -c "$configuration" --no-restore -r linux-x64 --self-contained true -o artifacts/publish/linux-x64
export CORP_TEST_PUBLISHED_FDD="$PWD/artifacts/publish/framework-dependent"
export CORP_TEST_PUBLISHED_SCD="$PWD/artifacts/publish/linux-x64"

echo "== tests"
filter=()
[ -n "${TEST_FILTER:-}" ] && filter=(--filter "$TEST_FILTER")
dotnet test CorpNotifier.sln -c "$configuration" --no-build "${filter[@]}"

if [ -s "$CORP_TEST_FIGURES" ]; then
  echo "== figures (system tests)"
  cat "$CORP_TEST_FIGURES"
fi

echo "== contracts package"
dotnet pack contracts/CorpNotifier.Contracts -c "$configuration" --no-build -o artifacts/packages
ls artifacts/packages

echo "== producers' test kit (and the service's engine it runs)"
dotnet pack src/CorpNotifier -c "$configuration" --no-build -o artifacts/packages
dotnet pack contracts/CorpNotifier.Testing -c "$configuration" --no-build -o artifacts/packages
contracts/check-testkit.sh "$configuration"
