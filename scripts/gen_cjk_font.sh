#!/usr/bin/env bash
# Regenerates data/fonts/NotoSansCJKsc-Regular-subset.otf, the Chinese font of server-drawn images
# (/chart.png, /chart.svg rasterised, share cards). Browsers never get it: pages use the reader's fonts.
#
# Source: Debian's fonts-noto-cjk (Noto Sans CJK SC Regular, face 2 of NotoSansCJK-Regular.ttc,
# SIL OFL 1.1). Subset rule, in this order:
#   1. all 6,763 GB2312 hanzi (bytes 0xB0A1–0xF7FE decoded with Python's gb2312 codec),
#   2. CJK symbols and punctuation U+3000–303F and half-/full-width forms U+FF00–FFEF,
#   3. every CJK character written in the repository itself: src/**/*.rs, data/mappings/*.csv and
#      data/geo/*.csv (CJK blocks U+2E80–9FFF, U+F900–FAFF, U+FE30–FE4F, U+FF00–FFEF, U+20000–2FFFF),
#      in this checkout and in any further checkouts named as arguments (e.g. one whose new
#      translations are not committed yet).
# Latin stays with DejaVu Sans (the images' first font), so no Latin is kept here beyond the space.
# Only horizontal Simplified Chinese is drawn: the Japanese/Korean/Traditional 'locl' forms and the
# vertical ('vert', 'vrt2') alternates are left out, which halves the file (one glyph per code point).
#
# Usage: scripts/gen_cjk_font.sh [OTHER_CHECKOUT...]
# Installs only what is missing: fonts-noto-cjk (apt) and fontTools (pip, in a venv under
# ${FONTTOOLS_VENV:-/tmp/tradewinds-fonttools} unless python3 already has it).
# Reproducible: the same package version and the same repository text give the same glyph set.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TTC=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
FACE=2 # Noto Sans CJK SC Regular within the collection
OUT="$ROOT/data/fonts/NotoSansCJKsc-Regular-subset.otf"
LICENCE="$ROOT/data/fonts/NotoSansCJK-LICENSE.txt"

if [ ! -f "$TTC" ]; then
    echo "installing fonts-noto-cjk" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
fi

PY=python3
if ! "$PY" -c 'import fontTools' 2>/dev/null; then
    VENV="${FONTTOOLS_VENV:-/tmp/tradewinds-fonttools}"
    if ! "$VENV/bin/python" -c 'import fontTools' 2>/dev/null; then
        echo "installing fontTools into $VENV" >&2
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q fonttools
    fi
    PY="$VENV/bin/python"
fi

UNICODES="$(mktemp)"
trap 'rm -f "$UNICODES"' EXIT

"$PY" - "$UNICODES" "$ROOT" "$@" <<'EOF'
import glob, os, sys

out, roots = sys.argv[1], sys.argv[2:]

def is_cjk(cp):
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x2FFFF)

chars = {0x20}
gb2312 = set()
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            gb2312.add(ord(bytes([hi, lo]).decode("gb2312")))
        except UnicodeDecodeError:
            pass  # row 0xD7 ends at 0xF9: five unassigned cells
assert len(gb2312) == 6763, len(gb2312)
chars |= gb2312
chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))

own = set()
for root in roots:
    files = glob.glob(os.path.join(root, "src", "**", "*.rs"), recursive=True)
    files += glob.glob(os.path.join(root, "data", "mappings", "*.csv"))
    files += glob.glob(os.path.join(root, "data", "geo", "*.csv"))
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            own |= {ord(c) for c in f.read() if is_cjk(ord(c))}
chars |= own
print(f"GB2312 hanzi {len(gb2312)}, the repository's own CJK characters {len(own)} "
      f"({len(own - gb2312 - set(range(0x3000, 0x3040)) - set(range(0xFF00, 0xFFF0)))} beyond GB2312 "
      f"and the punctuation blocks), {len(chars)} code points asked for", file=sys.stderr)
with open(out, "w") as f:
    f.write(",".join(f"U+{cp:04X}" for cp in sorted(chars)))
EOF

"$PY" -m fontTools.subset "$TTC" --font-number="$FACE" --unicodes-file="$UNICODES" \
    --layout-features='ccmp,calt,liga,kern,mark' --no-hinting --name-IDs='*' --name-languages='*' \
    --output-file="$OUT"

# The licence, as Debian ships it (the SIL-1.1 stanza of the package's copyright file).
{
    echo "Noto Sans CJK SC (subset: $(basename "$OUT"))"
    "$PY" - "$OUT" <<'EOF'
import sys
from fontTools.ttLib import TTFont
name = TTFont(sys.argv[1])["name"]
for i in (0, 5, 7, 13, 14):
    if name.getDebugName(i):
        print(name.getDebugName(i))
EOF
    echo
    # The stanza is the "License: SIL-1.1" line followed by indented text (not the one in "Files: *").
    awk '/^License: SIL-1.1$/{on=1; next} /^[^ ]/{on=0} on && /^ /' \
        /usr/share/doc/fonts-noto-cjk/copyright | sed -e 's/^ //' -e 's/^\.$//'
} >"$LICENCE"

"$PY" - "$OUT" <<'EOF'
import os, sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
print(f"{sys.argv[1]}: {os.path.getsize(sys.argv[1]):,} bytes, {len(f.getGlyphOrder()):,} glyphs, "
      f"{len(f.getBestCmap()):,} code points", file=sys.stderr)
EOF
