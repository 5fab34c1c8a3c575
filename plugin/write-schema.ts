// `npm run build` runs this after tsc: it writes plugin/schema.json from the zod contract, the
// file `pulumi package gen-sdk` and reviewers read. The plugin itself serves the same schema from
// memory, so the two cannot drift; test/plugin/schema.test.ts fails when the file is stale.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { packageVersion } from "./provider";
import { packageSchema } from "./schema";

export function schemaText(): string {
  return `${JSON.stringify(packageSchema(packageVersion(__dirname)), null, 2)}\n`;
}

if (require.main === module) {
  const target = path.resolve(__dirname, "..", "..", "plugin", "schema.json");
  writeFileSync(target, schemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
