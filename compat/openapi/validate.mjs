// swagger-parser's validation of an OpenAPI document (its schema, then its $refs).
//
//   node validate.mjs DOCUMENT.json
//
// Prints "valid" and exits 0, or prints every error it reports and exits 1.
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs DOCUMENT.json");
  process.exit(2);
}

try {
  const api = await SwaggerParser.validate(file);
  const count = Object.values(api.paths ?? {}).length;
  console.log(`valid (OpenAPI ${api.openapi ?? api.swagger}, ${count} paths)`);
} catch (err) {
  // The message lists every error ajv found when the document failed its schema.
  console.log(err.message.trimEnd());
  process.exit(1);
}
