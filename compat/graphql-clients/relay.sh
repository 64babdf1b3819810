#!/usr/bin/env bash
# relay-compiler over the repository's schema.graphql: the fragments under relay/src
# (@refetchable on Node types, @connection on connections) must compile. Runs in a copy,
# so nothing is written into the tree.
#
#   compat/graphql-clients/relay.sh SCHEMA WORKDIR
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SCHEMA="$1"
WORK="$2/relay"
rm -rf "$WORK"
cp -r "$HERE/relay" "$WORK"
cp "$SCHEMA" "$WORK/schema.graphql"
cd "$WORK"
mkdir -p __generated__
"$HERE/node_modules/.bin/relay-compiler" --output verbose
ls __generated__/BomCardRefetchQuery.graphql.js __generated__/BomListPaginationQuery.graphql.js >/dev/null
