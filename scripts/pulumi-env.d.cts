/** Types for scripts/pulumi-env.cjs, the one owner of the offline Pulumi environment. */
export interface PulumiEnvironmentOptions {
  /** Directory of the file backend (default `<repo>/.pulumi-state`). */
  stateDir?: string;
  /** PULUMI_HOME (default `<repo>/.pulumi-home`). */
  homeDir?: string;
  /** PULUMI_CONFIG_PASSPHRASE (default: the environment's, else empty). */
  passphrase?: string;
}
export declare function pulumiEnvironment(
  options?: PulumiEnvironmentOptions,
): Record<string, string>;
/** {@link pulumiEnvironment} plus `PULUMI_SKIP_CONFIRMATIONS`, for the project's own scripts and tests. */
export declare function scriptEnvironment(
  options?: PulumiEnvironmentOptions,
): Record<string, string>;
export declare const projectRoot: string;
export declare const toolsDir: string;
