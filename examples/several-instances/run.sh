#!/usr/bin/env bash
# Two grant-server instances on one PostgreSQL database, a round-robin proxy in front, and a
# client created through the proxy that gets tokens from both instances. Run from the repository
# root after `npm run build`: bash examples/several-instances/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
node=${NODE:-node_modules/.bin/node}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "${POSTGRES_DIR:-}" ]] && bash scripts/postgres stop "$POSTGRES_DIR"
}
trap cleanup EXIT

# 1. PostgreSQL (here a throwaway one; in production your managed database).
eval "$(bash scripts/postgres start)"
export GRANTS_DATABASE_URL

# 2. What every instance must share: the database, the admin token, the master key, the public URL.
export GRANTS_ADMIN_TOKEN="uga_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
export GRANTS_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
PUBLIC_URL=http://127.0.0.1:4100

for port in 4101 4102; do
  "$node" dist/server/cli.js --port "$port" --public-url "$PUBLIC_URL" --log-level warn &
  pids+=($!)
done
"$node" examples/several-instances/round-robin-proxy.mjs 4100 http://127.0.0.1:4101 http://127.0.0.1:4102 &
pids+=($!)
for port in 4100 4101 4102; do
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done

# 3. Everything through the proxy: whichever instance answers, the data is the same.
admin=(-H "authorization: Bearer $GRANTS_ADMIN_TOKEN" -H "content-type: application/json")
provider=$(curl -fs "${admin[@]}" -d '{"name":"Acme","description":"demo"}' "$PUBLIC_URL/v1/providers")
provider_id=$(echo "$provider" | "$node" -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
client=$(curl -fs "${admin[@]}" -d '{"name":"worker","audience":"https://api.example.test"}' \
  "$PUBLIC_URL/v1/providers/$provider_id/clients")
client_id=$(echo "$client" | "$node" -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
client_secret=$(echo "$client" | "$node" -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).clientSecret')
curl -fs "${admin[@]}" -d "{\"client_id\":\"$client_id\",\"audience\":\"https://api.example.test\"}" \
  "$PUBLIC_URL/api/v2/client-grants" >/dev/null

for _ in 1 2; do
  curl -fs -D - -o /dev/null -u "$client_id:$client_secret" \
    -d grant_type=client_credentials -d audience=https://api.example.test \
    "$PUBLIC_URL/p/$provider_id/oauth/token" | grep -i '^x-upstream' | tr -d '\r' |
    sed 's/^/token issued by /'
done
echo "both instances publish the same keys:"
for port in 4101 4102; do
  curl -fs "http://127.0.0.1:$port/p/$provider_id/.well-known/jwks" |
    "$node" -pe "'  $port: ' + JSON.parse(require('fs').readFileSync(0, 'utf8')).keys.map((k) => k.kid).join(', ')"
done
