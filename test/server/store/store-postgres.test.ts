import { PostgresStore } from "../../../server/store/postgres/postgres-store";
import { freshPostgresDatabase } from "../../support/postgres";
import { describeStoreBehaviour } from "./_store-behaviour";

describeStoreBehaviour("PostgreSQL", async () => {
  const database = await freshPostgresDatabase();
  return { store: await PostgresStore.open(database.url), dispose: database.drop };
});
