#!/bin/bash
# LocalStack runs this inside its container once every service is ready (init hook "ready.d"). The resources
# themselves come from Terraform (localstack/init/apply.sh), so that LocalStack, AWS and the Docker-free local
# cloud are all provisioned from the same files; this hook only says what is up.
set -euo pipefail
echo "blocks: LocalStack is ready on port 4566 with: $(curl -fs http://localhost:4566/_localstack/health \
  | tr -d '\n ' | grep -o '"services":{[^}]*}' || echo 'unknown services')"
echo "blocks: next, from the repository root: localstack/init/apply.sh"
