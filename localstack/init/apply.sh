#!/usr/bin/env bash
# Applies a Terraform configuration of this repository to the LocalStack of localstack/docker-compose.yml:
# `terraform apply -var target=localstack`, whose provider sends every AWS call to http://localhost:4566
# (the endpoint overrides tflocal would generate, written out in infra/terraform/providers.tf).
#
#   localstack/init/apply.sh [plan|apply|destroy] [extra terraform flags]
#
# TF_DIR picks the configuration (default infra/terraform). Functions run in LocalStack's Lambda containers, on
# the compose network, so they get Redis and Kafka by their compose names. The state lives in the Terraform
# workspace "localstack", apart from a real deployment's default workspace.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
action="${1:-apply}"
[ $# -eq 0 ] || shift
case "$action" in
  plan|apply|destroy) ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "apply.sh: the action is plan, apply or destroy, not '$action'" >&2; exit 2 ;;
esac
config="${TF_DIR:-infra/terraform}"
[ -d "$config" ] || { echo "apply.sh: no Terraform configuration at $config" >&2; exit 2; }
command -v terraform >/dev/null 2>&1 || { echo "apply.sh: terraform is not installed" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "apply.sh: curl is needed to wait for LocalStack" >&2; exit 1; }

echo "apply.sh: waiting for LocalStack on http://localhost:4566 (docker compose -f localstack/docker-compose.yml up -d)"
deadline=$((SECONDS + ${LOCALSTACK_WAIT_SECONDS:-120}))
until curl -fs http://localhost:4566/_localstack/health >/dev/null 2>&1; do
  if [ $SECONDS -ge $deadline ]; then
    echo "apply.sh: LocalStack did not answer on localhost:4566; is the compose stack up?" >&2
    exit 1
  fi
  sleep 1
done

if [ "$action" != destroy ]; then
  missing=""
  for module in $(native/function-modules); do
    [ -f "$module/target/function.zip" ] || missing="$missing $module"
  done
  if [ -n "$missing" ]; then
    echo "apply.sh: functions not built:$missing; run mvn -B -q install -DskipTests first" >&2
    exit 1
  fi
fi

# Offline machines carry the AWS provider in a filesystem mirror; elsewhere Terraform uses its registry.
if [ -d /opt/tf-plugins ] && { [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -f "${TF_CLI_CONFIG_FILE}" ]; }; then
  export TF_CLI_CONFIG_FILE="$root/infra/terraform/offline.tfrc"
fi
# A data directory of its own, so that this neither needs nor disturbs the .terraform of other uses.
export TF_DATA_DIR="$root/localstack/target/$(echo "$config" | tr / _)/.terraform"
mkdir -p "$TF_DATA_DIR"

terraform -chdir="$config" init -input=false
terraform -chdir="$config" workspace select -or-create localstack
args=(-input=false -var target=localstack)
# Configurations that take Redis and Kafka get the compose services, as the Lambda containers see them.
if grep -qs 'variable "redis_url"' "$config"/*.tf; then args+=(-var redis_url=redis://redis:6379); fi
if grep -qs 'variable "kafka_bootstrap_servers"' "$config"/*.tf; then args+=(-var kafka_bootstrap_servers=kafka:19092); fi
case "$action" in
  plan) terraform -chdir="$config" plan "${args[@]}" "$@" ;;
  apply) terraform -chdir="$config" apply -auto-approve "${args[@]}" "$@"
         terraform -chdir="$config" output ;;
  destroy) terraform -chdir="$config" destroy -auto-approve "${args[@]}" "$@" ;;
esac
