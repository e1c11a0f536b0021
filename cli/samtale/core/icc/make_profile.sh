#!/usr/bin/env bash
# Build samtale's CMYK output profile for coated paper (ISO 12647-2, FOGRA39)
# from Fogra's FOGRA39L characterisation data, with ArgyllCMS.
#
#   sudo apt-get update && sudo apt-get install -y icc-profiles-free argyll
#   ./make_profile.sh [OUT.icc]        # default: ./Coated_FOGRA39L_samtale.icc
#
# Same Debian packages in -> same bytes out: colprof stamps the build time into
# the ICC header (bytes 24-35), which this script overwrites with a fixed date.
#
# Licence of the result: the measurement data FOGRA39L.ti3 is shipped by Debian's
# icc-profiles-free under the Zlib licence (see /usr/share/doc/icc-profiles-free/copyright);
# the profile is derived from it and is distributed under the same Zlib licence.
# ArgyllCMS (AGPL) is only the tool: its licence does not extend to profiles it makes.
set -euo pipefail

OUT=${1:-$(dirname "$0")/Coated_FOGRA39L_samtale.icc}
DATA=/usr/share/color/icc/FOGRA39L.ti3             # icc-profiles-free
SRGB=/usr/share/color/argyll/ref/sRGB.icm           # argyll: source gamut for the perceptual table
FIXED_DATE="07ea 0001 0001 0000 0000 0000"          # 2026-01-01 00:00:00, ICC dateTimeNumber (6 x uInt16)

for tool in colprof profcheck xxd; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y argyll icc-profiles-free xxd" >&2; exit 1; }
done
[[ -r $DATA ]] || { echo "missing $DATA: apt-get install -y icc-profiles-free" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$DATA" "$work/profile.ti3"

# -qm        medium quality A2B (device -> Lab) tables: 0.16 dE average against the data
# -bl        low-resolution B2A (Lab -> device) tables: keeps the file at about 95 kB
# -k p ...   black generation: no K up to 15 % of the tone scale, then a concave curve
#            (shape 0.4) to full K in the shadows - a "medium GCR" separation like ISO Coated v2
# -l 330     total ink limit 330 % (ISO 12647-2 sheet-fed coated); -L 100 black limit
# -nc        do not embed the 1617 measurements in the profile (size)
# -S sRGB    perceptual/saturation tables gamut-mapped from sRGB (what catalogue colours are in)
# -Z r       default rendering intent: relative colorimetric
colprof -qm -bl -k p 0 0.15 1 1 0.4 -l 330 -L 100 -nc -S "$SRGB" -Z r \
  -A "samtale" \
  -M "FOGRA39" \
  -D "Coated FOGRA39L (samtale, ArgyllCMS)" \
  -C "Zlib licence. Made with ArgyllCMS colprof from FOGRA39L.ti3 (icc-profiles-free, Kai-Uwe Behrmann); characterisation data by Fogra." \
  "$work/profile" >"$work/colprof.log" 2>&1 || { cat "$work/colprof.log" >&2; exit 1; }

# Fixed creation date in the header, so the build is byte-for-byte reproducible.
printf '%s' "$FIXED_DATE" | xxd -r -p | dd of="$work/profile.icc" bs=1 seek=24 conv=notrunc status=none

profcheck "$DATA" "$work/profile.icc" 2>&1 | tail -1
cp "$work/profile.icc" "$OUT"
echo "$OUT: $(stat -c %s "$OUT") bytes, sha256 $(sha256sum "$OUT" | cut -d' ' -f1)"
