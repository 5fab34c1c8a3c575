import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Every row of every table of a server's database, as one comparable string. Opened read-only
 * beside the running server (WAL lets readers in while it writes).
 */
export function databaseSnapshot(dataDir: string): string {
  const db = new DatabaseSync(path.join(dataDir, "grants.db"), { readOnly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => String(row.name));
    const dump: Record<string, unknown[]> = {};
    for (const table of tables) {
      dump[table] = db
        .prepare(`SELECT * FROM "${table}" ORDER BY rowid`)
        .all()
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([key, value]) => [
              key,
              value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
            ]),
          ),
        );
    }
    return JSON.stringify(dump);
  } finally {
    db.close();
  }
}
