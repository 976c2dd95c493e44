// An Azure Monitor workbook over the app's telemetry: rows written per second, 429s per principal, run durations,
// runs by status and failed rows by job.
param location string
param name string
param insightsId string

var charts = [
  {
    title: 'Rows written per second'
    query: 'customMetrics | where name == "empower.dataverse.rows" and tostring(customDimensions["empower.dataverse.outcome"]) == "Written" | summarize rowsPerSecond = sum(valueSum) / 60.0 by bin(timestamp, 1m) | render timechart'
  }
  {
    title: '429 responses per principal'
    query: 'customMetrics | where name == "empower.dataverse.throttled" | summarize throttled = sum(valueSum) by principal = tostring(customDimensions["empower.principal"]), bin(timestamp, 5m) | render timechart'
  }
  {
    title: 'Run duration (seconds) by job'
    query: 'customMetrics | where name == "empower.sync.run.duration" | summarize seconds = max(valueMax) by job = tostring(customDimensions["empower.job"]), bin(timestamp, 1h) | render columnchart'
  }
  {
    title: 'Runs by status'
    query: 'customMetrics | where name == "empower.sync.runs" | summarize runs = sum(valueSum) by status = tostring(customDimensions["empower.status"]), job = tostring(customDimensions["empower.job"])'
  }
  {
    title: 'Failed rows by job'
    query: 'customMetrics | where name == "empower.sync.rows" and tostring(customDimensions["empower.outcome"]) == "failed" | summarize failed = sum(valueSum) by job = tostring(customDimensions["empower.job"]), bin(timestamp, 1h) | render columnchart'
  }
]

var items = [for chart in charts: {
  type: 3
  content: {
    version: 'KqlItem/1.0'
    title: chart.title
    query: chart.query
    queryType: 0
    resourceType: 'microsoft.insights/components'
    timeContext: { durationMs: 86400000 }
  }
}]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, name, 'empower-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Empower for Dynamics (${name})'
    category: 'workbook'
    sourceId: insightsId
    serializedData: string({
      version: 'Notebook/1.0'
      items: items
      fallbackResourceIds: [insightsId]
    })
  }
}
