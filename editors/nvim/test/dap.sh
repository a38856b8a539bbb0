#!/usr/bin/env bash
# nvim-dap end to end: drives `vclide dap` through nvim-dap 0.6.0 (from
# ../shared/clients, GPL, test-only, never copied into this repository) with
# the plugin's three launch configurations. Skips when ../shared is absent.
#
#   VCLIDE_BIN=$PWD/bin/vclide editors/nvim/test/dap.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=$(dirname "$HERE")
REPO=$(cd "$PLUGIN/../.." && pwd)
NVIM=${NVIM:-nvim}
NVIM_DAP="$REPO/../shared/clients/nvim-dap-0.6.0"

if [ ! -d "$NVIM_DAP/lua/dap" ]; then
  echo "== nvim-dap test skipped: $NVIM_DAP is absent"
  exit 0
fi
if ! command -v "$NVIM" >/dev/null 2>&1; then
  echo "dap.sh: $NVIM not found; install Neovim >= 0.7 (Debian: apt-get install neovim)" >&2
  exit 1
fi
if [ -z "${VCLIDE_BIN:-}" ] || [ ! -x "$VCLIDE_BIN" ]; then
  echo "dap.sh: set VCLIDE_BIN to the vclide binary (go build -o bin/vclide ./cmd/vclide)" >&2
  exit 1
fi
VCLIDE_BIN=$(cd "$(dirname "$VCLIDE_BIN")" && pwd)/$(basename "$VCLIDE_BIN")
export VCLIDE_BIN VCLIDE_DAP_DIR="$HERE/dap" VCLIDE_TIMEOUT_MS=${VCLIDE_TIMEOUT_MS:-20000}
echo "== $("$NVIM" --version | head -n 1), nvim-dap $(basename "$NVIM_DAP")"

SANDBOX=$(mktemp -d)
trap 'rm -rf "$SANDBOX"' EXIT
export XDG_CONFIG_HOME="$SANDBOX/config" XDG_DATA_HOME="$SANDBOX/data" \
  XDG_STATE_HOME="$SANDBOX/state" XDG_CACHE_HOME="$SANDBOX/cache" NVIM_LOG_FILE="$SANDBOX/nvim.log"

timeout 180 "$NVIM" --headless -u NONE -i NONE -n \
  --cmd "set rtp^=$PLUGIN" --cmd "set rtp+=$NVIM_DAP" --cmd 'filetype plugin indent on' \
  -c "luafile $HERE/dap_spec.lua" </dev/null
