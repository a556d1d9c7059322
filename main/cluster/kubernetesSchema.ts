/**
 * Checks a manifest against the Kubernetes API schema as the official client
 * (@kubernetes/client-node) carries it: every model class generated from the
 * API's OpenAPI document lists its fields and their types. Unknown fields and
 * wrong types are reported with their path, so a manifest that would be
 * rejected (or silently lose a field) fails here, without a cluster.
 */
import * as k8s from '@kubernetes/client-node';

interface AttributeType {
  name: string;
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): AttributeType[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** top-level kinds we generate -> their model class */
const kinds: Record<string, string> = { 'v1/Service': 'V1Service', 'batch/v1/Job': 'V1Job', 'v1/ConfigMap': 'V1ConfigMap' };

function check(value: unknown, type: string, where: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) problems.push(`${where}: expected a list (${type})`);
    else value.forEach((v, i) => check(v, array[1]!, `${where}[${i}]`, problems));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) problems.push(`${where}: expected a map (${type})`);
    else for (const [k, v] of Object.entries(value)) check(v, map[1]!, `${where}.${k}`, problems);
    return;
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${where}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${where}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${where}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'Date':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) problems.push(`${where}: expected a date-time string`);
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && typeof value !== 'number') problems.push(`${where}: expected an int or a string`);
      return;
    case 'any':
    case 'object':
      return;
  }
  const model = models[type];
  if (!model || typeof model.getAttributeTypeMap !== 'function') {
    problems.push(`${where}: unknown schema type ${type}`);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: expected an object (${type})`);
    return;
  }
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    const fieldType = fields.get(key);
    if (!fieldType) problems.push(`${where}.${key}: not a field of ${type}`);
    else check(v, fieldType, `${where}.${key}`, problems);
  }
}

export function validateKubernetesObject(object: Record<string, unknown>): string[] {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const type = kinds[`${apiVersion}/${kind}`];
  if (!type) return [`${apiVersion} ${kind}: not a kind this validator knows (${Object.keys(kinds).join(', ')})`];
  const problems: string[] = [];
  check(object, type, kind, problems);
  const metadata = object.metadata as { name?: unknown } | undefined;
  if (typeof metadata?.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(metadata.name) || metadata.name.length > 63) {
    problems.push(`${kind}.metadata.name: must be a DNS-1123 label of at most 63 characters`);
  }
  return problems;
}
