#!/usr/bin/env bash
# Run a subset of the public ceph/s3-tests conformance suite against a fresh Tessera.
#
# usage: scripts/s3-tests.sh SUBSET [pytest args...]
#   SUBSET: a subset name of the suite runner (e.g. core_deps, tagging_all, a_tagging_api), a file of test ids,
#           or a pytest -k expression.
# environment:
#   S3TESTS_DIR         an extracted copy of ceph/s3-tests (kept outside this repository)
#   S3TESTS_PYTHONPATH  where munch / isodate / pytz live (see the suite runner's README)
#   S3TESTS_RUNNER      the suite runner script (default: ../shared/s3-tests/run.sh next to this checkout)
# The server is built from this checkout (npm run build first) and listens on a free port on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runner="${S3TESTS_RUNNER:-$here/../shared/s3-tests/run.sh}"
[ $# -ge 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
[ -x "$runner" ] || [ -f "$runner" ] || { echo "s3-tests.sh: runner not found at $runner" >&2; exit 2; }

data="$(mktemp -d -t tessera-s3tests.XXXXXX)"
cli=(node "$here/dist/src/cli/main.js")
MAIN_KEY=S3TESTSMAINKEY000001; MAIN_SECRET=s3tests-main-secret-000000000000000000000
TEN_KEY=S3TESTSTENANTKEY0001;  TEN_SECRET=s3tests-tenant-secret-000000000000000000

# "alt" is an IAM user (with full S3 rights) of its own account, whose root is the suite's [iam] identity: the
# IAM tests put user policies on alt (UserName = alt's user id), the rest use alt as another account's principal.
IAM_KEY=S3TESTSIAMROOTKEY001; IAM_SECRET=s3tests-iam-root-secret-00000000000000000
alt_json="$("${cli[@]}" accounts create --data-dir "$data" --name alt --account-id 111111111111 --access-key-id "$IAM_KEY" --secret-access-key "$IAM_SECRET")"
ten_json="$("${cli[@]}" accounts create --data-dir "$data" --name tenant --account-id 222222222222 --access-key-id "$TEN_KEY" --secret-access-key "$TEN_SECRET")"
json_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

export TESSERA_LIFECYCLE_DAY_SECONDS="${S3TESTS_LC_DEBUG_INTERVAL:-10}"
TESSERA_ADDRESS=127.0.0.1:0 TESSERA_DATA_DIR="$data" TESSERA_ROOT_ACCESS_KEY_ID="$MAIN_KEY" \
  TESSERA_ROOT_SECRET_ACCESS_KEY="$MAIN_SECRET" TESSERA_LOG_LEVEL="${TESSERA_LOG_LEVEL:-error}" \
  "${cli[@]}" server > "$data/server.out" 2> "$data/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q 'listening on' "$data/server.out" 2>/dev/null && break; sleep 0.1; done
endpoint="$(grep -o 'http://[^ ]*' "$data/server.out" | head -1)"
[ -n "$endpoint" ] || { echo "s3-tests.sh: server did not start" >&2; cat "$data/server.err" >&2; exit 1; }
port="${endpoint##*:}"

alt_id="$(json_field "$alt_json" canonicalId)"
read -r ALT_KEY ALT_SECRET < <(python3 - "$endpoint" "$IAM_KEY" "$IAM_SECRET" "$alt_id" <<'PY'
import json, sys, boto3
endpoint, key, secret, user = sys.argv[1:5]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret)
iam.create_user(UserName=user)
iam.put_user_policy(UserName=user, PolicyName="s3-full-access", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
k = iam.create_access_key(UserName=user)["AccessKey"]
print(k["AccessKeyId"], k["SecretAccessKey"])
PY
)
[ -n "$ALT_KEY" ] || { echo "s3-tests.sh: could not create the alt IAM user" >&2; exit 1; }
main_id="$(node -e 'import("'"$here"'/dist/src/core/identity/canonicalId.js").then(m=>console.log(m.canonicalIdOf("000000000000")))')"
S3_ENDPOINT_HOST=127.0.0.1 S3_ENDPOINT_PORT="$port" \
S3_MAIN_ACCESS_KEY="$MAIN_KEY" S3_MAIN_SECRET_KEY="$MAIN_SECRET" S3_MAIN_USER_ID="$main_id" S3_MAIN_DISPLAY_NAME=tessera \
S3_ALT_ACCESS_KEY="$ALT_KEY" S3_ALT_SECRET_KEY="$ALT_SECRET" S3_ALT_USER_ID="$alt_id" S3_ALT_DISPLAY_NAME=alt \
S3_IAM_ACCESS_KEY="$IAM_KEY" S3_IAM_SECRET_KEY="$IAM_SECRET" S3_IAM_USER_ID="$alt_id" S3_IAM_DISPLAY_NAME=alt \
S3_TENANT_ACCESS_KEY="$TEN_KEY" S3_TENANT_SECRET_KEY="$TEN_SECRET" S3_TENANT_USER_ID="$(json_field "$ten_json" canonicalId)" S3_TENANT_DISPLAY_NAME=tenant \
S3_API_NAME="${S3_API_NAME:-us-east-1}" \
  bash "$runner" "$@"
