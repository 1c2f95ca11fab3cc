#!/usr/bin/env bash
# `npm test`: the Python test tools, the addon, the Rust checks, then the Node suites.
# Works with or without CARGO_TARGET_DIR set; napi and cargo both honour it.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n=== %s ===\n' "$*"; }

section "Python test tools: cfn-lint, moto (.venv from requirements-test.txt)"
stamp=.venv/requirements-test.txt.installed
if [ ! -x .venv/bin/cfn-lint ] || [ ! -x .venv/bin/moto_server ] || ! cmp -s requirements-test.txt "$stamp"; then
  "${PYTHON:-python3}" -m venv --clear .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
  cp requirements-test.txt "$stamp"
fi
.venv/bin/cfn-lint --version

section "npm run build (release addon)"
npm run build

section "panic-probe addon (tests only: __test__/panic-safety.test.js)"
# The same release build with a deliberate panic path, into target/panic-probe; only the napi
# crate recompiles. No binding files: the test loads the .node file directly.
npx napi build --platform --release --manifest-path crates/napi/Cargo.toml --features panic-probe --output-dir target/panic-probe --no-js

section "cargo test (core, aws, arena)"
cargo test --workspace

section "cargo fmt --all --check"
cargo fmt --all --check

section "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p serverless-canary --features panic-probe -- -D warnings

section "the core depends on no AWS SDK, napi or tokio"
if cargo tree -p serverless-canary-core -e normal --prefix none | grep -E '^(aws-|napi|tokio)'; then
  echo "crates/core must stay pure: the dependencies above belong in crates/aws or crates/napi." >&2
  exit 1
fi

section "fuzz targets compile (they run with cargo fuzz on nightly: scripts/fuzz)"
cargo check --manifest-path fuzz/Cargo.toml --bins

# As many test files at once as the machine has cores: the suites hold no shared state, so a
# busy machine may slow them but must not change what they see.
cores="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
section "node --test __test__/ ($cores files at a time)"
node --test --test-concurrency="$cores" __test__/
