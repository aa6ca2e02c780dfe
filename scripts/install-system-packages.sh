#!/usr/bin/env bash
# Installs the Debian packages mailroom needs; silent when every one is already there.
set -euo pipefail
packages=(
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim   # OCR (eng, chi_sim, osd)
  postgresql-15                                           # initdb/pg_ctl for the test cluster
  dovecot-imapd                                           # the real IMAP server the tests start
  fonts-ocr-b                                             # OCR-B for synthetic passport pages
  fonts-wqy-microhei                                      # CJK glyphs for synthetic Chinese letters
  chromium                                                # the real browser the web tests drive
)
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
