// Alert rules on the app's Application Insights: a run failed, failed rows above a threshold, and every principal
// throttled (429s, nothing written) for longer than a window. They notify an action group when an e-mail is given.
param location string
param name string
param insightsId string
param alertEmail string
param failedRowsThreshold int
param throttledMinutes int

resource group 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${name}'
  location: 'global'
  properties: {
    groupShortName: take('empower', 12)
    enabled: true
    emailReceivers: [
      { name: 'operator', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var rules = [
  {
    key: 'run-failed'
    title: 'Empower: a sync run failed'
    severity: 1
    window: 'PT15M'
    // An orchestration that throws is a failed invocation of the SyncRunOrchestrator function.
    query: 'requests | where name == "SyncRunOrchestrator" and success == false | project timestamp, operation_Id, resultCode'
    threshold: 0
  }
  {
    key: 'failed-rows'
    title: 'Empower: failed rows above ${failedRowsThreshold} in a run'
    severity: 2
    window: 'PT1H'
    query: 'customMetrics | where name == "empower.sync.rows" and tostring(customDimensions["empower.outcome"]) == "failed" | summarize failed = sum(valueSum) by job = tostring(customDimensions["empower.job"]) | where failed > ${failedRowsThreshold}'
    threshold: 0
  }
  {
    key: 'all-throttled'
    title: 'Empower: every principal throttled for ${throttledMinutes} minutes'
    severity: 2
    window: 'PT${throttledMinutes}M'
    query: 'customMetrics | where name in ("empower.dataverse.throttled", "empower.dataverse.rows") | summarize throttled = sumif(valueSum, name == "empower.dataverse.throttled"), written = sumif(valueSum, name == "empower.dataverse.rows" and tostring(customDimensions["empower.dataverse.outcome"]) == "Written") | where throttled > 0 and written == 0'
    threshold: 0
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for rule in rules: {
  name: 'alert-${name}-${rule.key}'
  location: location
  properties: {
    displayName: rule.title
    severity: rule.severity
    enabled: true
    scopes: [insightsId]
    evaluationFrequency: 'PT5M'
    windowSize: rule.window
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: rule.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: {
      actionGroups: empty(alertEmail) ? [] : [group.id]
    }
  }
}]
