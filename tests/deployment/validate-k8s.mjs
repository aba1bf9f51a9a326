#!/usr/bin/env node
// Validates Kubernetes manifests against their schemas:
//   built-in kinds                   kubernetes-models@5.1.0
//   postgresql.cnpg.io (CloudNativePG)  @kubernetes-models/cloudnative-pg@2.0.0
//   monitoring.coreos.com            @kubernetes-models/prometheus-operator@6.0.0
//   rabbitmq.com RabbitmqCluster     the operator's own CRD, vendored in tests/deployment/crds/ (no npm
//                                    package carries it; see crds/README.md), checked with ajv
//   helm template charts/sip-platform | node tests/deployment/validate-k8s.mjs
//   cat k8s/*.yaml | node tests/deployment/validate-k8s.mjs
// Reads multi-document YAML from stdin. Every non-empty document must have an apiVersion and kind
// that one of the above knows, and must validate; otherwise it prints which document (index,
// kind/name, and the "# Source:" comment helm puts before it) failed and why, and exits 1.
// Modules are looked up in $SIP_K8S_NODE_PATH (tests/deployment/prepare-tools.sh installs them),
// then in NODE_PATH, then next to this script. The model packages are ES modules; they are imported
// by file, as their folders mirror their export paths.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const roots = [
  process.env.SIP_K8S_NODE_PATH,
  ...(process.env.NODE_PATH ?? "").split(path.delimiter),
  path.join(here, "node_modules"),
].filter(Boolean);

function rootWith(pkg) {
  return roots.find((root) => existsSync(path.join(root, pkg, "package.json")));
}

const modelPackages = {
  "": "kubernetes-models",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};
const required = [...Object.values(modelPackages), "js-yaml", "ajv", "ajv-formats"];
const missing = required.filter((pkg) => !rootWith(pkg));
if (missing.length) {
  console.error(`validate-k8s: ${missing.join(", ")} not found (looked in: ${roots.join(", ")}); ` +
    "run tests/deployment/prepare-tools.sh and set SIP_K8S_NODE_PATH");
  process.exit(2);
}
const requireFrom = (pkg) => createRequire(path.join(rootWith(pkg), "noop.js"))(pkg);
const yaml = requireFrom("js-yaml");

async function modelFor(group, version, kind) {
  const pkg = modelPackages[group] ?? (group.endsWith(".k8s.io") || !group.includes(".") ? "kubernetes-models" : null);
  if (!pkg) return null;
  const file = path.join(rootWith(pkg), pkg, ...(group ? [group] : []), version, `${kind}.js`);
  if (!existsSync(file)) return null;
  const mod = await import(pathToFileURL(file).href);
  const Model = mod[kind] ?? mod.default;
  return Model ? (doc) => new Model(doc).validate() : null;
}

// CRDs vendored as YAML: every object that lists its properties gets additionalProperties: false unless
// it preserves unknown fields, so a misspelt field fails here (the API server would silently prune it).
function strict(schema) {
  if (!schema || typeof schema !== "object") return schema;
  const out = Array.isArray(schema) ? schema.map(strict) : Object.fromEntries(
    Object.entries(schema).filter(([k]) => !k.startsWith("x-kubernetes-validations")).map(([k, v]) => [k, strict(v)]));
  if (!Array.isArray(schema) && schema.properties && schema.additionalProperties === undefined
      && !schema["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  if (!Array.isArray(schema) && schema["x-kubernetes-int-or-string"]) {
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  return out;
}

const crdValidators = new Map();
function loadVendoredCrds() {
  const Ajv = requireFrom("ajv").default ?? requireFrom("ajv");
  const addFormats = requireFrom("ajv-formats").default ?? requireFrom("ajv-formats");
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  for (const fmt of ["int32", "int64", "byte", "double", "float", "int-or-string", "quantity"]) ajv.addFormat(fmt, true);
  const dir = path.join(here, "crds");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const crd = yaml.load(readFileSync(path.join(dir, file), "utf8"));
    for (const v of crd.spec.versions) {
      const schema = strict(v.schema.openAPIV3Schema);
      // apiVersion, kind and metadata are the API server's; the CRD leaves them open.
      schema.properties.metadata = { type: "object", required: ["name"] };
      crdValidators.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, (doc) => {
        if (!ajv.validate(schema, doc)) {
          const e = new Error("schema");
          e.errors = ajv.errors;
          throw e;
        }
      });
    }
  }
}
loadVendoredCrds();

const text = readFileSync(0, "utf8");
// Split ourselves, so a failure can name helm's "# Source:" line of the document.
const chunks = text.split(/^---[ \t]*$/m);
let count = 0;
const failures = [];

for (const [i, chunk] of chunks.entries()) {
  const source = (chunk.match(/^# Source: (.*)$/m) ?? [])[1];
  let doc;
  try {
    doc = yaml.load(chunk);
  } catch (e) {
    failures.push(`document #${i}${source ? ` (${source})` : ""}: not valid YAML: ${e.message}`);
    continue;
  }
  if (doc === null || doc === undefined) continue;
  count++;
  const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const where = `document #${i} ${name}${source ? ` (${source})` : ""}`;
  if (typeof doc !== "object" || !doc.apiVersion || !doc.kind) {
    failures.push(`${where}: has no apiVersion/kind`);
    continue;
  }
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const validate = crdValidators.get(`${group}/${version}/${doc.kind}`) ?? await modelFor(group, version, doc.kind);
  if (!validate) {
    failures.push(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    validate(doc);
  } catch (e) {
    const details = e.errors ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}` +
      (x.params?.additionalProperty ? ` (${x.params.additionalProperty})` : "")).join("; ") : e.message;
    failures.push(`${where}: ${details}`);
  }
}

if (failures.length) {
  for (const f of failures) console.error("validate-k8s: INVALID " + f);
  console.error(`validate-k8s: ${failures.length} of ${count} document(s) invalid`);
  process.exit(1);
}
if (count === 0) {
  console.error("validate-k8s: no documents on stdin");
  process.exit(1);
}
console.log(`validate-k8s: ${count} document(s) valid`);
