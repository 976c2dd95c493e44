// Log Analytics workspace and the workspace-based Application Insights resource the app exports to.
param location string
param name string
param retentionDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Only Microsoft Entra-authenticated telemetry (the app's managed identity) is accepted.
    DisableLocalAuth: true
  }
}

output insightsName string = insights.name
output insightsId string = insights.id
output connectionString string = insights.properties.ConnectionString
