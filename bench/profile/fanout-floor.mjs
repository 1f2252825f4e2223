/* global process, console, setImmediate */
/*
 * The floor of local fan-out (issue 14): what it costs to call 10 async handlers per publish and
 * observe each handler's promise, the least a bus can do that keeps per-subscription order and
 * reports rejections, against calling them and dropping the promises (what eventemitter2 does).
 * Plain JavaScript, no Busline: `node bench/profile/fanout-floor.mjs [handlers]` (10 unless
 * given; 1 for the one-handler case). Nanoseconds per publish, minimum over 7 rounds (rounds
 * alternate the order of the variants).
 *
 * - drop:  handler() for each, the promise dropped (eventemitter2)
 * - then:  handler().then(onSettled, onRejected) for each (one derived promise and one microtask
 *          per handler: the cheapest way to learn that a promise settled)
 * - await: an async runner per handler that awaits it (one more promise per handler)
 * - all:   Promise.all over the 10 promises, then() on the result (order per handler is lost)
 * - event: `then`, plus what a publish must make once whatever the handlers: an event object
 *          stamped with `Date.now()`, and the promise `publish()` returns (resolved with it)
 */
let received = 0;
let settled = 0;
const count = Number(process.argv[2] ?? 10);
const handlers = Array.from({ length: count }, () => async () => {
  received++;
});
const onSettled = () => {
  settled++;
};
const onRejected = () => {};
async function runner(handler) {
  try {
    await handler();
  } catch (error) {
    onRejected(error);
  }
  settled++;
}

class Stamped {
  constructor(payload) {
    this.payload = payload;
    this.time = Date.now();
  }
}
const payload = { value: '21.5' };

const VARIANTS = {
  drop: () => {
    for (let k = 0; k < count; k++) handlers[k]();
  },
  then: () => {
    for (let k = 0; k < count; k++) handlers[k]().then(onSettled, onRejected);
  },
  await: () => {
    for (let k = 0; k < count; k++) runner(handlers[k]);
  },
  all: () => {
    const promises = new Array(count);
    for (let k = 0; k < count; k++) promises[k] = handlers[k]();
    Promise.all(promises).then(onSettled, onRejected);
  },
  event: () => {
    const event = new Stamped(payload);
    for (let k = 0; k < count; k++) handlers[k](event).then(onSettled, onRejected);
    return Promise.resolve(event);
  },
};

async function run(publish, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    // The publisher awaits its publish, as in the benchmark.
    await publish();
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  return Number(process.hrtime.bigint() - start) / n;
}

const names = Object.keys(VARIANTS);
const best = Object.fromEntries(names.map((name) => [name, Infinity]));
for (let round = 0; round < 7; round++) {
  for (const name of round % 2 ? names : [...names].reverse()) {
    best[name] = Math.min(best[name], await run(VARIANTS[name], 200_000));
  }
}
for (const name of names) {
  const ratio = best.drop / best[name];
  console.log(
    `${name.padEnd(6)} ${best[name].toFixed(0).padStart(6)} ns per publish  (${ratio.toFixed(2)}x drop)`,
  );
}
void received;
void settled;
