#!/usr/bin/env bash
# The package as users get it. Packs busline (prepack builds dist/ afresh), installs the tarball
# into fresh projects in a temporary directory, and there, as a user would:
#   core  busline only: the plain-Node quick start (examples/quick-start.ts) runs and prints its
#         result; busline/mqtt, busline/nest and busline/testing fail at import with the
#         MissingPeerDependencyError that names what to install; README and docs links resolve.
#   mqtt  busline + mqtt + aedes: examples/mqtt/quick-start.ts (embedded broker).
#   nest  busline + @nestjs/common @nestjs/core rxjs class-validator (+ what the example imports):
#         examples/nest/quick-start.ts.
# Each quick start is type-checked by tsc against the installed package under
# moduleResolution node16 (declarations of busline checked too: skipLibCheck off) and under the
# older `node` (subpaths through typesVersions), then run with node; what it prints must be what
# the same file prints when run from the sources. Every entry loads with require() and import().
# The temporary directory is removed at the end, failed or not.
#
#   bash scripts/check-package.sh        (npm run check:package; needs npm ci done)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/busline-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { printf '\n--- %s\n' "$*"; }
fail() {
  printf 'check-package: %s\n' "$*" >&2
  exit 1
}
npm_install() { npm install --no-audit --no-fund --loglevel=error --prefer-offline "$@" >/dev/null; }
pkg() { node -p "require('$root/package.json').$1"; }
# The peers each entry needs, as its *.peers.ts file checks them.
peers_of() {
  case "$1" in
    busline/mqtt) echo mqtt ;;
    busline/testing) echo aedes mqtt ;;
    busline/nest) echo @nestjs/common @nestjs/core rxjs class-validator ;;
    *) echo ;;
  esac
}
# name@range from busline's peerDependencies (any version for a package that is not a peer).
with_range() {
  local name
  for name in "$@"; do
    printf '%s@%s\n' "$name" "$(node -p "require('$root/package.json').peerDependencies['$name'] ?? 'latest'")"
  done
}
# Bare imports of a quick start other than busline and node: builtins.
imports_of() {
  grep -oE "(from|import) '[^'.][^']*'" "$1" | sed -E "s/.* '([^']*)'/\1/" |
    grep -vE '^(busline(/.*)?|node:.*)$' | sort -u || true
}
# absent_peers DIR: a pattern for "Cannot find module" errors about optional peers DIR lacks.
absent_peers() {
  local names=() name
  for name in $(node -p "Object.keys(require('$root/package.json').peerDependencies).join(' ')"); do
    [ -e "$1/node_modules/$name" ] || names+=("$name")
  done
  local IFS='|'
  echo "^node_modules/busline/.*error TS2307: Cannot find module '(${names[*]:-\$^})'"
}
# Output without colours and UUIDs, and NestJS's log lines without pid, date and elapsed time.
normalize() {
  sed -E 's/\x1b\[[0-9;]*m//g
    s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g
    s/^\[Nest\] [0-9]+ +- [^A-Z]*([AP]M)? +(LOG|WARN|ERROR|DEBUG|VERBOSE|FATAL) /[Nest] \2 /
    s/ \+[0-9]+ms$//'
}

step "npm pack"
npm pack --pack-destination "$work" --loglevel=error >/dev/null
tarball="$work/busline-$(pkg version).tgz"
[ -f "$tarball" ] || fail "npm pack made no $tarball"
tar -tzf "$tarball" | sed 's#^package/##' | awk -F/ '{ print (NF > 1 ? $1 "/" : $1) }' | sort | uniq -c

step "tsc $(node -p "require('typescript/package.json').version") and @types/node, apart from the projects"
mkdir "$work/tools"
(cd "$work/tools" && npm init -y >/dev/null &&
  npm_install "typescript@$(node -p "require('$root/node_modules/typescript/package.json').version")" \
    "@types/node@$(node -p "require('$root/node_modules/@types/node/package.json').version")")
tsc="$work/tools/node_modules/.bin/tsc"

# new_project NAME PACKAGE...: an empty npm project with the tarball and PACKAGEs installed.
new_project() {
  local dir="$work/$1"
  shift
  mkdir "$dir"
  (cd "$dir" && npm init -y >/dev/null && npm_install "$tarball" "$@")
  echo "$dir: $(cd "$dir" && npm ls --all --parseable 2>/dev/null | tail -n +2 | wc -l) packages"
}

# tsconfig DIR NAME MODULE RESOLUTION SKIPLIBCHECK: write DIR/tsconfig.NAME.json for src/.
tsconfig() {
  cat >"$1/tsconfig.$2.json" <<EOF
{
  "compilerOptions": {
    "target": "es2022",
    "module": "$3",
    "moduleResolution": "$4",
    "strict": true,
    "esModuleInterop": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "skipLibCheck": $5,
    "types": ["node"],
    "typeRoots": ["$work/tools/node_modules/@types"],
    "rootDir": "src",
    "outDir": "out-$2"
  },
  "include": ["src"]
}
EOF
}

# quick_start DIR EXAMPLE MODULE: type-check EXAMPLE in DIR under node16 and node resolution, run
# it, compare what it prints with what it prints from the sources.
quick_start() {
  local dir="$1" example="$2" module="$3" out errors
  mkdir -p "$dir/src"
  cp "$root/$example" "$dir/src/"
  # moduleResolution node16; MODULE is node16, or node20 where the example imports an ES module
  # package with require() (NestJS 12).
  tsconfig "$dir" node16 "$module" node16 false
  tsconfig "$dir" node10 commonjs node true
  if ! out="$(cd "$dir" && "$tsc" -p tsconfig.node16.json --pretty false 2>&1)"; then
    # Other packages' declarations are theirs to fix; the example's and busline's are ours, but
    # for the types of an optional peer the project does not have (busline/nest's declarations
    # use mqtt's for the `mqtt` option): skipLibCheck, or installing the peer, is the user's fix.
    errors="$(grep -E '^(src/|node_modules/busline/)' <<<"$out" | grep -vE "$(absent_peers "$dir")" || true)"
    [ -z "$errors" ] || fail "$example under moduleResolution node16:"$'\n'"$out"
    missing="$(grep -oE "^node_modules/busline/.*Cannot find module '[^']+'" <<<"$out" |
      sed -E "s/.*'([^']+)'/\1/" | sort -u | tr '\n' ' ' || true)"
    [ -z "$missing" ] || echo "note: with skipLibCheck off, the declarations need the types of ${missing% }"
  fi
  (cd "$dir" && "$tsc" -p tsconfig.node10.json --noEmit --pretty false) ||
    fail "$example under moduleResolution node (typesVersions)"
  local file
  file="$(basename "$example" .ts).js"
  (cd "$dir" && timeout 60 node "out-node16/$file") >"$dir/printed.txt" 2>"$dir/stderr.txt" ||
    fail "$example from the package failed:"$'\n'"$(cat "$dir/printed.txt" "$dir/stderr.txt")"
  timeout 60 node -r @swc-node/register "$example" >"$dir/expected.txt" 2>"$dir/stderr.txt" ||
    fail "$example from the sources failed:"$'\n'"$(cat "$dir/expected.txt" "$dir/stderr.txt")"
  [ -s "$dir/printed.txt" ] || fail "$example printed nothing"
  if ! diff -u <(normalize <"$dir/expected.txt") <(normalize <"$dir/printed.txt") >"$dir/diff.txt"; then
    fail "$example prints from the package what it does not print from the sources:"$'\n'"$(cat "$dir/diff.txt")"
  fi
  echo "$example (node16 and node resolution) printed:"
  normalize <"$dir/printed.txt" | sed 's/^/    /'
}

# loads DIR ENTRY: ENTRY loads in DIR with require() and with import().
loads() {
  (cd "$1" && node -e "require('$2')" && node --input-type=module -e "await import('$2')") ||
    fail "$2 does not load in $1"
  echo "$2 loads with require() and import()"
}

# refuses DIR ENTRY: ENTRY fails at import, with require() and import(), naming its peers.
refuses() {
  local peers out how
  peers="$(peers_of "$2")"
  for how in require import; do
    if [ "$how" = require ]; then
      out="$(cd "$1" && node -e "require('$2')" 2>&1)" && fail "require('$2') loaded without $peers"
    else
      out="$(cd "$1" && node --input-type=module -e "await import('$2')" 2>&1)" &&
        fail "import('$2') loaded without $peers"
    fi
    grep -q 'MissingPeerDependencyError' <<<"$out" && grep -qF "run npm install $peers" <<<"$out" ||
      fail "$how of $2 failed, but not with a MissingPeerDependencyError naming $peers:"$'\n'"$out"
  done
  echo "$2 without its peers: $(grep -m1 -oE "$2 needs .*" <<<"$out")"
}

step "core: busline only"
new_project core
core="$work/core"
for p in mqtt aedes @nestjs/common @nestjs/core rxjs class-validator; do
  [ ! -e "$core/node_modules/$p" ] || fail "installing busline alone installed $p"
done
loads "$core" busline
(cd "$core" && node --input-type=module -e "import { PubSubClient, LocalPublisher } from 'busline';
  if (typeof PubSubClient !== 'function' || typeof LocalPublisher !== 'function') process.exit(1);") ||
  fail "named imports of busline from an ES module"
for entry in busline/mqtt busline/nest busline/testing; do refuses "$core" "$entry"; done
quick_start "$core" examples/quick-start.ts node16
# The README and docs in the package link to files that are in the package.
(cd "$core/node_modules/busline" && node -e "
  const fs = require('node:fs'), path = require('node:path');
  const pages = ['README.md', ...(fs.existsSync('docs') ? fs.readdirSync('docs', { recursive: true })
    .filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f)) : [])];
  const dead = [];
  for (const page of pages) {
    const text = fs.readFileSync(page, 'utf8').replace(/\`\`\`[\s\S]*?\`\`\`/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)/g)) {
      if (/^([a-z]+:|#)/i.test(target)) continue;
      const file = path.join(path.dirname(page), decodeURIComponent(target.split('#')[0]));
      if (!fs.existsSync(file)) dead.push(page + ' -> ' + target);
    }
  }
  if (dead.length) { console.error('links to files the package does not have:\n  ' + dead.join('\n  ')); process.exit(1); }
  console.log(pages.length + ' pages, their relative links resolve inside the package');
") || fail "dead links in the package"

step "mqtt: busline + mqtt + aedes"
mapfile -t packages < <(with_range $(peers_of busline/mqtt) $(peers_of busline/testing) | sort -u)
new_project mqtt "${packages[@]}"
loads "$work/mqtt" busline/mqtt
loads "$work/mqtt" busline/testing
quick_start "$work/mqtt" examples/mqtt/quick-start.ts node16

step "nest: busline + NestJS and its peers"
example=examples/nest/quick-start.ts
mapfile -t packages < <(with_range $(peers_of busline/nest) $(imports_of "$example") | sort -u)
new_project nest "${packages[@]}"
loads "$work/nest" busline/nest
quick_start "$work/nest" "$example" node20

printf '\ncheck-package: the tarball installs, each entry loads or names its peers, the quick starts run\n'
