import { GRANTS_NOT_FOUND, isGrantsError } from "../../sdk/index";
import { warn } from "./log";

/**
 * A refresh that finds the object deleted out of band: the empty read result makes Pulumi drop
 * it from state, and the next `up` creates it again. The removal would be silent otherwise, and
 * silence hides the drift (auth0/terraform-provider-auth0 #1654), so it is said once, naming the
 * object and where it was. Any other failure is rethrown.
 */
export function droppedIfGone(
  error: unknown,
  subject: string,
  where: string,
  recreated = "the next `pulumi up` creates it again",
): Record<string, never> {
  if (!isGrantsError(error, GRANTS_NOT_FOUND)) throw error;
  warn(
    `${subject} no longer exists ${where}; it is removed from the stack state, and ${recreated}.`,
  );
  return {};
}
