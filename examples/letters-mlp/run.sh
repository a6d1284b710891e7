#!/usr/bin/env bash
# Trains a letters MLP and checks its test accuracy reaches 95%.
#   examples/letters-mlp/run.sh [AUGMENT_BINARY] [OUTPUT_DIR] [CONFIG]
# Defaults: build/bin/augment, the config's own output folder, config.json beside this script.
# Registered as the slow CTest "example: letters-mlp reaches 95% test accuracy".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
augment=${1:-$here/../../build/bin/augment}
config=${3:-$here/config.json}
args=("$config")
[[ -n ${2:-} ]] && args+=(--output "$2")
out=${2:-$here/$(sed -n 's/^ *"output": "\(.*\)",\{0,1\}$/\1/p' "$config")}

"$augment" train "${args[@]}"
# summary.json: the ensemble's scores come first when there is one ("ensemble" < "members").
accuracy=$(grep -o '"test_accuracy": [0-9.e+-]*' "$out/summary.json" | head -n 1 | awk '{ print $2 }')
[[ -n $accuracy ]] || { echo "no test_accuracy in $out/summary.json" >&2; exit 1; }
if awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.95) }'; then
  echo "letters-mlp: test accuracy $accuracy (>= 0.95)"
else
  echo "letters-mlp: test accuracy $accuracy is below 0.95" >&2
  exit 1
fi
