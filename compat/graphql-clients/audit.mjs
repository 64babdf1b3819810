// graphql-http's GraphQL-over-HTTP audit against a running bomgraph, with a bearer token.
// Prints each level's count and every audit that did not pass; exits non-zero when any
// MUST or SHOULD fails (MAYs are reported, not required).
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const results = await auditServer({ url, fetchFn });
const levels = {};
for (const r of results) {
  const level = r.name.split(' ')[0];
  levels[level] ??= { ok: 0, failed: [] };
  if (r.status === 'ok') levels[level].ok += 1;
  else levels[level].failed.push(`${r.id} ${r.name}: ${r.reason}`);
}
let required = 0;
for (const level of ['MUST', 'SHOULD', 'MAY']) {
  const t = levels[level] ?? { ok: 0, failed: [] };
  console.log(`${level}: ${t.ok}/${t.ok + t.failed.length}`);
  for (const f of t.failed) console.log(`  ${f}`);
  if (level !== 'MAY') required += t.failed.length;
}
process.exit(required === 0 ? 0 : 1);
