#!/usr/bin/env bash
# Starts a private dovecot IMAP server for the bounce mailbox the tests read (Deliveries:Imap):
# its own configuration, state and maildir under DOVECOT_STATE, plain authentication on
# 127.0.0.1 only, one passwd-file user, a free port. Not the system's instance and not a systemd
# unit: nothing is touched outside DOVECOT_STATE. Safe to run again: a running one is reused.
# Prints its address last: imap://USER:PASSWORD@127.0.0.1:PORT
#   DOVECOT_STATE (/tmp/corp-notifier-dovecot)  DOVECOT_USER (bounces)  DOVECOT_PASSWORD (bounces)
set -euo pipefail
state=${DOVECOT_STATE:-/tmp/corp-notifier-dovecot}
user=${DOVECOT_USER:-bounces}
password=${DOVECOT_PASSWORD:-bounces}
dovecot=/usr/sbin/dovecot

mkdir -p "$state/run" "$state/lib" "$state/mail"
chmod 755 "$state" "$state/run"
config="$state/dovecot.conf"

# True when an IMAP greeting comes from the port within two seconds.
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && head -c 4 <&3 | grep -q '^\\* OK'" 2>/dev/null; }

if [ -f "$state/port" ] && [ -f "$state/run/master.pid" ] && kill -0 "$(cat "$state/run/master.pid")" 2>/dev/null \
  && answers "$(cat "$state/port")"; then
  echo "imap://$user:$password@127.0.0.1:$(cat "$state/port")"
  exit 0
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
echo "$port" > "$state/port"
# Dovecot's login and mail processes never run as root: as root, they use the package's own
# unprivileged users (dovenull for logins, dovecot for the rest and the mail files).
if [ "$(id -u)" -eq 0 ]; then
  me=dovecot; group=dovecot; login=dovenull
  chown -R dovecot:dovecot "$state/mail"
else
  me=$(id -un); group=$(id -gn); login=$me
fi
printf '%s:{PLAIN}%s::::::\n' "$user" "$password" > "$state/users"
chmod 644 "$state/users"

cat > "$config" <<CONF
# Written by deploy/local/start-dovecot.sh: a private instance for tests.
base_dir = $state/run
state_dir = $state/lib
instance_name = corp-notifier-dovecot-$port
log_path = $state/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $me
default_internal_group = $group
default_login_user = $login
mail_location = maildir:$state/mail/%u
mail_uid = $me
mail_gid = $group
first_valid_uid = $(id -u "$me")
first_valid_gid = $(id -g "$me")
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN $state/users
}
userdb {
  driver = static
  args = home=$state/mail/%u
}
service imap-login {
  chroot =
  user = $login
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
CONF

"$dovecot" -c "$config"
for _ in $(seq 1 30); do
  answers "$port" && break
  sleep 0.5
done
answers "$port" || { echo "dovecot did not start; see $state/dovecot.log" >&2; tail -n 20 "$state/dovecot.log" >&2 || true; exit 1; }
echo "imap://$user:$password@127.0.0.1:$port"
