// PostGraphile 5 for bench/run: the amber preset, no plugins, the `public` schema of the
// bench database. bench/run copies this file into bench/.postgraphile/ (where `postgraphile`
// is installed, so that its imports resolve) and starts
//   node node_modules/postgraphile/dist/cli-run.js --config graphile.config.mjs
// with BENCH_PG_URL, BENCH_HOST and BENCH_PORT set.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_PG_URL,
      schemas: ["public"],
    }),
  ],
  grafserv: {
    host: process.env.BENCH_HOST ?? "127.0.0.1",
    port: Number(process.env.BENCH_PORT ?? 5678),
    graphiql: false,
  },
  grafast: {
    explain: false,
  },
};

export default preset;
