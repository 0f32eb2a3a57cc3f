#!/usr/bin/env bash
# Checks every Terraform configuration of the repository offline-capable: formatting, the modules' and examples'
# README tables (module-docs-check), then for each configuration init, validate, plans for targets local and
# localstack (neither needs credentials or network) and terraform test, as far as each configuration has them.
# CI runs this.
#
# Providers: when TF_CLI_CONFIG_FILE names an existing file it is used as is; otherwise, where the provider
# mirror /opt/tf-plugins exists (the project's build machines), offline.tfrc is used; otherwise Terraform
# downloads providers from the registry.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mirror=/opt/tf-plugins

if ! command -v terraform >/dev/null 2>&1; then
  echo "check.sh: terraform is not installed (Terraform >= 1.5 is needed)" >&2
  exit 1
fi

if [[ -d "$mirror" && ( -z "${TF_CLI_CONFIG_FILE:-}" || ! -f "${TF_CLI_CONFIG_FILE:-}" ) ]]; then
  export TF_CLI_CONFIG_FILE="$here/offline.tfrc"
fi
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# Each configuration gets a data directory of its own outside the tree, so that this script neither needs nor
# disturbs a .terraform directory someone (or the local cloud's plan cache) keeps in the checkout.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

configurations=(
  "infra/terraform"
  "infra/terraform/examples/complete"
  "infra/terraform/examples/existing-vpc"
  "localstack/test-function/terraform"
  "functions/ratelimit/terraform"
  "functions/scheduler/terraform"
  "functions/shortener/terraform"
  "functions/uploads/terraform"
  "functions/webhooks/terraform"
)
# Which targets each configuration is planned for after init and validate (terraform test runs wherever it has
# tests/). examples/existing-vpc is target aws only, which needs credentials to plan: its tests plan it mocked. The
# capabilities' test stacks (functions/<capability>/terraform) are what their integration tests give the local
# cloud, so target local is the one that matters there.
declare -A plan_targets=(
  ["infra/terraform"]="local localstack"
  ["infra/terraform/examples/complete"]="local localstack"
  ["infra/terraform/examples/existing-vpc"]=""
  ["localstack/test-function/terraform"]="local localstack"
  ["functions/ratelimit/terraform"]="local"
  ["functions/scheduler/terraform"]="local"
  ["functions/shortener/terraform"]="local"
  ["functions/uploads/terraform"]="local"
  ["functions/webhooks/terraform"]="local"
)
# LocalStack has no Redis or Kafka of its own: the project's Testcontainers setup runs them beside it.
root_localstack_variables="-var=redis_url=redis://localhost:6379 -var=kafka_bootstrap_servers=localhost:9092 -var=shortener_code_key=7345912387412398741 -var=shortener_visitor_secret=check-only-visitor-secret-0123456789abcdef"
declare -A localstack_variables=(
  ["infra/terraform"]="$root_localstack_variables"
  ["infra/terraform/examples/complete"]="$root_localstack_variables"
  ["localstack/test-function/terraform"]="-var=kafka_bootstrap_servers=localhost:9092"
)

echo "== terraform fmt -check -recursive"
for configuration in "${configurations[@]}"; do
  terraform -chdir="$repo/$configuration" fmt -check -recursive -diff
done

# Every variable and output described, and the README tables of every module and example equal to the .tf files.
echo "== module-docs-check"
"$here/module-docs-check"

plan() {
  local configuration="$1" target="$2"
  shift 2
  echo "== $configuration: plan (target $target)"
  terraform -chdir="$repo/$configuration" plan -input=false -no-color -lock=false -refresh=false \
    -var "target=$target" "$@" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; return 1; }
  grep -E '^Plan:|^No changes' "$work/plan.log" || true
}

for configuration in "${configurations[@]}"; do
  export TF_DATA_DIR="$work/$(echo "$configuration" | tr / _)"
  echo "== $configuration: init"
  terraform -chdir="$repo/$configuration" init -input=false -no-color >"$work/init.log" 2>&1 \
    || { cat "$work/init.log" >&2; exit 1; }
  echo "== $configuration: validate"
  terraform -chdir="$repo/$configuration" validate -no-color
  for target in ${plan_targets[$configuration]}; do
    if [[ "$target" == localstack ]]; then
      # shellcheck disable=SC2086 # one word per -var
      plan "$configuration" localstack ${localstack_variables[$configuration]}
    else
      plan "$configuration" "$target"
    fi
  done
  # Offline audits with a mocked provider (tests/*.tftest.hcl): IAM grants, allow-list refusals, secrets.
  if compgen -G "$repo/$configuration/tests/*.tftest.hcl" >/dev/null; then
    echo "== $configuration: terraform test"
    terraform -chdir="$repo/$configuration" test -no-color >"$work/test.log" 2>&1 \
      || { grep -v '^  - ' "$work/test.log" >&2; exit 1; }
    grep -E '^ *run "|passed|failed' "$work/test.log" || true
  fi
done

# Modules with tests of their own (validation refusals, IAM grants), run with a mocked provider.
for tests in "$here"/modules/*/tests; do
  module="${tests%/tests}"
  name="infra/terraform/modules/$(basename "$module")"
  export TF_DATA_DIR="$work/$(echo "$name" | tr / _)"
  echo "== $name: terraform test"
  terraform -chdir="$module" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
  terraform -chdir="$module" test -no-color >"$work/test.log" 2>&1 || { grep -v '^  - ' "$work/test.log" >&2; exit 1; }
  grep -E 'passed|failed' "$work/test.log" || true
done

echo "== all Terraform configurations check out"
