// Preloaded (`--require`) into every Node process of a profiled bench run. The Pulumi engine
// stops a plugin with SIGINT (and kills it 5 s later); a process that dies of the signal never
// writes the profile `--cpu-prof` asked for, so the signal ends it with a normal exit instead.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => process.exit(0));
}
