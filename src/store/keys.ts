/**
 * Every Redis key mim-bridge builds, in one place. All live under one prefix that is a Redis
 * Cluster hash tag (`{mim}`), so multi-key scripts and BullMQ's own keys land in one slot.
 * Tests pass a unique prefix each. BullMQ builds its queues' keys itself from the same prefix
 * (`<prefix>:<queue>:…`); the queue names are in queue/.
 *
 * The strings are the ones already written to Redis: changing one loses the data under it.
 */
export interface Keys {
  readonly prefix: string;

  /** Intake: one marker per delivery, so a redelivered webhook is queued once. */
  dedup(source: string, deliveryId: string): string;
  /** The latest known fields of a source record (a hash `f:<field>` → JSON). */
  snapshot(incidentKey: string): string;
  /** When the events worker last consumed an event (the readiness canary). */
  readonly consumedAt: string;
  /** The recent-event stream that `rules backtest` replays. */
  readonly eventLog: string;
  /** A sliding window's sorted set of counted incidents or of their callers. */
  window(windowId: string, serviceId: string, set: 'incidents' | 'callers'): string;
  /** The fingerprints of values we wrote to a record, to recognise their echo. */
  fingerprints(recordKey: string): string;

  /** A major incident's hash: `state`, `data` (JSON), `v` (its version). */
  mi(id: string): string;
  miChildren(id: string): string;
  miTimeline(id: string): string;
  /** Links to other systems' records, one hash field per system (or `system|sub`). */
  miLinks(id: string): string;
  /** Fields kept in sync between systems (priority). */
  miSynced(id: string): string;
  /** What was mirrored already (comments), so a replay never posts twice. */
  miMirrored(id: string): string;
  /** The ids of the major incident's scheduled timers. */
  miTimers(id: string): string;
  /** Measures recorded once each (time to declare, …). */
  miMeasures(id: string): string;
  /** The service's open major incident (its id). */
  miOpen(serviceId: string): string;
  /** The service's last major incident (its id). */
  miLast(serviceId: string): string;
  /**
   * The service's open and last exercise (drill), apart from `miOpen`/`miLast`: a real incident
   * never attaches to or re-opens a drill, and a drill never holds the service.
   */
  miExerciseOpen(serviceId: string): string;
  miExerciseLast(serviceId: string): string;
  /** A closed drill's scorecard (JSON), written once: whoever sets it appends the timeline entry. */
  miScorecard(id: string): string;
  /** The service's last closed drill: `{miId, closedAt, met}` as JSON (readiness reads it). */
  lastDrill(serviceId: string): string;
  /** A source record (or one we created) → the major incident it belongs to. */
  miRecord(incidentKey: string): string;
  /** Every major incident by creation time. */
  readonly miIndex: string;
  /** The transactional outbox the relay moves to the action queues. */
  readonly outbox: string;

  /** An action that failed for good, and the index of them by time. */
  deadLetter(jobId: string): string;
  readonly deadLetterIndex: string;

  /** Only one reconciliation run at a time. */
  readonly reconcileLock: string;
  /** Where the ServiceNow sweep continues. */
  readonly reconcileCursor: string;

  /** The config version every process should run. */
  readonly configActive: string;
  /** The config version entries, newest first. */
  readonly configHistory: string;
  /** The ids whose files are stored. */
  readonly configFileIndex: string;
  /** A version's files as JSON: `configFilesPrefix` + its id. */
  configFiles(versionId: string): string;
  readonly configFilesPrefix: string;
  /** The pub/sub channel that announces a newly active config version. */
  readonly configActivated: string;

  /**
   * An admin session, by the sha256 of its id. Has no `:` after the prefix (`{mim}admin:…`),
   * unlike every other key: kept so sessions open during an upgrade stay valid.
   */
  adminSession(idSha256: string): string;
}

export function keys(prefix: string): Keys {
  const mi = `${prefix}:mi`;
  const config = `${prefix}:config`;
  return {
    prefix,
    dedup: (source, deliveryId) => `${prefix}:dedup:${source}:${deliveryId}`,
    snapshot: (incidentKey) => `${prefix}:snapshot:${incidentKey}`,
    consumedAt: `${prefix}:health:events-consumed-at`,
    eventLog: `${prefix}:eventlog`,
    window: (windowId, serviceId, set) => `${prefix}:window:${windowId}:${serviceId}:${set}`,
    fingerprints: (recordKey) => `${prefix}:fp:${recordKey}`,

    mi: (id) => `${mi}:${id}`,
    miChildren: (id) => `${mi}:${id}:children`,
    miTimeline: (id) => `${mi}:${id}:timeline`,
    miLinks: (id) => `${mi}:${id}:links`,
    miSynced: (id) => `${mi}:${id}:synced`,
    miMirrored: (id) => `${mi}:${id}:mirrored`,
    miTimers: (id) => `${mi}:${id}:timers`,
    miMeasures: (id) => `${mi}:${id}:measures`,
    miOpen: (serviceId) => `${mi}:open:${serviceId}`,
    miLast: (serviceId) => `${mi}:last:${serviceId}`,
    miExerciseOpen: (serviceId) => `${mi}:exercise-open:${serviceId}`,
    miExerciseLast: (serviceId) => `${mi}:exercise-last:${serviceId}`,
    miScorecard: (id) => `${mi}:${id}:scorecard`,
    lastDrill: (serviceId) => `${prefix}:drill:last:${serviceId}`,
    miRecord: (incidentKey) => `${mi}:record:${incidentKey}`,
    miIndex: `${mi}:index`,
    outbox: `${mi}:outbox`,

    deadLetter: (jobId) => `${prefix}:dead:${jobId}`,
    deadLetterIndex: `${prefix}:dead-index`,

    reconcileLock: `${prefix}:reconcile:lock`,
    reconcileCursor: `${prefix}:reconcile:servicenow-cursor`,

    configActive: `${config}:active`,
    configHistory: `${config}:history`,
    configFileIndex: `${config}:file-index`,
    configFiles: (versionId) => `${config}:files:${versionId}`,
    configFilesPrefix: `${config}:files:`,
    configActivated: `${config}:activated`,

    adminSession: (idSha256) => `${prefix}admin:session:${idSha256}`,
  };
}
