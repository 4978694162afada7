/**
 * Files from elsewhere, read against a valibot schema: the first problem in words, with the file and the field
 * (`labeller.json: models[2].path: …`). JSON with a `__proto__`, `constructor` or `prototype` key is refused before
 * the schema sees it: no lab file has one, and code that copies such a key by assignment changes a prototype.
 */
import * as v from 'valibot';

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export function fieldPath(path: readonly { key: unknown }[] | undefined): string {
  let out = '';
  for (const p of path ?? [])
    out += typeof p.key === 'number' ? `[${p.key}]` : `${out ? '.' : ''}${String(p.key)}`;
  return out;
}

/** The value as `schema` types it, or `fail(message)` thrown with the first problem named by its field. */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  file: string,
  fail: (message: string) => Error,
): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const field = fieldPath(issue.path);
  throw fail(`${file}: ${field ? `${field}: ` : ''}${issue.message}`);
}

/** JSON.parse that refuses prototype keys; throws `fail(message)` naming the file. */
export function parseJsonText(text: string, file: string, fail: (message: string) => Error): unknown {
  let reserved: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (RESERVED.has(key)) reserved ??= key;
      return v;
    });
  } catch {
    throw fail(`${file} is not valid JSON.`);
  }
  if (reserved) throw fail(`${file} holds the key "${reserved}", which no lab file has.`);
  return value;
}
