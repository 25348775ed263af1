#!/bin/sh
# The build steps of Kindred's container image (deploy/Dockerfile RUNs them; tests/test_deploy.py
# runs them in a temporary folder, on CI's Debian, without Docker).
#
#   image-steps.sh wheels SRC OUT     build Kindred's wheel and every dependency's into OUT
#   image-steps.sh install OUT PREFIX a venv at PREFIX with Kindred from OUT (no index: only OUT)
#   image-steps.sh prepare PREFIX     as the service user: the embedded store and its saved index
#                                     (so a new container's first query fits nothing); prints how
#                                     many snapshot events it holds
#
# PYTHON (default python3) runs pip; KINDRED_EXTRAS (default postgres) names the extras installed;
# PIP_WHEEL_OPTIONS / PIP_INSTALL_OPTIONS add pip options (the tests pass --no-deps, offline).
set -eu
PYTHON=${PYTHON:-python3}
EXTRAS=${KINDRED_EXTRAS:-postgres}

case "${1:-}" in
wheels)
    src=$2 out=$3
    # shellcheck disable=SC2086  # the options are words
    "$PYTHON" -m pip wheel --disable-pip-version-check --no-cache-dir ${PIP_WHEEL_OPTIONS:-} \
        --wheel-dir "$out" "$src[$EXTRAS]"
    ls "$out"/kindred_events-*.whl >/dev/null
    ;;
install)
    out=$2 prefix=$3
    # no pip inside the venv: this pip installs for the venv's interpreter (pip --python)
    "$PYTHON" -m venv --without-pip "$prefix"
    # shellcheck disable=SC2086
    "$PYTHON" -m pip --python "$prefix/bin/python" install --disable-pip-version-check --no-cache-dir \
        --no-index --find-links "$out" ${PIP_INSTALL_OPTIONS:-} "kindred-events[$EXTRAS]"
    ;;
prepare)
    prefix=$2
    # the first query builds the default store from the embedded snapshot and saves its index
    "$prefix/bin/kindred" query "board games and live music" --limit 1 --format json >/dev/null
    "$prefix/bin/kindred" events --source toronto-open-data --format csv | tail -n +2 | wc -l
    ;;
*)
    echo "usage: $0 wheels SRC OUT | install OUT PREFIX | prepare PREFIX" >&2
    exit 2
    ;;
esac
