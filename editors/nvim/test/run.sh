#!/usr/bin/env bash
# Headless tests for the vclide Neovim plugin.
#
#   editors/nvim/test/run.sh                 plugin checks + LSP checks against $VCLIDE_BIN
#   editors/nvim/test/run.sh --plugin-only   plugin checks only (no binary needed)
#   editors/nvim/test/run.sh --self-test     LSP checks against test/fake-vclide (needs node)
#   add --no-screen to skip the tmux screen capture
#
# Environment: VCLIDE_BIN (the vclide binary, required for the LSP checks),
# NVIM (default: nvim), VCLIDE_TIMEOUT_MS (default 20000), VCLIDE_TEST_OUT (where
# the screen capture goes; default editors/nvim/test/out).
# Needs Neovim >= 0.7 (Debian: apt-get install neovim) and, for the screen
# capture, tmux (apt-get install tmux). Exits non-zero when a check fails.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=$(dirname "$HERE")
REPO=$(cd "$PLUGIN/../.." && pwd)
NVIM=${NVIM:-nvim}
OUT=${VCLIDE_TEST_OUT:-$HERE/out}
export VCLIDE_FIXTURE="$HERE/fixture.vcl"
export VCLIDE_LAUNCH_FIELDS="$REPO/dap/launch_fields.json"
export VCLIDE_TIMEOUT_MS=${VCLIDE_TIMEOUT_MS:-20000}

plugin_only=0 self_test=0 screen=1
for arg in "$@"; do
  case "$arg" in
    --plugin-only) plugin_only=1 ;;
    --self-test) self_test=1 ;;
    --no-screen) screen=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

if ! command -v "$NVIM" >/dev/null 2>&1; then
  echo "run.sh: $NVIM not found; install Neovim >= 0.7 (Debian: apt-get install neovim)" >&2
  exit 1
fi
echo "== $("$NVIM" --version | head -n 1)"

# Keep the user's config, state and logs out of the run.
SANDBOX=$(mktemp -d)
TMUX_SESSION="vclide-nvim-test-$$"
cleanup() {
  if command -v tmux >/dev/null 2>&1; then
    tmux kill-session -t "$TMUX_SESSION" 2>/dev/null || true
  fi
  rm -rf "$SANDBOX"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$SANDBOX/config" XDG_DATA_HOME="$SANDBOX/data" \
  XDG_STATE_HOME="$SANDBOX/state" XDG_CACHE_HOME="$SANDBOX/cache" NVIM_LOG_FILE="$SANDBOX/nvim.log"

nvim_headless() {
  # -u NONE: no user config or plugins; the plugin comes from the repo via rtp.
  timeout 120 "$NVIM" --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$PLUGIN" --cmd 'filetype plugin indent on' "$@"
}

status=0

echo "== plugin checks"
nvim_headless -c "luafile $HERE/plugin_spec.lua" </dev/null || status=1

if [ "$plugin_only" = 1 ]; then
  exit $status
fi

if [ "$self_test" = 1 ]; then
  export VCLIDE_BIN="$HERE/fake-vclide" VCLIDE_SELF_TEST=1
  echo "== self-test: using the fake server $VCLIDE_BIN"
fi
if [ -z "${VCLIDE_BIN:-}" ]; then
  echo "run.sh: VCLIDE_BIN is not set; build vclide (go build -o bin/vclide ./cmd/vclide) and set VCLIDE_BIN=\$PWD/bin/vclide," >&2
  echo "        or run with --plugin-only / --self-test" >&2
  exit 1
fi
case "$VCLIDE_BIN" in
  */*) ;;
  *) VCLIDE_BIN=$(command -v "$VCLIDE_BIN" || echo "$VCLIDE_BIN") ;;
esac
if [ ! -f "$VCLIDE_BIN" ] || [ ! -x "$VCLIDE_BIN" ]; then
  echo "run.sh: VCLIDE_BIN=$VCLIDE_BIN is not an executable file" >&2
  exit 1
fi
VCLIDE_BIN=$(cd "$(dirname "$VCLIDE_BIN")" && pwd)/$(basename "$VCLIDE_BIN")
export VCLIDE_BIN

echo "== LSP checks against $VCLIDE_BIN"
nvim_headless -c "luafile $HERE/lsp_spec.lua" </dev/null || status=1

if [ "$self_test" != 1 ]; then
  echo "== Terraform heredoc checks against $VCLIDE_BIN"
  export VCLIDE_TF_DIR="$SANDBOX/terraform"
  cp -r "$REPO/examples/terraform" "$VCLIDE_TF_DIR"
  nvim_headless -c "luafile $HERE/terraform_spec.lua" </dev/null || status=1
fi

if [ "$screen" = 1 ]; then
  if command -v tmux >/dev/null 2>&1; then
    echo "== screen capture"
    mkdir -p "$OUT"
    export VCLIDE_SCREEN_READY="$SANDBOX/screen-ready"
    tmux -f /dev/null new-session -d -s "$TMUX_SESSION" -x 100 -y 30 \
      "TERM=xterm-256color $NVIM -u NONE -i NONE -n --cmd 'set rtp^=$PLUGIN' --cmd 'filetype plugin indent on' -c 'luafile $HERE/screen_setup.lua'"
    for _ in $(seq 1 $(( VCLIDE_TIMEOUT_MS / 250 + 40 ))); do
      [ -f "$VCLIDE_SCREEN_READY" ] && break
      sleep 0.25
    done
    if [ -f "$VCLIDE_SCREEN_READY" ]; then
      tmux capture-pane -p -t "$TMUX_SESSION" > "$OUT/screen.txt"
      tmux capture-pane -p -e -t "$TMUX_SESSION" > "$OUT/screen.ansi"
      echo "screen written to $OUT/screen.txt (and screen.ansi with colours)"
    else
      echo "screen capture: nvim did not get ready in time (not a test failure)"
      tmux capture-pane -p -t "$TMUX_SESSION" > "$OUT/screen.txt" 2>/dev/null || true
    fi
    tmux kill-session -t "$TMUX_SESSION" 2>/dev/null || true
  else
    echo "== screen capture skipped: tmux not installed (apt-get install tmux)"
  fi
fi

if [ $status = 0 ]; then echo "== all Neovim checks passed"; else echo "== Neovim checks FAILED"; fi
exit $status
