# voicebot + Asterisk 22 in one image (Debian sid: the only Debian with Asterisk packaged).
#
#   docker build -t voicebot .
#   docker run --network host -e VOICEBOT_SIP_BIND=192.168.1.10 \
#       -v voicebot-data:/var/lib/voicebot voicebot
#
# Asterisk and voicebot run side by side under tini (-g: SIGTERM reaches both). Secrets for
# AMI and the test endpoints are generated on first start into /var/lib/voicebot/secrets.
# Speech models come from PyPI/npm packages at build time; nothing is fetched at run time.
FROM debian:sid-slim

# (DL3064: VOICEBOT_SECRETS_DIR is a directory path, not a secret)
# hadolint ignore=DL3064
ENV DEBIAN_FRONTEND=noninteractive \
    PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
    VOICEBOT_CONFIG=/etc/voicebot/voicebot.toml \
    VOICEBOT_SECRETS_DIR=/var/lib/voicebot/secrets \
    PATH=/opt/venv/bin:$PATH

# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      asterisk asterisk-core-sounds-en ca-certificates npm python3 python3-venv tini \
 && rm -rf /var/lib/apt/lists/* \
 && mv /etc/asterisk /etc/asterisk.dist && mkdir /etc/asterisk

WORKDIR /opt/voicebot
COPY pyproject.toml README.md ./
COPY voicebot ./voicebot
# (DL3013: installs this package; its dependencies are pinned to ranges in pyproject.toml)
# hadolint ignore=DL3013
RUN python3 -m venv /opt/venv && pip install --no-cache-dir ".[speech]"

COPY scripts ./scripts
COPY asterisk-config ./asterisk-config
COPY dialplan ./dialplan
COPY examples ./examples
COPY docker/voicebot.toml /etc/voicebot/voicebot.toml
COPY docker/entrypoint.sh /usr/local/bin/voicebot-entrypoint
RUN scripts/fetch-kokoro-voices /opt/voicebot/models/kokoro-voices \
 && voicebot models prepare \
 && npm cache clean --force

# SIP, RTP (rtp.conf: 10000-20000), HTTP API
EXPOSE 5060/udp 10000-20000/udp 8765/tcp
VOLUME ["/var/lib/voicebot"]
ENTRYPOINT ["tini", "-g", "--", "voicebot-entrypoint"]
CMD ["serve"]
