/**
 * A warning from inside the dynamic-provider process. That process has no engine connection
 * (`pulumi.log` would fall back to the console anyway); since @pulumi/pulumi 3.146 its stderr is
 * passed through to the CLI output. Never pass a secret here.
 */
export function warn(message: string): void {
  console.warn(`warning: ${message}`);
}
