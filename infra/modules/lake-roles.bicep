// What the app identity may do in the lake (deployed into the lake's resource group): read the source containers,
// write the state container (reports, watermarks, failed rows, published state, job files), and use the account's
// queues for the blob trigger's poison messages.
param principalId string
param lakeName string
param sourceContainers array
param stateContainer string

var roles = {
  blobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: lakeName
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: lake
  name: 'default'
}

resource sources 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for c in sourceContainers: {
  parent: blobs
  name: c
}]

resource state 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobs
  name: stateContainer
}

resource sourceReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in sourceContainers: {
  name: guid(sources[i].id, principalId, roles.blobDataReader)
  scope: sources[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataReader)
  }
}]

resource stateWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(state.id, principalId, roles.blobDataContributor)
  scope: state
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
  }
}

resource triggerQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(lake.id, principalId, roles.queueDataContributor)
  scope: lake
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
  }
}
