#!/usr/bin/env node
// Validates Kubernetes manifests against the schemas of kubernetes-models@4.5.1.
//   kubectl kustomize k8s/overlays/production | node tests/deployment/validate-k8s.mjs
//   helm template charts/sip-platform | node tests/deployment/validate-k8s.mjs
// Reads multi-document YAML from stdin. Every non-empty document must have apiVersion and kind
// that kubernetes-models knows, and must validate; otherwise it prints which document (index,
// kind/name, and the "# Source:" comment helm puts before it) failed and why, and exits 1.
// Modules are looked up in $SIP_K8S_NODE_PATH (tests/deployment/prepare-tools.sh installs them),
// then in NODE_PATH, then next to this script.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const roots = [
  process.env.SIP_K8S_NODE_PATH,
  ...(process.env.NODE_PATH ?? "").split(path.delimiter),
  path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules"),
].filter(Boolean);

function load(name) {
  for (const root of roots) {
    try {
      return createRequire(path.join(root, "noop.js"))(name);
    } catch (e) {
      if (e.code !== "MODULE_NOT_FOUND") throw e;
    }
  }
  return null;
}

const yaml = load("js-yaml");
if (!yaml || !load("kubernetes-models/package.json")) {
  console.error("validate-k8s: js-yaml / kubernetes-models not found (looked in: " + roots.join(", ") +
    "); run tests/deployment/prepare-tools.sh and set SIP_K8S_NODE_PATH");
  process.exit(2);
}

const text = readFileSync(0, "utf8");
// Split ourselves, so a failure can name helm's "# Source:" line of the document.
const chunks = text.split(/^---[ \t]*$/m);
let count = 0;
const failures = [];

chunks.forEach((chunk, i) => {
  const source = (chunk.match(/^# Source: (.*)$/m) ?? [])[1];
  let doc;
  try {
    doc = yaml.load(chunk);
  } catch (e) {
    failures.push(`document #${i}${source ? ` (${source})` : ""}: not valid YAML: ${e.message}`);
    return;
  }
  if (doc === null || doc === undefined) return;
  count++;
  const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const where = `document #${i} ${name}${source ? ` (${source})` : ""}`;
  if (typeof doc !== "object" || !doc.apiVersion || !doc.kind) {
    failures.push(`${where}: has no apiVersion/kind`);
    return;
  }
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  const modulePath = `kubernetes-models/${group ? `${group}/` : ""}${version}/${doc.kind}`;
  const mod = load(modulePath);
  const Model = mod && (mod[doc.kind] ?? mod.default);
  if (!Model) {
    failures.push(`${where}: kubernetes-models has no model for ${doc.apiVersion} ${doc.kind}`);
    return;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    const details = e.errors ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}` +
      (x.params?.additionalProperty ? ` (${x.params.additionalProperty})` : "")).join("; ") : e.message;
    failures.push(`${where}: ${details}`);
  }
});

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
