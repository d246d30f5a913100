#!/usr/bin/env bash
# Installs PostgreSQL, RabbitMQ, dovecot's IMAP server (the bounce mailbox of the delivery tests,
# started privately by start-dovecot.sh) and Python's cryptography package from Debian's packages when
# they are missing, the two tools deploy/check.sh uses: docker-compose and systemd-analyze, and
# the Chromium the console's browser tests drive (tests/CorpNotifier.UiTests).
# Safe to run again: it does nothing when all are installed.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
[ -x /usr/lib/dovecot/imap ] || need+=(dovecot-imapd)
# The secrets tests make Fernet tokens with Python's cryptography package, as producers do.
/usr/bin/python3 -c "import cryptography" >/dev/null 2>&1 || need+=(python3-cryptography)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
# docker-compose validates deploy/compose.yaml only (`config`): without its recommended
# packages, which would bring a container engine (docker.io) nothing here uses.
bare=()
command -v docker-compose >/dev/null 2>&1 || bare+=(docker-compose)
# Chromium runs headless only: without its recommended desktop packages (upower, notification
# daemon, printer settings). Its dependencies bring fontconfig and a font with Cyrillic (DejaVu).
[ -x /usr/bin/chromium ] || bare+=(chromium)

if [ ${#need[@]} -gt 0 ] || [ ${#bare[@]} -gt 0 ]; then
  echo "installing: ${need[*]} ${bare[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ ${#bare[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${bare[@]}" >/dev/null
  fi
fi
