#!/usr/bin/env bash
# Runs every test of every module (`mvn verify`), after installing what the tests need when it is
# missing (see prereqs.sh). Extra arguments go to Maven, e.g. `scripts/test.sh -o` for offline.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prereqs.sh test
exec mvn -B verify "$@"
