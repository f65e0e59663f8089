#!/usr/bin/env bash
# Lighthouse accessibility check (not part of CI): runs only Lighthouse's accessibility category on each
# page below, on the mobile (default) and desktop (--preset=desktop) form factors, plus /explore in the dark
# theme (cookie `theme=dark`, see src/theme.rs). Prints one line per page and form factor with the score
# and the ids of the failing audits, keeps the JSON reports in a temp dir (LH_OUT_DIR to choose it), and
# exits non-zero if any score is below 100 (or a run failed).
# Usage: scripts/lighthouse.sh BASE_URL      e.g. scripts/lighthouse.sh http://127.0.0.1:3000
#   (start the server first, e.g. with TRADEWINDS_ADMIN_TOKEN set so /admin/import shows its form)
# Needs node and a Chromium: LIGHTHOUSE=/path/to/lighthouse (else `npx --yes lighthouse@12.8.2`),
# CHROME_PATH (default /usr/bin/chromium).
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 BASE_URL   (e.g. http://127.0.0.1:3000)" >&2
  exit 2
fi
base=${1%/}
command -v node >/dev/null || { echo "node is needed" >&2; exit 2; }

if [ -n "${LIGHTHOUSE:-}" ]; then
  read -r -a lh <<< "$LIGHTHOUSE"
else
  lh=(npx --yes lighthouse@12.8.2)
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME_PATH" ] || { echo "no Chromium at CHROME_PATH=$CHROME_PATH" >&2; exit 2; }

out=${LH_OUT_DIR:-$(mktemp -d -t tradewinds-lighthouse.XXXXXX)}
mkdir -p "$out"

# "label|path|extra headers (JSON, may be empty)"
pages=(
  "/|/|"
  "/explore|/explore|"
  "/explore (dark)|/explore|{\"Cookie\":\"theme=dark\"}"
  "/explore table|/explore?s=platform_gmv.china.world.temu.gmv.usd-billion%2Cplatform_gmv.china.world.shein.gmv.usd-billion&chart=table|"
  "/explore bars|/explore?s=comtrade-mirror-china.m.china.usa.total%2Ccomtrade-mirror-china.m.china.mexico.total&chart=bars&rank=growth&cagr=2019%2C2024|"
  "/rankings|/rankings|"
  "/rankings?view=wide|/rankings?view=wide|"
  "/markets|/markets|"
  "/markets?category=Textiles|/markets?category=Textiles|"
  "/api|/api|"
  "/embed|/embed?s=platform_gmv.china.world.temu.gmv.usd-billion|"
  "/admin/import|/admin/import|"
  "/zh|/zh|"
  "/zh/explore|/zh/explore|"
  "/zh/markets?category=Textiles|/zh/markets?category=Textiles|"
  "/zh/rankings|/zh/rankings|"
  "/embed?lang=zh|/embed?s=platform_gmv.china.world.temu.gmv.usd-billion&lang=zh|"
)
# LH_ONLY=zh: only the pages whose label contains it (e.g. the Chinese ones).
if [ -n "${LH_ONLY:-}" ]; then
  kept=()
  for p in "${pages[@]}"; do [[ "${p%%|*}" == *"$LH_ONLY"* ]] && kept+=("$p"); done
  pages=("${kept[@]}")
fi

# Prints "SCORE<TAB>failing-ids" for one JSON report (SCORE is an integer 0-100, or "-" if none).
summarize() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const cat = r.categories && r.categories.accessibility;
    const score = cat && typeof cat.score === "number" ? Math.round(cat.score * 100) : "-";
    const failing = ((cat && cat.auditRefs) || [])
      .map((ref) => r.audits[ref.id])
      .filter((a) => a && typeof a.score === "number" && a.score < 1
        && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric"))
      .map((a) => a.id);
    const errors = Object.values(r.audits).filter((a) => a.scoreDisplayMode === "error").map((a) => a.id + "(error)");
    console.log(score + "\t" + ([...failing, ...errors].join(",") || "-"));
  ' "$1"
}

start=$SECONDS
status=0
printf '%-7s %-5s %-8s %-28s %s\n' RESULT SCORE FORM PAGE FAILING
for entry in "${pages[@]}"; do
  IFS='|' read -r label path headers <<< "$entry"
  for form in mobile desktop; do
    name=$(printf '%s-%s' "$label" "$form" | tr -c 'A-Za-z0-9-' '_')
    report="$out/$name.json"
    args=("$base$path" --only-categories=accessibility --output=json --output-path="$report" --quiet
      --no-enable-error-reporting --chrome-flags="--headless=new --no-sandbox --disable-gpu")
    [ "$form" = desktop ] && args+=(--preset=desktop)
    [ -n "$headers" ] && args+=(--extra-headers="$headers")
    rm -f "$report"
    if timeout 300 "${lh[@]}" "${args[@]}" < /dev/null > "$out/$name.log" 2>&1 && [ -s "$report" ]; then
      IFS=$'\t' read -r score failing < <(summarize "$report")
    else
      score="-"; failing="lighthouse failed, see $out/$name.log"
    fi
    if [ "$score" = 100 ]; then result=PASS; else result=FAIL; status=1; fi
    printf '%-7s %-5s %-8s %-28s %s\n' "$result" "$score" "$form" "$label" "$failing"
  done
done
echo "JSON reports: $out   ($((SECONDS - start)) s)"
exit "$status"
