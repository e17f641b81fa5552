#!/usr/bin/env bash
# Installs what the tests need beyond Go modules: Debian's Chromium for the
# browser tests. Does nothing when it is already there.
set -euo pipefail
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -n "${HANDBOOK_CHROMIUM:-}" ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "installing chromium for the browser tests" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
