// HTTP client for the public GraphQL API (POST /graphql, same origin).
//
// query(text, variables) resolves to the `data` object or throws:
//   Unreachable   – the request did not get an HTTP answer (server down, network);
//   Unavailable   – the schema has no such field ("not available on this node");
//   GraphQLError  – any other error the API answered with.

export const ENDPOINT = "/graphql";
const TIMEOUT_MS = 10000;

export class Unreachable extends Error {}
export class GraphQLError extends Error {}
export class Unavailable extends Error {
  constructor(fields) {
    super(`not available on this node: ${fields.join(", ")}`);
    this.fields = fields;
  }
}

const listeners = new Set();
/** onReachability(fn): fn(true|false, error) after every request (used by the status strip). */
export function onReachability(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function report(ok, error) { for (const fn of listeners) fn(ok, error); }

// "Cannot query field 'requests' on type 'Query'." and unknown-argument/type errors mean
// the schema this node serves does not have what the view asks for.
const MISSING = /Cannot query field ['"]([^'"]+)['"] on type ['"]([^'"]+)['"]|Unknown (?:argument|type) ['"]([^'"]+)['"]/;

export async function query(text, variables = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: text, variables }),
      signal: controller.signal,
    });
  } catch (error) {
    const err = new Unreachable(`the API at ${ENDPOINT} is unreachable (${error.name === "AbortError" ? "timeout" : error.message})`);
    report(false, err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    const err = new Unreachable(`the API answered HTTP ${response.status} without JSON`);
    report(false, err);
    throw err;
  }
  report(true);
  if (body.errors && body.errors.length) {
    const missing = [];
    for (const e of body.errors) {
      const m = MISSING.exec(e.message || "");
      if (m) missing.push(m[1] ? `${m[2]}.${m[1]}` : m[3]);
    }
    if (missing.length) throw new Unavailable([...new Set(missing)]);
    throw new GraphQLError(body.errors.map((e) => e.message).join("; "));
  }
  return body.data;
}
