import type * as pulumi from "@pulumi/pulumi";
import { diffInputs } from "../../shared/diff-inputs";
import {
  clientGrantInputKeys,
  clientGrantOutputsSchema,
  clientGrantReplaceKeys,
  clientGrantSetKeys,
} from "./schema";

/**
 * Identity changes (client, audience, subject type) replace; the rest is patched in place.
 * State written before a default existed reads as that default, so it never shows a change.
 */
export async function diffClientGrant(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const parsed = clientGrantOutputsSchema.safeParse(olds);
  const before = parsed.success ? parsed.data : olds;
  return diffInputs(before, news, {
    inputKeys: clientGrantInputKeys,
    replaceKeys: clientGrantReplaceKeys,
    setKeys: clientGrantSetKeys,
  });
}
