// Measures how fast the sign form's proof-of-work solver hashes, under node:
//   node bench/proof-of-work-rate.js [bits] [rounds]
// It solves `rounds` made-up challenges at `bits` and prints hashes per second of wall time and
// of CPU time (the second is what an idle core would do when the machine is busy), and the
// time per solution. docs/operations.md explains how the default difficulty follows from it.
"use strict";
const path = require("path");
const { webcrypto } = require("crypto");
const { solve } = require(path.join(__dirname, "../Sources/VigilWeb/Resources/public/proof-of-work.js"));

(async function () {
  const bits = Number(process.argv[2] || 16);
  const rounds = Number(process.argv[3] || 10);
  let hashes = 0;
  const times = [];
  const began = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    const challenge = `${bits}.1700000000.bench${round}${Math.random().toString(36).slice(2)}.mac`;
    const start = process.hrtime.bigint();
    const counter = await solve(challenge, webcrypto.subtle);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    hashes += counter + 1;
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  times.sort((a, b) => a - b);
  console.log(`bits ${bits}, ${rounds} challenges: ${Math.round(hashes / seconds)} hashes/s ` +
    `(${Math.round(hashes / cpuSeconds)} per CPU-second), ` +
    `median ${Math.round(times[Math.floor(rounds / 2)])} ms, slowest ${Math.round(times[rounds - 1])} ms, ` +
    `mean attempts ${Math.round(hashes / rounds)} (expected ${2 ** bits})`);
})();
