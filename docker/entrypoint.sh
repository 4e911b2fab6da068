#!/bin/sh
# Start Asterisk with voicebot's configuration, wait until it is fully booted, then run
# voicebot (default: `voicebot serve`) in the foreground.
set -eu
mkdir -p /var/lib/voicebot/data "$VOICEBOT_SECRETS_DIR"
/opt/voicebot/scripts/asterisk configure /etc/asterisk
mkdir -p /run/asterisk
chown asterisk:asterisk /run/asterisk /var/log/asterisk /var/lib/asterisk /var/spool/asterisk
asterisk -f -U asterisk -G asterisk &
i=0
until asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 150 ] || { echo "asterisk did not start" >&2; exit 1; }
  sleep 0.2
done
exec voicebot "$@"
