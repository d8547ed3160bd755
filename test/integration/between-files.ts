import nock from 'nock';

/**
 * Runs before every file of the integration project, whose files share worker processes
 * (isolate: false in vitest.config.ts). A file that ended without undoing its nock set-up must not
 * answer, or refuse, the next file's requests; nor may an exit code a CLI test set fail the worker.
 */
nock.cleanAll();
nock.enableNetConnect();
process.exitCode = undefined;
