#!/usr/bin/env bash
# Runs the classic Scheme benchmark programs in this directory under Seam (release build) and,
# where installed, under chibi-scheme and Guile (compiled; a first run fills Guile's cache),
# printing seconds per program (best of 3) and each peer's time relative to Seam's.
# Usage: benches/scheme/run.sh [PROGRAM.scm ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p seam-cli
seam="$root/target/release/seam"
programs=("$@")
[ ${#programs[@]} -eq 0 ] && programs=("$here"/*.scm)

# best-of-3 wall time in seconds of a command; its output goes to $out_file.
out_file="$(mktemp)"
best_time() {
    local best=""
    for _ in 1 2 3; do
        local start end
        start=$(date +%s%N)
        if ! timeout 300 "$@" > "$out_file" 2>/dev/null; then
            echo "error"
            return
        fi
        end=$(date +%s%N)
        local t=$(( (end - start) / 1000 ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    printf '%d.%06d' $((best / 1000000)) $((best % 1000000))
}

peers=()
command -v chibi-scheme > /dev/null && peers+=(chibi)
command -v guile > /dev/null && peers+=(guile)

printf '%-14s %10s' program seam
for p in "${peers[@]}"; do printf ' %10s %8s' "$p" "$p/seam"; done
printf '\n'
for program in "${programs[@]}"; do
    name="$(basename "$program")"
    seam_t=$(best_time "$seam" "$program")
    expected="$(cat "$out_file")"
    printf '%-14s %10s' "$name" "$seam_t"
    for p in "${peers[@]}"; do
        case "$p" in
            chibi) cmd=(chibi-scheme "$program") ;;
            guile) guile --r7rs "$program" > /dev/null 2>&1 || true; cmd=(guile --r7rs "$program") ;;
        esac
        t=$(best_time "${cmd[@]}")
        if [ "$t" != error ] && [ "$seam_t" != error ]; then
            ratio=$(awk -v a="$t" -v b="$seam_t" 'BEGIN { printf "%.2f", a / b }')
            [ "$(cat "$out_file")" != "$expected" ] && ratio="$ratio!"
        else
            ratio="-"
        fi
        printf ' %10s %8s' "$t" "$ratio"
    done
    printf '\n'
done
rm -f "$out_file"
echo "(seconds, best of 3; a ratio above 1 means the peer is slower than Seam; '!' marks differing output)"
