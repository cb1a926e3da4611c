#!/usr/bin/env bash
# Creates .venv and installs xl_awards (with its test extras when asked: `scripts/setup.sh test`).
# Installs LibreOffice (Debian packages) when the tests need it and it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

if [ "$extras" = "test" ] && ! { command -v soffice >/dev/null && command -v pdftotext >/dev/null \
                                   && /usr/bin/python3 -c "import uno" 2>/dev/null; }; then
  echo "== 安装 LibreOffice 和 poppler-utils（测试用）"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui python3-uno libreoffice-script-provider-python fonts-noto-cjk poppler-utils >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
spec="."
[ -n "$extras" ] && spec=".[$extras]"
echo "== 安装 xl_awards $spec"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
