#!/usr/bin/env bash
# Fuzzes the parsers that read what strangers send: every importer behind format detection
# (import_file), workbooks (workbook), the explorer's URL state (explore_query), the market finder's and
# the rankings' queries (finder_ranking_query), embed options and chart image parameters
# (embed_image_query).
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     # default: 600 s each, every target
#
# Installs what is missing (a nightly toolchain, cargo-fuzz), seeds each corpus from the shipped files
# and typical URLs, runs each target for the given time and prints executions, executions per second and
# what it found. A crash, timeout or out-of-memory input is kept in fuzz/artifacts/<target>/; replay it with
# `cargo +nightly fuzz run -s none <target> <file>`, fix it, and keep it under
# tests/fixtures/fuzz/<target>/ (tests/fuzz_regressions.rs replays those in the normal test run).
# Not part of scripts/test.sh: it needs nightly and runs for as long as it is given.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-600}"
shift || true
ALL=(import_file workbook explore_query finder_ranking_query embed_image_query)
TARGETS=("${@:-${ALL[@]}}")

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# No sanitizer: the code is safe Rust (arithmetic overflow and every panic are still caught, with
# debug assertions on); it builds faster and runs several times more inputs a second.
FUZZ=(cargo +nightly fuzz)
OPTS=(-s none)
"${FUZZ[@]}" build "${OPTS[@]}"

# Seeds: the head of each shipped file (whole lines, so real headers and rows), and real queries.
seed_files() {
  local target=$1 pick=$2; shift 2
  local dir=fuzz/corpus/$target
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    local out
    out="$dir/seed-$(basename "$f" | tr -c 'A-Za-z0-9._-' _)"
    if [ "$target" = workbook ]; then
      cp "$f" "$out"
    else
      # The first byte picks the file name and detection (see fuzz_targets/import_file.rs).
      { printf "\\$(printf %03o "$pick")"; head -c 6000 "$f" | sed '$d'; } > "$out"
    fi
  done
}
seed_queries() {
  local dir=fuzz/corpus/$1; shift
  mkdir -p "$dir"
  local i=0
  for q in "$@"; do
    printf '%s' "$q" > "$dir/seed-$i"
    i=$((i + 1))
  done
}
mapfile -t TEXT_FILES < <(find data/raw data/derived data/facts -type f \( -name '*.csv' -o -name '*.CSV' \) | sort)
seed_files import_file 0 "${TEXT_FILES[@]}" data/raw/cipf_comtrade/China_1.1_trade_balance_2014-2025.xlsx
seed_files workbook 0 data/raw/cipf_comtrade/*.xlsx data/raw/imf_dots/*.xlsx
QUERIES=(
  "s=comtrade-mirror-china.reported_imports.usa,comtrade-mirror-china.reported_imports.deu&from=2015&to=2024&chart=line"
  "s=a,b&tf=index&base=2018&cagr=2015,2024&events=0&scale=log&hide=b&sort=-value&multiples=1"
  "chart=bars&rank=growth&tf=share&total=x&q=imports+from+China&indicator=reported_imports&destination=USA"
  "s=cbec.gmv&from=2024-H1&to=2025-02&chart=area&tf=yoy"
  "category=Footwear+and+Headwear&weights=growing&region=Europe&exclude=USA&markets=DEU,POL"
  "category=all&weights=size:40,growth:30,reach:30&w_size=10&lang=zh"
  "table=comtrade-mirror-china/reported_imports&from=2019&to=2024&sort=-cagr&page=2&view=wide&aggregates=1&largest=50"
  "theme=dark&accent=%23c0392b&controls=0&lang=zh-Hans&width=800&height=600&download=1"
  "home=totals&theme=light&width=720"
  "s=x&width=2000&height=150&theme=dark&lang=zh&title=T&note=n"
)
for t in explore_query finder_ranking_query embed_image_query; do
  seed_queries "$t" "${QUERIES[@]}"
done

mkdir -p fuzz/logs
found=0
printf '\n%-22s %12s %10s %s\n' target executions "execs/s" result
for t in "${TARGETS[@]}"; do
  log=fuzz/logs/$t.log
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb: so is one needing 2 GB.
  if "${FUZZ[@]}" run "${OPTS[@]}" "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    result=clean
  else
    result="FOUND: $(grep -m1 -oE '(deadly signal|panicked at [^,]*|ERROR: libFuzzer: [a-z-]+)' "$log" || echo see "$log") — $(ls -t fuzz/artifacts/"$t"/ 2>/dev/null | head -1)"
    found=1
  fi
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
  printf '%-22s %12s %10s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
done
exit "$found"
