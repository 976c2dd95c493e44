// Delta commits start syncs: a system topic on the lake account and a subscription that delivers BlobCreated events
// for <container>/**/_delta_log/*.json to the blob trigger's Event Grid webhook. Its URL needs the host's
// blobs_extension system key, which exists only once the app's code runs: deploy.sh deploys this module in a second
// pass (deployEventGridSubscription=true), after publishing the code.
param location string
param lakeName string
param systemTopicName string
param appName string
param appResourceGroup string
param container string

resource lake 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: lakeName
}

resource site 'Microsoft.Web/sites@2023-12-01' existing = {
  name: appName
  scope: resourceGroup(appResourceGroup)
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: systemTopicName
  location: location
  properties: {
    source: lake.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource commits 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'empower-delta-commits'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.DeltaCommitSyncs&code=${listKeys('${site.id}/host/default', '2023-12-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${container}/'
      subjectEndsWith: '.json'
      advancedFilters: [
        { operatorType: 'StringContains', key: 'subject', values: ['/_delta_log/'] }
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}
