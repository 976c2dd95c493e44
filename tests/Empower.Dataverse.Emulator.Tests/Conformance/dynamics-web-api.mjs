// Drives the emulator with dynamics-web-api, a Dataverse Web API client written by others, and checks each operation
// answers as Microsoft documents it. Usage: node tests/Empower.Dataverse.Emulator.Tests/Conformance/dynamics-web-api.mjs <emulator base url> [client id] [secret]
// Prints one JSON line per operation ({"operation","ok","detail"}) and exits 1 if any failed.
import { DynamicsWebApi } from "dynamics-web-api";

const [base = "http://127.0.0.1:5099/", clientId = "empower-app-1", secret = "emulator-secret", tenant = "emulator"] = process.argv.slice(2);
const serverUrl = base.replace(/\/?$/, "/");

async function token() {
  const response = await fetch(new URL(`${tenant}/oauth2/v2.0/token`, serverUrl), {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret, scope: `${serverUrl}.default` }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}: ${await response.text()}`);
  return (await response.json()).access_token;
}

const api = new DynamicsWebApi({ serverUrl, onTokenRefresh: token, dataApi: { version: "9.2" } });
const run = Date.now().toString(36);
const key = (n) => `DWA-${run}-${n}`;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let failures = 0;

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

async function operation(name, body) {
  try {
    const detail = await body();
    console.log(JSON.stringify({ operation: name, ok: true, detail: detail ?? "" }));
  } catch (error) {
    failures++;
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    console.log(JSON.stringify({ operation: name, ok: false, detail: `${error.status ?? ""} ${message}`.trim() }));
  }
}

let accountId;
await operation("create", async () => {
  accountId = await api.create({ collection: "accounts", data: { name: "Conformance", accountnumber: key(1) } });
  expect(guid.test(accountId), `create returned ${accountId}, not the new record's id`);
  return accountId;
});

await operation("create returning the representation", async () => {
  const record = await api.create({ collection: "accounts", data: { name: "Represented", accountnumber: key(2) }, returnRepresentation: true, select: ["name"] });
  expect(record.name === "Represented" && guid.test(record.accountid), `got ${JSON.stringify(record)}`);
});

await operation("retrieve by id", async () => {
  const record = await api.retrieve({ collection: "accounts", key: accountId, select: ["name", "accountnumber"] });
  expect(record.accountnumber === key(1) && record["@odata.etag"], `got ${JSON.stringify(record)}`);
});

await operation("retrieve by alternate key", async () => {
  const record = await api.retrieve({ collection: "accounts", key: `accountnumber='${key(1)}'`, select: ["accountid"] });
  expect(record.accountid === accountId, `got ${JSON.stringify(record)}`);
});

await operation("upsert by alternate key", async () => {
  await api.upsert({ collection: "accounts", key: `accountnumber='${key(3)}'`, data: { name: "Upserted" } });
  await api.upsert({ collection: "accounts", key: `accountnumber='${key(3)}'`, data: { name: "Upserted again" } });
  const found = await api.retrieveMultiple({ collection: "accounts", filter: `accountnumber eq '${key(3)}'`, select: ["name"] });
  expect(found.value.length === 1 && found.value[0].name === "Upserted again", `got ${JSON.stringify(found.value)}`);
});

await operation("query with a filter and paging", async () => {
  for (let i = 0; i < 12; i++) await api.create({ collection: "accounts", data: { name: `Paged ${i}`, accountnumber: key(`P${i}`) } });
  const filter = `startswith(accountnumber,'${key("P")}')`;
  const page = await api.retrieveMultiple({ collection: "accounts", filter, select: ["name"], maxPageSize: 5 });
  expect(page.value.length === 5 && page.oDataNextLink, `first page: ${page.value.length} records, next link ${page.oDataNextLink}`);
  const all = await api.retrieveAll({ collection: "accounts", filter, select: ["name"], maxPageSize: 5 });
  expect(all.value.length === 12, `all pages: ${all.value.length} records`);
  return "12 records in pages of 5";
});

await operation("count", async () => {
  const filter = `startswith(accountnumber,'${key("P")}')`;
  const count = await api.count({ collection: "accounts", filter });
  const all = await api.countAll({ collection: "accounts", filter });
  expect(count === 12 && all === 12, `count ${count}, countAll ${all}`);
});

await operation("CreateMultiple", async () => {
  const result = await api.callAction({ collection: "accounts", actionName: "Microsoft.Dynamics.CRM.CreateMultiple", action: {
    Targets: [1, 2, 3].map((i) => ({ "@odata.type": "Microsoft.Dynamics.CRM.account", name: `Bulk ${i}`, accountnumber: key(`M${i}`) })) } });
  expect(result.Ids?.length === 3 && result.Ids.every((id) => guid.test(id)), `got ${JSON.stringify(result)}`);
});

await operation("UpsertMultiple", async () => {
  await api.callAction({ collection: "accounts", actionName: "Microsoft.Dynamics.CRM.UpsertMultiple", action: {
    Targets: [1, 4].map((i) => ({ "@odata.type": "Microsoft.Dynamics.CRM.account", "@odata.id": `accounts(accountnumber='${key(`M${i}`)}')`, name: `Bulk ${i} upserted` })) } });
  const found = await api.retrieveMultiple({ collection: "accounts", filter: `startswith(accountnumber,'${key("M")}')`, select: ["name"] });
  const names = found.value.map((r) => r.name).sort();
  expect(JSON.stringify(names) === JSON.stringify(["Bulk 1 upserted", "Bulk 2", "Bulk 3", "Bulk 4 upserted"]), `got ${JSON.stringify(names)}`);
});

await operation("$batch change set with a $n reference", async () => {
  api.startBatch();
  api.create({ collection: "accounts", data: { name: "Parent", accountnumber: key("B1") }, contentId: "1" });
  api.create({ collection: "contacts", data: { lastname: "Child", emailaddress1: `${key("B2")}@example.com`, "parentcustomerid_account@odata.bind": "$1" } });
  const [parentId, childId] = await api.executeBatch();
  expect(guid.test(parentId) && guid.test(childId), `batch answered ${parentId}, ${childId}`);
  const child = await api.retrieve({ collection: "contacts", key: childId, select: ["_parentcustomerid_value"] });
  expect(child._parentcustomerid_value === parentId, `the contact's parent is ${child._parentcustomerid_value}, not ${parentId}`);
});

await operation("$batch with continue-on-error", async () => {
  api.startBatch();
  api.create({ collection: "accounts", data: { name: "Duplicate", accountnumber: key(1) } });
  api.create({ collection: "accounts", data: { name: "After the failure", accountnumber: key("C1") } });
  const responses = await api.executeBatch({ continueOnError: true, inChangeSet: false });
  expect(responses.length === 2 && responses[0] instanceof Error && responses[0].status === 412 && guid.test(responses[1]),
    `got ${responses.map((r) => (r instanceof Error ? `error ${r.status}` : r)).join(", ")}`);
  return "duplicate key 412, second request created";
});

await operation("attributes with a typed cast", async () => {
  const picklists = await api.retrieveAttributes({ entityKey: "LogicalName='contact'", castType: "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
    select: ["LogicalName"], expand: [{ property: "OptionSet", select: ["Options"] }] });
  const gender = picklists.value.find((a) => a.LogicalName === "gendercode");
  expect(gender?.OptionSet?.Options?.length > 0 && picklists.value.every((a) => a["@odata.type"] === "#Microsoft.Dynamics.CRM.PicklistAttributeMetadata"),
    `got ${JSON.stringify(picklists.value).slice(0, 300)}`);
  const strings = await api.retrieveAttributes({ entityKey: "LogicalName='contact'", castType: "Microsoft.Dynamics.CRM.StringAttributeMetadata", select: ["LogicalName", "MaxLength"] });
  expect(strings.value.some((a) => a.LogicalName === "lastname" && a.MaxLength > 0) && !strings.value.some((a) => a.LogicalName === "gendercode"),
    `string attributes: ${strings.value.map((a) => a.LogicalName).join(", ")}`);
  return `${picklists.value.length} choice, ${strings.value.length} string attributes`;
});

await operation("CSDL $metadata", async () => {
  const csdl = await api.retrieveCsdlMetadata();
  expect(/<edmx:Edmx[^>]*Version="4.0"/.test(csdl) && /<EntityType Name="account"/.test(csdl) && /<EntitySet Name="accounts" EntityType="mscrm.account"/.test(csdl),
    `got ${csdl.slice(0, 200)}`);
  return `${csdl.length} characters`;
});

await operation("change tracking with a delta link", async () => {
  const first = await api.retrieveAll({ collection: "accounts", select: ["name"], trackChanges: true });
  expect(first.oDataDeltaLink, "no delta link after the first read");
  const changed = await api.create({ collection: "accounts", data: { name: "Tracked", accountnumber: key("T1") } });
  await api.deleteRecord({ collection: "accounts", key: accountId });
  const delta = { value: [] };
  for (let link = first.oDataDeltaLink; link; ) {
    const page = await api.retrieveMultiple({ collection: "accounts" }, link);
    delta.value.push(...page.value);
    delta.oDataDeltaLink = page.oDataDeltaLink;
    link = page.oDataNextLink;
  }
  const created = delta.value.find((r) => r.accountid === changed);
  const deleted = delta.value.find((r) => r.id === accountId && r.reason === "deleted");
  expect(created?.name === "Tracked" && deleted && delta.oDataDeltaLink, `delta: ${JSON.stringify(delta.value).slice(0, 300)}`);
  return `${first.value.length} records, then ${delta.value.length} changes`;
});

await operation("delete with a stale ETag", async () => {
  const id = await api.create({ collection: "accounts", data: { name: "Versioned", accountnumber: key("E1") } });
  const stale = (await api.retrieve({ collection: "accounts", key: id, select: ["name"] }))["@odata.etag"];
  await api.update({ collection: "accounts", key: id, data: { name: "Versioned again" } });
  const deleted = await api.deleteRecord({ collection: "accounts", key: id, ifmatch: stale });
  const still = await api.retrieve({ collection: "accounts", key: id, select: ["name"] });
  expect(deleted === false && still.name === "Versioned again", `deleteRecord returned ${deleted}; the record ${still ? "remains" : "is gone"}`);
  return "412: not deleted";
});

process.exit(failures === 0 ? 0 : 1);
