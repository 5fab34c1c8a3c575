import { SqliteStore } from "../../server/store/sqlite-store";
import { describeClientStoreContract } from "./_store-contract";

describeClientStoreContract("SqliteStore", async () => {
  const store = new SqliteStore(":memory:");
  return { store, close: () => store.close() };
});
