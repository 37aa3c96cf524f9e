#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, unless a Chromium is already there.
# The tests drive it with playwright-core (no browser download: this project never fetches
# browsers from the internet). Set HEARTH_CHROMIUM to use another binary instead.
set -euo pipefail
if [[ -n "${HEARTH_CHROMIUM:-}" && -x "${HEARTH_CHROMIUM}" ]]; then exit 0; fi
for bin in /usr/bin/chromium /usr/bin/chromium-browser; do
  [[ -x "$bin" ]] && exit 0
done
if ! command -v apt-get >/dev/null; then
  echo "Chromium is missing and this is not a Debian-like system: install Chromium and set HEARTH_CHROMIUM to its path." >&2
  exit 1
fi
SUDO=""
[[ "$(id -u)" != 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
