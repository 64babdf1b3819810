// A BOM as a Relay app shows it: refetchable by its global id through `node`.
import { graphql } from 'relay-runtime';

export const BomCard = graphql`
  fragment BomCard_bom on Bom @refetchable(queryName: "BomCardRefetchQuery") {
    id
    name
    version
    approved
  }
`;

export const PartCard = graphql`
  fragment PartCard_part on Part @refetchable(queryName: "PartCardRefetchQuery") {
    id
    name
    mpn
  }
`;
