// Empower for Dynamics in one resource group: the Function App and its storage, Key Vault for the principals'
// secrets, Application Insights with a workbook and alerts, the lake's role assignments and (second pass) the Event
// Grid subscription that starts syncs on Delta commits. See docs/deployment.md.
targetScope = 'resourceGroup'

@description('Short base name (letters and digits) for every resource.')
@minLength(3)
@maxLength(12)
param name string

@description('Region of every new resource.')
param location string = resourceGroup().location

@allowed(['FlexConsumption', 'ElasticPremium'])
param planKind string = 'FlexConsumption'

@description('Flex Consumption instance memory; docs/deployment.md says how Empower sizes its concurrency for it.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

param maximumInstanceCount int = 40

@description('The Dataverse environment URL, e.g. https://contoso.crm.dynamics.com/.')
param dataverseUrl string

@description('The Microsoft Entra tenant of the app registrations.')
param tenantId string = tenant().tenantId

@description('The application users Empower writes with: [{ clientId, secretName }]; each secret lives in the Key Vault under secretName.')
@minLength(1)
param principals array

@description('The ADLS Gen2 account of the lake: an existing one (createLake=false) or a new one.')
param lakeAccountName string

param createLake bool = false

@description('Resource group of an existing lake account.')
param lakeResourceGroup string = resourceGroup().name

@description('The container Spark exports to; its _delta_log commits start onNewCommit jobs.')
param exportsContainer string = 'exports'

@description('Containers the app reads tables from (Storage Blob Data Reader).')
param sourceContainers array = [exportsContainer]

@description('The container for run state, reports, failed rows, published state and job files (Storage Blob Data Contributor).')
param stateContainer string = 'empower'

@description('NCRONTAB of the nightly timer (UTC).')
param nightlySchedule string = '0 0 2 * * *'

@description('NCRONTAB of the ingest timer: how often ingest jobs read the changes of their Dataverse tables.')
param ingestSchedule string = '0 */1 * * * *'

@description('Second pass only, after the code is published: subscribe the blob trigger to Delta commits.')
param deployEventGridSubscription bool = false

@description('Require a Microsoft Entra ID token on the HTTP API (function keys stay required).')
param requireEntraAuth bool = false

@description('With requireEntraAuth: the client id of the API app registration callers get tokens for.')
param entraApiClientId string = ''

@description('E-mail for the alerts; empty = alerts without notification.')
param alertEmail string = ''

param failedRowsAlertThreshold int = 100

param throttledAlertMinutes int = 15

param logRetentionDays int = 30

@description('Empower tuning settings (app setting name -> value); the defaults are the code\'s own (docs/configuration.md).')
param tuning object = {
  Empower__Dataverse__BatchSize: '1000'
  Empower__Dataverse__ElasticBatchSize: '100'
  Empower__Dataverse__MinBatchSize: '10'
  Empower__Dataverse__InitialConcurrency: '2'
  Empower__Dataverse__MaxConcurrencyPerPrincipal: '52'
  Empower__Dataverse__MaxAttempts: '8'
  Empower__Dataverse__RequestTimeout: '00:02:00'
  Empower__Dataverse__MaxThrottleWait: '00:00:30'
  Empower__Dataverse__SlowRequest: '00:00:30'
  Empower__Dataverse__ConnectionLifetime: '00:05:00'
  Empower__Dataverse__UseBulkActions: 'true'
  Empower__Dataverse__KeyCollation: 'AccentInsensitive'
  Empower__Pipeline__Parallelism: '4'
  Empower__Pipeline__PartitionMaxRows: '50000'
  Empower__Pipeline__WindowRows: '5000'
}

var token = toLower(uniqueString(resourceGroup().id, name))
var appName = 'func-${name}-${token}'
var deploymentContainer = 'app-package'
var lakeBlob = 'https://${lakeAccountName}.blob.${environment().suffixes.storage}'
var lakeQueue = 'https://${lakeAccountName}.queue.${environment().suffixes.storage}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    name: name
    retentionDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: take('st${name}${token}', 24)
    deploymentContainer: deploymentContainer
  }
}

module lake 'modules/lake.bicep' = if (createLake) {
  name: 'lake'
  params: {
    location: location
    name: lakeAccountName
    containers: union(sourceContainers, [exportsContainer, stateContainer])
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: take('kv-${name}-${token}', 24)
    tenantId: tenantId
  }
}

// Every Empower setting the app reads; the names use __ because Linux app settings cannot contain ':'.
var empowerSettings = {
  Empower__Dataverse__Url: dataverseUrl
  Empower__Dataverse__TenantId: tenantId
  Empower__Lake__Authentication: 'ManagedIdentity'
  Empower__Pipeline__StateLocation: '${lakeBlob}/${stateContainer}'
  // host.json's maxConcurrentActivityFunctions, and the instance's memory: start-up checks the two fit together.
  Empower__Pipeline__ActivitiesPerInstance: '8'
  Empower__Pipeline__MemoryBudgetMB: string(instanceMemoryMB)
  Empower__Jobs__Location: '${lakeBlob}/${stateContainer}/jobs'
  Empower__Schedule__Nightly: nightlySchedule
  Empower__Schedule__Ingest: ingestSchedule
  Empower__Triggers__Container: exportsContainer
  EmpowerLake__blobServiceUri: lakeBlob
  EmpowerLake__queueServiceUri: lakeQueue
}

var principalSettings = reduce(range(0, length(principals)), {}, (settings, i) => union(settings, {
  'Empower__Dataverse__Principals__${i}__ClientId': principals[i].clientId
  'Empower__Dataverse__Principals__${i}__ClientSecret': '@Microsoft.KeyVault(VaultName=${vault.outputs.name};SecretName=${principals[i].secretName})'
}))

module app 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    location: location
    name: appName
    planKind: planKind
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    hostStorageName: storage.outputs.name
    hostBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainer: deploymentContainer
    insightsConnectionString: monitoring.outputs.connectionString
    settings: union(empowerSettings, principalSettings, tuning)
    requireEntraAuth: requireEntraAuth
    entraApiClientId: entraApiClientId
    tenantId: tenantId
  }
}

module hostRoles 'modules/host-roles.bicep' = {
  name: 'hostRoles'
  params: {
    principalId: app.outputs.principalId
    hostStorageName: storage.outputs.name
    insightsName: monitoring.outputs.insightsName
    vaultName: vault.outputs.name
  }
}

module lakeRoles 'modules/lake-roles.bicep' = {
  name: 'lakeRoles'
  scope: resourceGroup(lakeResourceGroup)
  dependsOn: [lake]
  params: {
    principalId: app.outputs.principalId
    lakeName: lakeAccountName
    sourceContainers: sourceContainers
    stateContainer: stateContainer
  }
}

module commits 'modules/eventgrid.bicep' = if (deployEventGridSubscription) {
  name: 'eventGrid'
  scope: resourceGroup(lakeResourceGroup)
  params: {
    location: location
    lakeName: lakeAccountName
    systemTopicName: 'evgt-${lakeAccountName}'
    appName: app.outputs.name
    appResourceGroup: resourceGroup().name
    container: exportsContainer
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    name: name
    insightsId: monitoring.outputs.insightsId
    alertEmail: alertEmail
    failedRowsThreshold: failedRowsAlertThreshold
    throttledMinutes: throttledAlertMinutes
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    name: name
    insightsId: monitoring.outputs.insightsId
  }
}

output functionAppName string = app.outputs.name
output functionAppHostName string = app.outputs.hostName
output keyVaultName string = vault.outputs.name
output deploymentContainerUrl string = '${storage.outputs.blobEndpoint}${deploymentContainer}'
output jobsLocation string = '${lakeBlob}/${stateContainer}/jobs'
output planKind string = planKind
