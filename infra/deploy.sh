#!/usr/bin/env bash
# Deploys Empower for Dynamics into a resource group, in the three steps docs/deployment.md explains:
#   1. the infrastructure (main.bicep with your parameters file),
#   2. the Functions app's code (dotnet publish, zip, deploy),
#   3. the infrastructure again with deployEventGridSubscription=true: the Event Grid subscription needs the blob
#      extension's system key, which exists only once the code runs.
# Usage: infra/deploy.sh <resource-group> <parameters-file (.bicepparam)>
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 <resource-group> <parameters-file>" >&2
  exit 2
fi
group=$1
parameters=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
for tool in az jq zip dotnet; do
  command -v "$tool" >/dev/null || { echo "deploy.sh: $tool is needed (docs/deployment.md, before you start)" >&2; exit 2; }
done

echo "1/3 infrastructure"
outputs=$(az deployment group create -g "$group" -f "$root/infra/main.bicep" -p "$parameters" --query properties.outputs -o json)
app=$(jq -r .functionAppName.value <<<"$outputs")
plan_kind=$(jq -r .planKind.value <<<"$outputs")

echo "2/3 code of $app"
out=$(mktemp -d)
dotnet publish "$root/src/Empower.Functions" -c Release -o "$out/app"
(cd "$out/app" && zip -qr "$out/empower-functions.zip" .)
if [ "$plan_kind" = ElasticPremium ]; then
  # Elastic Premium runs the package from the deployment container (WEBSITE_RUN_FROM_PACKAGE).
  container=$(jq -r .deploymentContainerUrl.value <<<"$outputs")
  account=$(sed -E 's#https://([^.]+)\..*#\1#' <<<"$container")
  az storage blob upload --auth-mode login --account-name "$account" -c app-package -n empower-functions.zip -f "$out/empower-functions.zip" --overwrite
  az functionapp restart -g "$group" -n "$app"
else
  az functionapp deployment source config-zip -g "$group" -n "$app" --src "$out/empower-functions.zip"
fi

echo "3/3 Event Grid subscription for Delta commits"
az deployment group create -g "$group" -f "$root/infra/main.bicep" -p "$parameters" -p deployEventGridSubscription=true -o none
echo "Deployed $app. Next: upload job files to $(jq -r .jobsLocation.value <<<"$outputs") (docs/deployment.md, step 7)."
