#!/bin/sh
# One command for a new machine. First shipshape itself: a Node.js new enough (the machine's own, or
# one downloaded, verified and kept in shipshape's data folder), its dependencies and build when they
# changed, and the `shipshape` command in ~/.local/bin for every new terminal. Then `shipshape setup`
# with every argument given (--yes, --dry-run, --docker …): the plan for the machine, which a dry run
# only shows. Safe to run again: what is in place is used as it is, without the network.
# Run as `sudo ./setup.sh`, shipshape's own files are installed as the user who ran sudo; only the
# machine's plan runs as root.
set -eu

# 20.18: undici (downloads through HTTPS_PROXY) needs it; package.json's engines says the same.
NODE_MIN=20
NODE_MIN_MINOR=18
# The Node setup.sh installs where the machine has none new enough: Node.js 26 "Lithium", the
# current LTS, supported until 2029-04-30 (the Node.js Release schedule).
NODE_VERSION=26.12.1
# The Node.js release keys that must sign SHASUMS256.txt.asc, one binary keyring (`gpg --export`
# form, which gpgv, sqv and gpg read); keys/README.md says where they come from, with fingerprints.
NODE_KEYS=keys/node-release-keys.gpg
# Where Node is downloaded from; a corporate mirror with the same layout may stand in.
NODE_MIRROR=${SHIPSHAPE_NODE_MIRROR:-https://nodejs.org/dist}
NODE_MIRROR=${NODE_MIRROR%/}

cd "$(dirname "$0")"
here=$(pwd -P)
tmp=''
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

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

# --- the tools a download needs ----------------------------------------------------------------

have_verifier() { have gpgv || have sqv || have gpg; }

# curl (else wget) to download, gpgv to check Node's signature, and libatomic1, which Node's Linux
# builds load (a minimal Debian or Ubuntu lacks it): on Debian and Ubuntu, what is missing comes from
# apt. Elsewhere (a new Mac has curl and no verifier) nothing is installed here.
ensure_fetch_tools() {
  have apt-get || return 0
  pkgs=''
  have curl || have wget || pkgs=' curl ca-certificates'
  have_verifier || pkgs="$pkgs gpgv"
  dpkg-query -W -f '${Status}' libatomic1 2>/dev/null | grep -q 'ok installed' || pkgs="$pkgs libatomic1"
  [ -n "$pkgs" ] || return 0
  say "installing${pkgs} with apt, to download Node.js, check its signature and run it"
  as_root apt-get update -q >/dev/null
  # shellcheck disable=SC2086 # a list of package names
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >/dev/null
}

# fetch URL FILE: bounded in time, through HTTPS_PROXY/NO_PROXY as curl and wget read them.
fetch() {
  if have curl; then
    curl -fsS -L --proto '=https,http' --proto-redir '=https' --connect-timeout 20 --max-time 900 --retry 2 -o "$2" "$1" 2>"$tmp/fetch.err" && return 0
  elif have wget; then
    # wget reads only the lowercase names.
    (
      [ -n "${https_proxy:-}" ] || [ -z "${HTTPS_PROXY:-}" ] || export https_proxy="$HTTPS_PROXY"
      [ -n "${http_proxy:-}" ] || [ -z "${HTTP_PROXY:-}" ] || export http_proxy="$HTTP_PROXY"
      [ -n "${no_proxy:-}" ] || [ -z "${NO_PROXY:-}" ] || export no_proxy="$NO_PROXY"
      wget -q -T 30 -t 3 -O "$2" "$1" 2>"$tmp/fetch.err"
    ) && return 0
  else
    die "cannot download Node.js: neither curl nor wget is installed (install one, or Node.js >= $NODE_MIN.$NODE_MIN_MINOR, then run ./setup.sh again)"
  fi
  die "cannot download $1: $(tail -n 1 "$tmp/fetch.err" 2>/dev/null || true); nothing was installed"
}

sha256() {
  if have sha256sum; then sha256sum "$1" | cut -d ' ' -f 1
  elif have shasum; then shasum -a 256 "$1" | cut -d ' ' -f 1
  else openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  fi
}

# Writes the text SHASUMS256.txt.asc's signature covers to $tmp/SHASUMS256.txt, and only that: the
# checksum is taken from what a Node.js release key signed, never from an unsigned copy.
signed_sums() {
  keys="$here/$NODE_KEYS"
  asc="$tmp/SHASUMS256.txt.asc"
  out="$tmp/SHASUMS256.txt"
  fetch "$NODE_MIRROR/v$NODE_VERSION/SHASUMS256.txt.asc" "$asc"
  if have gpgv; then
    gpgv --keyring "$keys" --output "$out" "$asc" 2>"$tmp/verify.log" && return 0
  elif have sqv; then
    sqv --keyring "$keys" --output "$out" --cleartext "$asc" 2>"$tmp/verify.log" && return 0
  else
    mkdir -m 700 "$tmp/gnupg"
    gpg --batch --homedir "$tmp/gnupg" --no-default-keyring --keyring "$keys" --trust-model always \
      --output "$out" --decrypt "$asc" 2>"$tmp/verify.log" && return 0
  fi
  rm -f "$out"
  die "refusing Node.js $NODE_VERSION: SHASUMS256.txt.asc is not signed by a Node.js release key in $NODE_KEYS ($(grep -v '^\(gpgv\|gpg\): \(Signature made\|using\|  \)' "$tmp/verify.log" | tail -n 1)); nothing was installed"
}

# Only where no verifier can be had (a new Mac): the checksum over HTTPS, said plainly, and never
# from a mirror reached without TLS.
unsigned_sums() {
  say "WARNING: no gpgv, sqv or gpg here, so the signature on Node's checksums was NOT checked; the checksum comes over HTTPS from $NODE_MIRROR"
  fetch "$NODE_MIRROR/v$NODE_VERSION/SHASUMS256.txt" "$tmp/SHASUMS256.txt"
}

# --- shipshape's own Node ------------------------------------------------------------------------

# node-v26.12.1-linux-x64, …-darwin-arm64: the release's name for this OS and CPU (WSL is Linux).
node_dist() {
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) die "Node.js >= $NODE_MIN.$NODE_MIN_MINOR is needed and setup.sh knows no Node.js build for $(uname -s); install one, then run ./setup.sh again" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) cpu=x64 ;;
    aarch64 | arm64) cpu=arm64 ;;
    *) die "Node.js >= $NODE_MIN.$NODE_MIN_MINOR is needed and setup.sh knows no Node.js build for $(uname -m); install one, then run ./setup.sh again" ;;
  esac
  # A shell under Rosetta says x86_64 on an Apple silicon Mac, which runs the arm64 build natively.
  [ "$os" != darwin ] || [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" != 1 ] || cpu=arm64
  printf 'node-v%s-%s-%s' "$NODE_VERSION" "$os" "$cpu"
}

# `current` is replaced by a rename, so the launcher and scheduled jobs never see it missing.
switch_current() {
  "$nodes/$1/bin/node" -e 'const fs = require("fs"); const [target, link] = process.argv.slice(1);
    fs.rmSync(link + ".new", { force: true }); fs.symlinkSync(target, link + ".new"); fs.renameSync(link + ".new", link)' \
    "$1" "$nodes/current"
}

# Downloads NODE_VERSION to a temporary folder beside its place, verifies it, unpacks it, then
# renames it into place: an interrupted run leaves nothing half-installed, and a second run finds it.
private_node() {
  nodes="${XDG_DATA_HOME:-$HOME/.local/share}/shipshape/node"
  dist=$(node_dist)
  why=$(if have node; then echo "node $(node --version 2>/dev/null) on PATH is older than $NODE_MIN.$NODE_MIN_MINOR"; else echo 'no node on PATH'; fi)
  if [ "$("$nodes/$dist/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
    say "$why: using shipshape's own Node.js $NODE_VERSION in $nodes"
    switch_current "$dist"
    return 0
  fi
  say "$why: installing Node.js $NODE_VERSION for shipshape alone in $nodes (the system's node is left alone)"
  mkdir -p "$nodes"
  chmod 700 "$nodes/.."
  rm -rf "$nodes"/.download-*
  tmp=$(mktemp -d "$nodes/.download-XXXXXX")
  ensure_fetch_tools
  case "$(have_verifier && echo yes)$NODE_MIRROR" in
    yes* | https://*) ;;
    *) die "no gpgv, sqv or gpg here to check Node's signature, and $NODE_MIRROR is not HTTPS: refusing an unchecked download" ;;
  esac
  say "downloading $NODE_MIRROR/v$NODE_VERSION/$dist.tar.gz"
  fetch "$NODE_MIRROR/v$NODE_VERSION/$dist.tar.gz" "$tmp/$dist.tar.gz"
  if have_verifier; then
    signed_sums
    sums='the signed SHASUMS256.txt'
  else
    unsigned_sums
    sums='SHASUMS256.txt (unsigned, over HTTPS)'
  fi
  want=$(awk -v f="$dist.tar.gz" '$2 == f { print $1; exit }' "$tmp/SHASUMS256.txt")
  [ -n "$want" ] || die "refusing Node.js $NODE_VERSION: its SHASUMS256.txt has no line for $dist.tar.gz; nothing was installed"
  got=$(sha256 "$tmp/$dist.tar.gz")
  [ "$got" = "$want" ] || die "refusing $dist.tar.gz: its SHA-256 is $got, and $sums says $want; nothing was installed"
  say "verified $dist.tar.gz (SHA-256 $got)"
  mkdir "$tmp/unpack"
  tar -xzf "$tmp/$dist.tar.gz" -C "$tmp/unpack"
  ran=$("$tmp/unpack/$dist/bin/node" --version 2>&1 || true)
  [ "$ran" = "v$NODE_VERSION" ] || die "the node in $dist.tar.gz does not run here ($(printf '%s' "$ran" | tail -n 1)); nothing was installed"
  rm -rf "${nodes:?}/$dist"
  mv "$tmp/unpack/$dist" "$nodes/$dist"
  switch_current "$dist"
  for old in "$nodes"/node-v*; do [ "$old" = "$nodes/$dist" ] || rm -rf "$old"; done
  rm -rf "$tmp"
  tmp=''
}

# --- shipshape itself ----------------------------------------------------------------------------

# Everything npm run build compiles: a change to any of these builds again, nothing else does.
sources_sum() {
  find package.json package-lock.json tsconfig.json scripts lib checks build bench test -type f -exec cksum {} + 2>/dev/null | LC_ALL=C sort | cksum
}

install_shipshape() {
  umask 022
  if node_ok; then
    node=$(command -v node)
  else
    private_node
    node="$nodes/current/bin/node"
    # npm, and the scripts npm runs, use this node.
    PATH="$nodes/current/bin:$PATH"
    export PATH
  fi
  have npm || die "npm is missing next to node $("$node" --version); install npm (Debian/Ubuntu: apt-get install npm)"

  # npm ci only when the lock file differs from the one last installed, so a second run works offline;
  # --ignore-scripts: npm's `prepare` would build, and the build follows.
  stamp=node_modules/.shipshape-installed-lock.json
  if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
    say "installing dependencies (npm ci)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    cp package-lock.json "$stamp"
  fi
  built=dist/.shipshape-built-from
  sum=$(sources_sum)
  if [ ! -f dist/cli/shipshape.js ] || [ "$(cat "$built" 2>/dev/null)" != "$sum" ]; then
    say "building shipshape"
    npm run --silent build >&2
    printf '%s\n' "$sum" >"$built"
  fi
  "$node" dist/cli/shipshape.js self-install --node "$node" || say "carrying on without the shipshape command; run $here/dist/cli/shipshape.js with $node"
}

# Under sudo: shipshape's own files belong to the user who ran it, so that stage runs as that user
# (with PATH and the download settings passed on, since sudo resets the environment); it prints
# the node it set up.
install_as_sudo_user() {
  set -- SHIPSHAPE_SETUP_STAGE=install "PATH=$PATH"
  for var in SHIPSHAPE_NODE_MIRROR HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy; do
    eval "value=\${$var:-}"
    [ -z "$value" ] || set -- "$@" "$var=$value"
  done
  sudo -H -u "$SUDO_USER" env "$@" sh "$here/setup.sh" </dev/null
}

for arg in "$@"; do
  [ "$arg" != --dry-run ] || say "a dry run still installs shipshape itself (Node when needed, dependencies, build, the shipshape command); the machine's plan is only shown"
done

if [ "${SHIPSHAPE_SETUP_STAGE:-}" = install ]; then
  install_shipshape
  printf '%s\n' "$node"
elif [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && have sudo; then
  # apt is root's work, so the download tools come first, while this is root.
  node_ok || ensure_fetch_tools
  say "installing shipshape as $SUDO_USER; only the machine's plan runs as root"
  node=$(install_as_sudo_user)
  exec "$node" "$here/dist/cli/shipshape.js" setup "$@"
else
  install_shipshape
  exec "$node" dist/cli/shipshape.js setup "$@"
fi
