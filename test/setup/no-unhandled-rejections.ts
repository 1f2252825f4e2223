/*
 * A promise rejection nobody handles is a bug in Busline (or in a test): fail the test file.
 * Jest already fails the test that is running when one happens; this also catches those that
 * surface between tests or after the last one.
 */
const rejections: unknown[] = [];
const record = (reason: unknown): void => {
  rejections.push(reason);
};

process.on('unhandledRejection', record);

afterAll(async () => {
  // Let rejections of the last test's leftovers surface before judging.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', record);
  if (rejections.length > 0) {
    const reasons = rejections.map((r) => (r instanceof Error ? r.stack : String(r))).join('\n');
    throw new Error(`${rejections.length} unhandled promise rejection(s):\n${reasons}`);
  }
});
