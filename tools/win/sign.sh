#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/sign.sh DIR OSSLSIGNCODE-SIGN-OPTIONS...
#
# Authenticode-signs every .exe and .dll under DIR, an unpacked release
# bundle (tools/win/release.sh), with osslsigncode and the vendor's own
# certificate, then writes DIR/SHA256SUMS again for the signed files. The
# options go to `osslsigncode sign` as they are, after `-h sha256`: the key
# and certificate (-pkcs12 FILE -readpass FILE, or -certs CERT.pem -key
# KEY.pem, or -pkcs11module/-pkcs11cert/-key for a token), and usually
# -n NAME, -i URL and a time stamp server (-ts URL) so that the signature
# outlives the certificate. Example:
#   unzip wsinstall-0.1.0-windows.zip
#   tools/win/sign.sh wsinstall-0.1.0 -pkcs12 vendor.pfx -readpass pass.txt \
#     -n "Contoso Web Filter" -ts URL-OF-YOUR-CA-TIME-STAMP-SERVER
#   osslsigncode verify -CAfile ca.pem -in wsinstall-0.1.0/wsinstall.exe
# A file that is signed already is refused (sign the bundle release.sh made).
set -eu

if [ $# -lt 2 ] || [ ! -d "$1" ]; then
  echo "usage: tools/win/sign.sh DIR OSSLSIGNCODE-SIGN-OPTIONS..." >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift

if ! command -v osslsigncode > /dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 || echo "sign.sh: apt-get update reported errors; going on with the lists it has" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends osslsigncode >&2
fi

bins=$(find "$dir" -type f \( -name '*.exe' -o -name '*.dll' \) | LC_ALL=C sort)
[ -n "$bins" ] || { echo "sign.sh: no .exe or .dll under $dir" >&2; exit 1; }
for bin in $bins; do
  # `extract-signature` succeeds only on a signed file.
  if osslsigncode extract-signature -in "$bin" -out "$bin.sig" > /dev/null 2>&1; then
    rm -f "$bin.sig"
    echo "sign.sh: $bin is signed already" >&2
    exit 1
  fi
  rm -f "$bin.sig"
  osslsigncode sign -h sha256 "$@" -in "$bin" -out "$bin.signed" > "$bin.log" 2>&1 || {
    cat "$bin.log" >&2
    rm -f "$bin.log" "$bin.signed"
    echo "sign.sh: signing $bin failed" >&2
    exit 1
  }
  rm -f "$bin.log"
  mv "$bin.signed" "$bin"
  echo "sign.sh: signed $bin" >&2
done
if [ -f "$dir/SHA256SUMS" ]; then
  "$here/sha256sums.sh" "$dir"
  echo "sign.sh: wrote $dir/SHA256SUMS again" >&2
fi
