#!/usr/bin/env bash
# make fuzz: runs every bank-formats fuzz target for FUZZ_SECONDS each (default 60), seeded
# with the bank export samples, and prints executions and crashes per target. The only Rust
# toolchain here is stable, so RUSTC_BOOTSTRAP lets cargo-fuzz pass its -Z flags; our code
# forbids `unsafe`, so the sanitizer is off and the fuzzer hunts panics and hangs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
if ! cargo fuzz --version 2>/dev/null | grep -q "0.13.2"; then
  echo "fuzz: installing cargo-fuzz 0.13.2"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

work=.cache/fuzz
mkdir -p "$work"
seed() { # target, file patterns...
  local target=$1; shift
  mkdir -p "$work/corpus/$target"
  for pattern in "$@"; do
    find tests/fixtures/import -name "$pattern" -exec cp {} "$work/corpus/$target/" \;
  done
}
seed csv '*.csv'
seed ofx '*.ofx' '*.qfx'
seed qif '*.qif'
seed any '*.csv' '*.ofx' '*.qfx' '*.qif'
# Inputs that once crashed a reader (tests/fuzz_regressions.rs reads them too).
for target in csv ofx qif any; do
  if [ -d "bank-formats/fuzz/regressions/$target" ]; then
    cp bank-formats/fuzz/regressions/"$target"/* "$work/corpus/$target/"
  fi
done

status=0
summary=()
for target in csv ofx qif any; do
  log="$work/$target.log"
  mkdir -p "$work/artifacts/$target"
  echo "fuzz: $target for ${seconds}s"
  if ! (cd bank-formats && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" \
        "../$work/corpus/$target" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -artifact_prefix="../$work/artifacts/$target/" >"../$log" 2>&1); then
    status=1
  fi
  runs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' || echo "?")
  crashes=$(find "$work/artifacts/$target" -type f | wc -l)
  summary+=("$target: $runs executions, $crashes crash(es)")
  if [ "$crashes" -gt 0 ]; then status=1; tail -30 "$log"; fi
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$status"
