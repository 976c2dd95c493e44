// The Function App (Linux, .NET isolated) on Flex Consumption or Elastic Premium, with a system-assigned managed
// identity, identity-based host storage and, optionally, Microsoft Entra ID in front of the HTTP API.
param location string
param name string
@allowed(['FlexConsumption', 'ElasticPremium'])
param planKind string
param instanceMemoryMB int
param maximumInstanceCount int
param hostStorageName string
param hostBlobEndpoint string
param deploymentContainer string
param insightsConnectionString string
@description('Empower settings (names with __), merged into the app settings.')
param settings object
param requireEntraAuth bool
param entraApiClientId string
param tenantId string

var isFlex = planKind == 'FlexConsumption'
var dotnetVersion = '10.0'
var packageUrl = '${hostBlobEndpoint}${deploymentContainer}/empower-functions.zip'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${name}'
  location: location
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex ? { name: 'FC1', tier: 'FlexConsumption' } : { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : maximumInstanceCount
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      linuxFxVersion: isFlex ? null : 'DOTNET-ISOLATED|${dotnetVersion}'
    }
    functionAppConfig: isFlex ? {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: dotnetVersion }
    } : null
  }
}

// Host storage and Application Insights through the managed identity: no account key or instrumentation key.
var platformSettings = {
  AzureWebJobsStorage__accountName: hostStorageName
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
}

// Flex Consumption names its runtime in functionAppConfig; Elastic Premium needs the classic settings and runs the
// package that deploy.sh uploads, read with the managed identity.
var premiumSettings = isFlex ? {} : {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  WEBSITE_RUN_FROM_PACKAGE: packageUrl
  WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: 'SystemAssigned'
}

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platformSettings, premiumSettings, settings)
}

// Function keys stay required; with Entra ID on, callers also need a token for the API's app registration. The blob
// webhook (Event Grid) and the health probe are left to their keys.
resource auth 'Microsoft.Web/sites/config@2023-12-01' = if (requireEntraAuth) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: ['/runtime/webhooks/blobs', '/api/health']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraApiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${entraApiClientId}', entraApiClientId]
        }
      }
    }
  }
}

output name string = site.name
output principalId string = site.identity.principalId
output hostName string = site.properties.defaultHostName
