#!/bin/bash
# Writes rabbitmq.conf from RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS / RABBITMQ_DEFAULT_VHOST
# (defaults guest/guest and "/"; the default user may log in from other hosts), then runs
# rabbitmq-server as user rabbitmq with its log on stdout.
set -euo pipefail

if [ "${1:-}" = rabbitmq-server ]; then
  conf=${RABBITMQ_CONFIG_FILE:-/etc/rabbitmq/rabbitmq.conf}
  {
    echo "loopback_users = none"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
    echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
    echo "default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}"
  } > "$conf"
  if [ "$(id -u)" = 0 ]; then
    chown rabbitmq:rabbitmq "$conf"
    chmod 600 "$conf"
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- "$@"
  fi
fi

exec "$@"
