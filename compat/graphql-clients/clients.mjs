// The GraphQL clients front-end apps are built with, against a running bomgraph:
//   - Apollo Client with InMemoryCache: query, create, update and remove, the cache right
//     after each mutation from its payload alone (no refetch), and `cache.evict` of the
//     removed line by its `deletedId`;
//   - urql: a query, a mutation, and a wrong token surfaced as a GraphQL error with
//     `extensions.code = UNAUTHENTICATED` (Apollo too);
//   - graphql-request: a request and a batch (a JSON array).
// Prints each check and exits non-zero when one fails.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { GraphQLClient, batchRequests } from 'graphql-request';

const [base, token] = process.argv.slice(2);
const url = `${base}/graphql`;
const failures = [];
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${JSON.stringify(detail)}`}`);
  if (!ok) failures.push(name);
}

/** fetch, counting what goes over the network. */
let sent = 0;
const counted = (input, init) => {
  sent += 1;
  return fetch(input, init);
};

const BOM = gql`
  query Bom($id: ID!) {
    bom(id: $id) { id name lines { id quantity } }
  }
`;
const LINE_FIELDS = 'id quantity';
const BOM_FIELDS = `id name lines { ${LINE_FIELDS} }`;

async function apollo() {
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` }, fetch: counted }),
    // Global ids name their type, so a root field by id reads the cached object: the
    // redirect front-ends write for `bom(id:)` (and `node(id:)`)
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            bom: (existing, { args, toReference }) => existing ?? toReference({ __typename: 'Bom', id: args.id }),
          },
        },
      },
    }),
  });
  const part = (await client.mutate({
    mutation: gql`mutation($i: CreatePartInput!) { createPart(input: $i) { part { id name } } }`,
    variables: { i: { name: 'Apollo part' } },
  })).data.createPart.part;
  const created = (await client.mutate({
    mutation: gql`mutation($i: CreateBomInput!) { createBom(input: $i) { bom { ${BOM_FIELDS} } } }`,
    variables: { i: { name: 'Apollo BOM' } },
  })).data.createBom.bom;
  const read = () => client.readQuery({ query: BOM, variables: { id: created.id } })?.bom;
  // the created BOM is in the cache under its global id, so the query needs no request
  const before = sent;
  const queried = (await client.query({ query: BOM, variables: { id: created.id }, fetchPolicy: 'cache-first' })).data.bom;
  check('apollo: the created BOM answers its query from the cache', sent === before && queried.name === 'Apollo BOM', { sent, before, queried });

  const added = (await client.mutate({
    mutation: gql`mutation($i: AddBomLineInput!) { addBomLine(input: $i) { bomLine { ${LINE_FIELDS} } bom { ${BOM_FIELDS} } } }`,
    variables: { i: { bomId: created.id, partId: part.id, quantity: '2' } },
  })).data.addBomLine;
  check('apollo: addBomLine puts the line in the cached BOM',
    read()?.lines.length === 1 && read().lines[0].id === added.bomLine.id, read());

  await client.mutate({
    mutation: gql`mutation($i: UpdateBomLineInput!) { updateBomLine(input: $i) { bomLine { ${LINE_FIELDS} } bom { id } } }`,
    variables: { i: { id: added.bomLine.id, quantity: '5' } },
  });
  check('apollo: updateBomLine changes the cached line', read()?.lines[0].quantity === '5', read());

  const removed = (await client.mutate({
    mutation: gql`mutation($i: RemoveBomLineInput!) { removeBomLine(input: $i) { deletedId bom { ${BOM_FIELDS} } } }`,
    variables: { i: { id: added.bomLine.id } },
    update(cache, { data }) {
      cache.evict({ id: cache.identify({ __typename: 'BomLine', id: data.removeBomLine.deletedId }) });
      cache.gc();
    },
  })).data.removeBomLine;
  const evicted = client.cache.readFragment({
    id: client.cache.identify({ __typename: 'BomLine', id: removed.deletedId }),
    fragment: gql`fragment L on BomLine { id quantity }`,
  });
  check('apollo: removeBomLine leaves the cached BOM without the line, and evicts it',
    removed.deletedId === added.bomLine.id && read()?.lines.length === 0 && evicted === null,
    { removed, bom: read(), evicted });
  check('apollo: no mutation needed a refetch', sent === before + 3, { sent, before });

  const stranger = new ApolloClient({
    link: new HttpLink({ uri: url, headers: { authorization: 'Bearer not-a-token' } }),
    cache: new InMemoryCache(),
  });
  const refused = await stranger.query({ query: BOM, variables: { id: created.id }, errorPolicy: 'all' });
  const code = refused.error?.errors?.[0]?.extensions?.code;
  check('apollo: a wrong token is a GraphQL error coded UNAUTHENTICATED', code === 'UNAUTHENTICATED', refused.error);
  return created.id;
}

async function urql(bomId) {
  const client = new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
  });
  const first = await client.query(BOM, { id: bomId }).toPromise();
  check('urql: a query', first.data?.bom?.id === bomId, first.error);
  const renamed = await client.mutation(
    gql`mutation($i: UpdateBomInput!) { updateBom(input: $i) { bom { id name } } }`,
    { i: { id: bomId, name: 'Renamed by urql' } },
  ).toPromise();
  check('urql: a mutation', renamed.data?.updateBom?.bom?.name === 'Renamed by urql', renamed.error);
  // the mutation's Bom invalidates the cached query, which urql then fetches afresh
  const again = await client.query(BOM, { id: bomId }, { requestPolicy: 'cache-first' }).toPromise();
  check('urql: the query shows the mutation', again.data?.bom?.name === 'Renamed by urql', again.data);

  const stranger = new Client({
    url,
    exchanges: [fetchExchange],
    fetchOptions: { headers: { authorization: 'Bearer not-a-token' } },
  });
  const refused = await stranger.query(BOM, { id: bomId }).toPromise();
  const code = refused.error?.graphQLErrors?.[0]?.extensions?.code;
  check('urql: a wrong token is a GraphQL error coded UNAUTHENTICATED',
    code === 'UNAUTHENTICATED' && !refused.error?.networkError, refused.error);
}

async function graphqlRequest(bomId) {
  const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
  const one = await client.request(BOM, { id: bomId });
  check('graphql-request: a request', one.bom?.id === bomId, one);
  const both = await batchRequests(url, [
    { document: BOM, variables: { id: bomId } },
    { document: gql`{ me { username } }` },
  ], { authorization: `Bearer ${token}` });
  check('graphql-request: a batch of two answers both, in order',
    both.length === 2 && both[0].data.bom.id === bomId && typeof both[1].data.me.username === 'string', both);
}

try {
  const bomId = await apollo();
  await urql(bomId);
  await graphqlRequest(bomId);
} catch (e) {
  console.log(`FAIL ${e.stack ?? e}`);
  failures.push('exception');
}
process.exit(failures.length === 0 ? 0 : 1);
