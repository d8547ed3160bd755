/**
 * The service's entry point (src/app/main.ts) with one addition for tests: SIGUSR2 rejects a promise
 * nobody handles, as a bug somewhere in the service would.
 */
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('a rejection nobody handles (test)'));
});
await import('../../src/app/main.ts');
