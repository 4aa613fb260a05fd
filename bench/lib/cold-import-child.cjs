// One sample of section 10 (cold import) through CommonJS: `require()` of one specifier in a fresh
// Node process, as a CommonJS app's first `require` would. `-` requires nothing (the floor).
const specifier = process.argv[2];
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
if (specifier !== '-') require(specifier);
const end = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({ wallMs: Number(end - start) / 1e6, cpuMs: (cpu.user + cpu.system) / 1e3 }),
);
