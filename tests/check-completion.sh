#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bash completion (data/bash-completion/wsinstall), sourced into bash
# and called as bash calls it on TAB: the replies for a command line with
# the cursor at its end. TAP output.
#
#   check-completion.sh WSINSTALL COMPLETION-SCRIPT SOURCE-ROOT
set -u
exe=$1
script=$2
cd "$3" || exit 1
# shellcheck source=/dev/null # the script under test, named on the command line
. "$script"

n=0
fail=0
echo "1..16"

# The replies for LINE, sorted, one a line.
replies() {
    COMP_LINE=$1
    COMP_POINT=${#1}
    COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
    COMPREPLY=()
    _wsinstall "$exe" "" "" 2>/dev/null
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# expect LINE WORD... : the replies are exactly these words.
expect() {
    local line=$1 got want
    shift
    n=$((n + 1))
    got=$(replies "$line")
    want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    if [ "$got" = "$want" ]; then
        echo "ok $n - '$line' completes to: $*"
    else
        echo "not ok $n - '$line' completes to: $*"
        printf '%s\n' "$got" | sed 's/^/# got: /'
        fail=1
    fi
}

# includes LINE WORD... : the replies include these words (and not wsc32).
includes() {
    local line=$1 got w missing=""
    shift
    n=$((n + 1))
    got=$(replies "$line")
    for w in "$@"; do
        printf '%s\n' "$got" | grep -qx -- "$w" || missing="$missing $w"
    done
    printf '%s\n' "$got" | grep -q wsc32 && missing="$missing (wsc32 offered)"
    if [ -z "$missing" ]; then
        echo "ok $n - '$line' offers $*"
    else
        echo "not ok $n - '$line' offers $*: missing$missing"
        printf '%s\n' "$got" | sed 's/^/# got: /'
        fail=1
    fi
}

# Commands.
includes "wsinstall " validate plan apply uninstall recover repair explain schema catalog
expect "wsinstall cat" catalog
expect "wsinstall catalog " check diff export import list resolve show
expect "wsinstall --verbose pl" plan
expect "wsinstall -" -V --version --verbose --color= --help
# Options and their values.
expect "wsinstall plan --ma" --machine=
expect "wsinstall validate --format=" text json sarif github
expect "wsinstall plan --format " text json html
expect "wsinstall catalog show -c " 32 64
expect "wsinstall catalog resolve --af=inet" inet inet6
expect "wsinstall --color=n" never
# Tags.
expect "wsinstall explain chain-" chain-too-long
includes "wsinstall explain " reference-read-only orphan-chain xml-malformed
# Reference catalogs: bash replaces what follows ':' (and '='), so the
# replies are the names.
expect "wsinstall plan --machine ref:win1" win10-1709-x64 win10-x64
expect "wsinstall catalog diff --format=json ref:win7" win7-x86
# Files.
expect "wsinstall plan manifests/contoso-w" manifests/contoso-web-filter.xml
[ "$fail" = 0 ]
