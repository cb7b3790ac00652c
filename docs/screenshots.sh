#!/usr/bin/env bash
# Regenerates the screenshots of `declass review` in docs/images/: headless Chromium at
# 1280x800 on a review of the fictional documents in examples/documents/. Chromium is
# Debian's `chromium`, or the browser DECLASS_CHROMIUM names.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/declass review --as-of 2010-11-28 --explain --quiet --out-dir "$work/review" examples/documents/
browser=${DECLASS_CHROMIUM:-chromium}
shot() {
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,800 \
        --no-first-run --user-data-dir="$work/profile" --screenshot="$2" "file://$work/review/$1" 2>/dev/null
}
shot index.html docs/images/review-summary.png
# A redacted portion focused, as `n` shows it, with why it was redacted. Headless screenshots
# of a scrolled page come out blank, so a copy of the page moves its content up instead.
sed 's#</body>#<script>var s = document.querySelectorAll(".portion.stop")[2]; s.focus({ preventScroll: true }); document.querySelector("main").style.transform = "translateY(-" + (s.getBoundingClientRect().top - 260) + "px)";</script></body>#' \
    "$work/review/08PARIS1234.html" > "$work/review/shot.html"
shot shot.html docs/images/review-document.png
echo "docs/images/review-summary.png docs/images/review-document.png"
