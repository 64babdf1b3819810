// graphql-ws (the client front-ends use for subscriptions) against a running bomgraph:
// a job's progress followed to its end, and a BOM change made by one client seen by a
// second one. Exits non-zero, saying why, when either does not hold.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [base, token] = process.argv.slice(2);
const wsUrl = base.replace(/^http/, 'ws') + '/graphql/ws';

async function http(query, variables = {}) {
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

function client() {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

/** Subscribes and collects results until the subscription completes or `until` holds. */
function collect(c, query, variables, until = () => false) {
  const seen = [];
  let ready;
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(seen)}`)), 30000);
    const stop = c.subscribe(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) return reject(new Error(JSON.stringify(r.errors)));
          seen.push(r.data);
          if (until(r.data)) { clearTimeout(timer); stop(); resolve(seen); }
        },
        error: (e) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(JSON.stringify(e))); },
        complete: () => { clearTimeout(timer); resolve(seen); },
      },
    );
    ready = stop;
  });
  return { done, stop: () => ready() };
}

const failures = [];
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
  if (!ok) failures.push(name);
}

// 1. a job followed to its end
{
  const lines = Array.from({ length: 200 }, (_, n) => ({ mpn: `WS-${n}`, quantity: '1' }));
  const job = (await http(
    'mutation($i: UpsertBomAsyncInput!) { upsertBomAsync(input: $i) { job { id } } }',
    { i: { name: 'Followed over graphql-ws', version: 'A', lines } },
  )).upsertBomAsync.job;
  const c = client();
  const states = await collect(c, 'subscription($id: ID!) { jobUpdated(id: $id) { status progress } }', { id: job.id }).done;
  const last = states.at(-1)?.jobUpdated;
  const progress = states.map((s) => s.jobUpdated.progress);
  check('jobUpdated ends with the job, succeeded at 100%',
    last?.status === 'SUCCEEDED' && last?.progress === 100, JSON.stringify(states));
  check('jobUpdated progress never goes back',
    progress.every((p, i) => i === 0 || p >= progress[i - 1]), JSON.stringify(progress));
  await c.dispose();
}

// 2. a change made through one client, seen by another
{
  const bom = (await http('mutation { createBom(input: {name: "Watched over graphql-ws"}) { bom { id } } }')).createBom.bom;
  const part = (await http('mutation { createPart(input: {name: "WS part"}) { part { id } } }')).createPart.part;
  const watcher = client();
  const writer = client();
  let heard = () => {};
  const watching = collect(watcher, 'subscription($b: ID!) { bomChanged(bomId: $b) { kind bomLineId bomLine { quantity } } }',
    { b: bom.id }, (d) => { heard(d.bomChanged.kind); return d.bomChanged.kind === 'LINE_ADDED'; });
  // a subscribe has no answer: the subscription is live once it hears a change, so make
  // changes that change nothing until it hears one
  for (let live = false, tries = 0; !live; tries++) {
    if (tries === 20) throw new Error('the subscription never heard a change');
    const updated = new Promise((r) => { heard = (kind) => kind === 'UPDATED' && r(true); });
    await http('mutation($id: ID!) { updateBom(input: {id: $id}) { bom { id } } }', { id: bom.id });
    live = await Promise.race([updated, new Promise((r) => setTimeout(() => r(false), 2000))]);
  }
  heard = () => {};
  const added = await collect(writer,
    'mutation($i: AddBomLineInput!) { addBomLine(input: $i) { bomLine { id } } }',
    { i: { bomId: bom.id, partId: part.id, quantity: '3' } }).done;
  const lineId = added[0].addBomLine.bomLine.id;
  const changes = await watching.done;
  const change = changes.at(-1).bomChanged;
  check('bomChanged: the first change heard is the empty update', changes[0].bomChanged.kind === 'UPDATED', JSON.stringify(changes));
  check('bomChanged: a line added by another client is seen with the line',
    change.kind === 'LINE_ADDED' && change.bomLineId === lineId && change.bomLine.quantity === '3',
    JSON.stringify(changes));
  await watcher.dispose();
  await writer.dispose();
}

process.exit(failures.length === 0 ? 0 : 1);
