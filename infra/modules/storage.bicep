// The app's own storage account: host state, the Durable Task hub (blobs, queues, tables) and the deployment
// package container. Shared keys are off: the app signs in with its managed identity.
param location string
param name string
param deploymentContainer string

resource host 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: host
  name: 'default'
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

output name string = host.name
output id string = host.id
output blobEndpoint string = host.properties.primaryEndpoints.blob
