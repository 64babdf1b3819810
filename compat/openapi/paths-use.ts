// Uses the types openapi-typescript made from /api/schema/ (out/typescript/schema.ts), the
// way a TypeScript client of each dialect reads a BOM list, so `tsc --strict` checks them.
import type { paths } from "./out/typescript/schema";

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;

// InvenTree: GET /api/bom/?part=<assembly> answers a bare array without `limit`, a page with one.
type InvenTreeBomQuery = NonNullable<paths["/api/bom/"]["get"]["parameters"]["query"]>;
type InvenTreeBomList = Json<paths["/api/bom/"]["get"]["responses"][200]>;

export const byAssembly: InvenTreeBomQuery = { part: 1, limit: 25, offset: 0 };

export function bomItemIds(answer: InvenTreeBomList): number[] {
  const items = Array.isArray(answer) ? answer : answer.results;
  return items.map((item) => item.pk);
}

// Cofactr: GET /v1/boms/ answers a page of BOMs.
type CofactrBomQuery = NonNullable<paths["/v1/boms/"]["get"]["parameters"]["query"]>;
type CofactrBomList = Json<paths["/v1/boms/"]["get"]["responses"][200]>;

export const byName: CofactrBomQuery = { name: "main board", limit: 25 };

export function bomIds(answer: CofactrBomList): number[] {
  return answer.results.map((bom) => bom.id);
}

export function bomNames(answer: CofactrBomList): string[] {
  return answer.results.map((bom) => `${bom.name} ${bom.version}`);
}
