// One sample of section 10 (cold import): a fresh Node process imports one specifier, as an app's
// first `import` would, and prints how long that took. Plain JavaScript, run by `node` itself (no
// tsx, no loader hook), so nothing but the import is in the child. `-` imports nothing (the floor).
const specifier = process.argv[2];
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
if (specifier !== '-') await import(specifier);
const end = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({ wallMs: Number(end - start) / 1e6, cpuMs: (cpu.user + cpu.system) / 1e3 }),
);
