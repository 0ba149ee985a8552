// Validates response bodies against the response schemas of Light's OpenAPI document.
// Protocol: one JSON request per stdin line {"method","path","body"}; one JSON answer per line
// {"ok":bool,"operationId":string|null,"errors":[...]}. Started once per test run by the .NET tests.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ["int32", "int64", "float", "double"]) ajv.addFormat(f, { type: "number", validate: () => true });
// ajv-formats' "url" refuses loopback and private hosts (every test server is http://127.0.0.1:port);
// Light's "url" only means an absolute URL, so hold values to that.
ajv.addFormat("url", { type: "string", validate: (s) => { try { return /^https?:$/.test(new URL(s).protocol); } catch { return false; } } });

// OpenAPI discriminator pattern: a parent whose oneOf lists children that allOf the parent back. Plain
// JSON Schema recurses forever on that cycle (and every child matches, failing oneOf), so such a parent
// is validated as its own properties only.
for (const [name, schema] of Object.entries(spec.components.schemas)) {
  const ref = `#/components/schemas/${name}`;
  const cyclic = (schema.oneOf ?? []).some((b) => (spec.components.schemas[b.$ref?.split("/").pop()]?.allOf ?? []).some((a) => a.$ref === ref));
  if (schema.discriminator && cyclic) {
    delete schema.oneOf;
    delete schema.discriminator;
  }
}

// Light's schemas use OpenAPI refs (#/components/schemas/X); host them under one $id.
const text = JSON.stringify({ $id: "light", components: spec.components }).replaceAll('"#/components/', '"light#/components/');
ajv.addSchema(JSON.parse(text));

const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  const pattern = new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$");
  for (const [method, op] of Object.entries(item)) {
    const response = op.responses?.["200"] ?? op.responses?.default;
    const content = response?.content ?? {};
    const media = content["application/json;charset=UTF-8"] ?? content["application/json"] ?? Object.values(content)[0];
    operations.push({ method: method.toUpperCase(), template, pattern, operationId: op.operationId, schema: media?.schema });
  }
}
// A literal segment beats a parameter: /v1/invoice-payables/{id} must not swallow a more specific template.
operations.sort((a, b) => a.template.split("{").length - b.template.split("{").length);

// Paths the seeds use for Light operations (BEHAVIOR.md "Path aliases"): validated as the operation they stand for.
const aliases = [
  [/^\/v1\/ledger-transactions\/lines$/, "/v1/ledger-transaction-lines"],
  [/^\/v1\/invoices(\/.*)?$/, (m) => "/v1/invoice-receivables" + (m[1] ?? "")],
];
function canonical(method, path) {
  if (method === "GET" && path === "/v1/invoice-payables") return "/v1/bff/invoice-payables";
  for (const [pattern, target] of aliases) {
    const m = path.match(pattern);
    if (m) return typeof target === "function" ? target(m) : target;
  }
  return path;
}

const validators = new Map();
function validatorFor(op) {
  if (!validators.has(op.operationId)) {
    const schema = JSON.parse(JSON.stringify(op.schema).replaceAll('"#/components/', '"light#/components/'));
    validators.set(op.operationId, ajv.compile(schema));
  }
  return validators.get(op.operationId);
}

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  let answer;
  try {
    const { method, path: requested, body } = JSON.parse(line);
    const path = canonical(method, requested);
    const op = operations.find((o) => o.method === method && o.pattern.test(path));
    // Not a Light operation (a Ledgerlight extension): nothing in Light's document to hold it to.
    if (!op) answer = { ok: true, operationId: null, errors: [], unmatched: true };
    else if (!op.schema) answer = { ok: true, operationId: op.operationId, errors: [] };
    else {
      const validate = validatorFor(op);
      const ok = validate(body);
      answer = { ok, operationId: op.operationId, errors: ok ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`) };
    }
  } catch (e) {
    answer = { ok: false, operationId: null, errors: [String(e)] };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
