#!/bin/sh
# Regenerates tests/fixtures/sarif/sarif-schema-2.1.0.json: the SARIF 2.1.0 JSON
# Schema of the OASIS Standard "Static Analysis Results Interchange Format (SARIF)
# Version 2.1.0", as the OASIS SARIF TC publishes it (sarif-spec, Schemata/), taken
# from the serde-sarif crate, which ships it unchanged as src/schema.json. Uses only
# cargo and the Rust package registry; checks the file against the digest below.
#
#   scripts/fetch-sarif-schema.sh
set -eu

version=0.8.0
digest=af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea
dest=$(cd "$(dirname "$0")/.." && pwd)/tests/fixtures/sarif

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cargo new --lib --quiet fetch
printf 'serde-sarif = "=%s"\n' "$version" >> fetch/Cargo.toml
(cd fetch && cargo fetch --quiet)
crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"serde-sarif-$version.crate" | head -n 1)
tar -xzf "$crate"
echo "$digest  serde-sarif-$version/src/schema.json" | sha256sum -c - >/dev/null
mkdir -p "$dest"
cp "serde-sarif-$version/src/schema.json" "$dest/sarif-schema-2.1.0.json"
cp "serde-sarif-$version/LICENSE" "$dest/LICENSE-serde-sarif.txt"
echo "wrote $dest/sarif-schema-2.1.0.json"
