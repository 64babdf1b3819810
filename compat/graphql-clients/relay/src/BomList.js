// The BOM list, paged by Relay's @connection over the root `boms` connection.
import { graphql } from 'relay-runtime';

export const BomList = graphql`
  fragment BomList_query on Query
  @refetchable(queryName: "BomListPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 10 }, after: { type: "String" }) {
    boms(first: $first, after: $after) @connection(key: "BomList_boms") {
      edges {
        node {
          id
          ...BomCard_bom
        }
      }
    }
  }
`;

export const BomListQuery = graphql`
  query BomListQuery {
    ...BomList_query
  }
`;
