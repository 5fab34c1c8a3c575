#!/usr/bin/env node
// The one owner of the offline Pulumi environment. Every script and test gets its Pulumi
// settings from here: a file backend inside the repository, an isolated PULUMI_HOME, a
// passphrase, no update check, no plugin downloads, and the CLI built by scripts/setup first
// on PATH (with the pinned Node from node_modules/.bin right after it).
//
//   node scripts/pulumi-env.cjs <command> [args...]   run a command in that environment
//   node scripts/pulumi-env.cjs --print               print `export` lines for a shell
//   npm run pulumi -- <args...>                       run this project's `pulumi` in it
//   require("./scripts/pulumi-env.cjs").pulumiEnvironment({ stateDir, homeDir })
//
// What a user loads into a terminal keeps Pulumi's confirmations: `pulumi destroy` there still
// asks. Only the project's own scripts and tests, which pass --yes anyway, add
// PULUMI_SKIP_CONFIRMATIONS (scriptEnvironment).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const projectRoot = path.resolve(__dirname, "..");

/** Where scripts/setup links the Pulumi CLI directory (holding bin/pulumi and its plugins). */
const toolsDir = path.join(projectRoot, ".tools");

/**
 * @param {{ stateDir?: string, homeDir?: string, passphrase?: string }} [options]
 * @returns {Record<string, string>} variables to add to the environment (the directories exist)
 */
function pulumiEnvironment(options = {}) {
  const stateDir = options.stateDir ?? path.join(projectRoot, ".pulumi-state");
  const homeDir = options.homeDir ?? path.join(projectRoot, ".pulumi-home");
  // The file backend refuses a missing directory ("unable to open state directory").
  fs.mkdirSync(stateDir, { recursive: true });
  fs.mkdirSync(homeDir, { recursive: true });
  const pathEntries = [
    path.join(toolsDir, "bin"),
    path.join(projectRoot, "node_modules", ".bin"),
    process.env.PATH ?? "",
  ];
  return {
    PATH: pathEntries.join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_HOME: homeDir,
    ...passphraseEnvironment(options.passphrase),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_DISABLE_CI_DETECTION: "true",
  };
}

/**
 * The environment of the project's own scripts and tests: {@link pulumiEnvironment} plus no
 * confirmation prompts. Never printed for a user's shell.
 * @param {{ stateDir?: string, homeDir?: string, passphrase?: string }} [options]
 * @returns {Record<string, string>}
 */
function scriptEnvironment(options = {}) {
  return { ...pulumiEnvironment(options), PULUMI_SKIP_CONFIRMATIONS: "true" };
}

/**
 * The passphrase, unless the caller keeps it in a file: Pulumi reads PULUMI_CONFIG_PASSPHRASE
 * before PULUMI_CONFIG_PASSPHRASE_FILE, so setting the variable would hide the file. An empty
 * passphrase is valid; one of the two only has to exist for non-interactive runs.
 */
function passphraseEnvironment(passphrase) {
  if (passphrase !== undefined) return { PULUMI_CONFIG_PASSPHRASE: passphrase };
  if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
    return { PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE };
  }
  if (process.env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined) return {};
  return { PULUMI_CONFIG_PASSPHRASE: "" };
}

module.exports = { pulumiEnvironment, scriptEnvironment, projectRoot, toolsDir };

if (require.main === module) {
  const args = process.argv.slice(2);
  const env = pulumiEnvironment();
  if (args[0] === "--print") {
    for (const [key, value] of Object.entries(env)) {
      process.stdout.write(`export ${key}=${JSON.stringify(value)}\n`);
    }
  } else if (args.length > 0) {
    const result = spawnSync(args[0], args.slice(1), {
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    if (result.error) {
      process.stderr.write(`pulumi-env: cannot run ${args[0]}: ${result.error.message}\n`);
      process.exit(127);
    }
    process.exit(result.status ?? 1);
  } else {
    process.stderr.write("usage: node scripts/pulumi-env.cjs --print | <command> [args...]\n");
    process.exit(2);
  }
}
