#!/bin/sh
# One command for a new machine: make sure Node.js >= 20.18 is here, install shipshape's dependencies,
# build it, and hand over to `shipshape setup` with every argument given (--yes, --dry-run,
# --docker …). Safe to run again: what is already in place is left alone.
#   macOS:          Node from Homebrew (brew install node).
#   Debian, Ubuntu: the distribution's nodejs when it is new enough, else instructions.
set -eu

# 20.18: undici (downloads through HTTPS_PROXY) needs it; package.json's engines says the same.
NODE_MIN=20
NODE_MIN_MINOR=18
cd "$(dirname "$0")"

say() { printf 'setup.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# "major.minor" of a version string (v20.18.1, 20.19.2+dfsg-1) is new enough.
new_enough() {
  major=$(printf '%s' "$1" | sed -n 's/^v\{0,1\}\([0-9]*\)\..*/\1/p')
  minor=$(printf '%s' "$1" | sed -n 's/^v\{0,1\}[0-9]*\.\([0-9]*\).*/\1/p')
  [ -n "$major" ] && [ -n "$minor" ] || return 1
  [ "$major" -gt "$NODE_MIN" ] || { [ "$major" -eq "$NODE_MIN" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

node_ok() { have node && new_enough "$(node --version 2>/dev/null)"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif have sudo; then sudo "$@"
  else die "needs root for: $* (run as root, or install sudo)"
  fi
}

manual_node() {
  die "Node.js >= $NODE_MIN.$NODE_MIN_MINOR is needed and $1. Install it from https://nodejs.org/en/download (or your package manager: nvm, fnm, NodeSource), then run ./setup.sh again."
}

ensure_node() {
  node_ok && return 0
  case "$(uname -s)" in
    Darwin)
      have brew || manual_node "Homebrew is not installed (https://brew.sh installs it)"
      say "installing Node.js with Homebrew"
      brew install node
      ;;
    Linux)
      have apt-get || manual_node "this system has no apt-get"
      say "looking for Node.js >= $NODE_MIN.$NODE_MIN_MINOR in the distribution's packages"
      as_root apt-get update -q >/dev/null
      candidate=$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: *//p')
      new_enough "${candidate#*:}" || manual_node "the distribution offers nodejs ${candidate:-(none)}"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
      ;;
    *) manual_node "$(uname -s) is not a system setup.sh knows" ;;
  esac
  node_ok || manual_node "'node' on PATH is still $(node --version 2>/dev/null || echo missing)"
}

ensure_node
have npm || die "npm is missing next to node $(node --version); install npm (Debian/Ubuntu: apt-get install npm)"

# npm ci only when the lock file differs from the one last installed, so a second run works offline.
stamp=node_modules/.shipshape-installed-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi
say "building"
npm run --silent build >&2

exec node dist/cli/shipshape.js setup "$@"
