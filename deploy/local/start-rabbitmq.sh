#!/usr/bin/env bash
# Starts Debian's RabbitMQ without systemd, with the management plugin (used by ops and
# by the system tests to create one virtual host per test), and creates the user and
# virtual host corp-notifier uses.
#   RABBITMQ_USER (corp_notifier)  RABBITMQ_PASSWORD (corp_notifier)  RABBITMQ_VHOST (corp-notifier)
set -euo pipefail
RABBITMQ_USER=${RABBITMQ_USER:-corp_notifier}
RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-corp_notifier}
RABBITMQ_VHOST=${RABBITMQ_VHOST:-corp-notifier}

if ! rabbitmqctl -q status >/dev/null 2>&1; then
  rabbitmq-plugins --offline enable rabbitmq_management rabbitmq_shovel rabbitmq_shovel_management >/dev/null
  rabbitmq-server -detached
fi
for _ in $(seq 1 30); do
  rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1 && break
  sleep 1
done
rabbitmqctl -q await_startup --timeout 10
rabbitmq-plugins -q is_enabled rabbitmq_management >/dev/null 2>&1 \
  || rabbitmq-plugins -q enable rabbitmq_management rabbitmq_shovel rabbitmq_shovel_management >/dev/null

if ! rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$RABBITMQ_USER"; then
  rabbitmqctl -q add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
fi
rabbitmqctl -q set_user_tags "$RABBITMQ_USER" administrator
if ! rabbitmqctl -q list_vhosts | grep -qx "$RABBITMQ_VHOST"; then
  rabbitmqctl -q add_vhost "$RABBITMQ_VHOST"
fi
rabbitmqctl -q set_permissions -p "$RABBITMQ_VHOST" "$RABBITMQ_USER" ".*" ".*" ".*"

for _ in $(seq 1 60); do
  curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" http://127.0.0.1:15672/api/overview >/dev/null 2>&1 && break
  sleep 1
done
echo "amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@127.0.0.1:5672/$RABBITMQ_VHOST"
