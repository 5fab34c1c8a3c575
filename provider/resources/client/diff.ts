import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import { clientInputKeys, clientReplaceKeys } from "./schema";

/** Any change replaces: the API cannot update a client. */
export async function diffClient(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  return diffInputs(olds, news, { inputKeys: clientInputKeys, replaceKeys: clientReplaceKeys });
}
