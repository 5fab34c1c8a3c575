import { afterAll, describe } from "vitest";
import { PostgresStore } from "../../../server/store/postgres/postgres-store";
import { freshPostgresDatabase } from "../../support/postgres";
import { idempotencyStoreBehaviour } from "./idempotency-behaviour";

describe("the PostgreSQL store keeps Idempotency-Key records", () => {
  // The suite closes each store itself; the databases go when the file is done.
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });
  idempotencyStoreBehaviour(async () => {
    const database = await freshPostgresDatabase();
    drops.push(database.drop);
    return PostgresStore.open(database.url);
  });
});
