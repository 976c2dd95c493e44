// Key Vault in RBAC mode for the principals' client secrets. Secrets are set with 'az keyvault secret set', never
// passed through the template; the app reads them through Key Vault references.
param location string
param name string
param tenantId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

output name string = vault.name
output id string = vault.id
