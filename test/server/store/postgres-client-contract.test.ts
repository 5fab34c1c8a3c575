import { PostgresStore } from "../../../server/store/postgres/postgres-store";
import { freshPostgresDatabase } from "../../support/postgres";
import { describeClientStoreContract } from "../_store-contract";

describeClientStoreContract("PostgresStore", async () => {
  const database = await freshPostgresDatabase();
  const store = await PostgresStore.open(database.url);
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
});
