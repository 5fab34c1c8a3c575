import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import { clientInputKeys, clientReplaceKeys, nevisClientReplaceKeys } from "./schema";

/**
 * useGrant clients: any change replaces (that API cannot update a client). nevisMeta clients:
 * PUT updates everything but the setup in place; a switch of backend replaces. State written
 * before the backend existed has none: it is a useGrant client.
 */
export async function diffClient(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const before = { ...olds, backend: olds.backend ?? "usegrant" };
  const after = { ...news, backend: news.backend ?? "usegrant" };
  const nevis = before.backend === "nevis" && after.backend === "nevis";
  return diffInputs(before, after, {
    inputKeys: [...clientInputKeys, "backend"],
    replaceKeys: nevis ? nevisClientReplaceKeys : [...clientReplaceKeys, "backend"],
  });
}
