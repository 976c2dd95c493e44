// Copy and edit for your environment: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
using 'main.bicep'

param name = 'empower'
param dataverseUrl = 'https://contoso.crm.dynamics.com/'
param principals = [
  { clientId: '00000000-0000-0000-0000-000000000001', secretName: 'empower-app-1' }
  { clientId: '00000000-0000-0000-0000-000000000002', secretName: 'empower-app-2' }
]
param lakeAccountName = 'contosolake'
param createLake = false
param exportsContainer = 'exports'
param stateContainer = 'empower'
