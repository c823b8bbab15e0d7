/**
 * The observed state of an instance as stored in `instance.observedState` (written from its status
 * reports) and read back for the status API. Reading is defensive: rows written by older control
 * planes lack the newer fields, and a JSON column is never trusted to have the stored shape.
 */

/** A sync error located as precisely as the instance could: commit, file and line when known. */
export type StoredSyncError = {
  message: string;
  /** Commit that failed to build; null when the source could not be fetched at all. */
  revision: string | null;
  /** File relative to the environment's directory. */
  file: string | null;
  line: number | null;
  column: number | null;
  /** ISO time of the failure. */
  at: string | null;
};

/** What the instance reported for one environment. */
export type StoredEnvironmentState = {
  key: string;
  revision: string | null;
  ready: boolean;
  /** Text of the error (as older instances report it). */
  lastError: string | null;
  error: StoredSyncError | null;
  lastSyncAt: string | null;
  /** Warnings of the revision served (absent in rows written before they were reported). */
  warnings?: StoredSyncError[];
};

/** Observed state of an instance as stored (a type alias: Prisma's JSON input needs the implicit index signature). */
export type ObservedState = {
  environments: StoredEnvironmentState[];
  configVersion: string;
  httpPort: number;
  grpcPort: number;
  grpcAddress: string | null;
  /** When the reporting process started (ISO); null for instances that do not report it. */
  startedAt?: string | null;
  /** Process starts seen by the control plane after the first one (null: not known). */
  restarts?: number | null;
};

/** The text form instances send: `<message> (<file>[:<line>]) at <short sha>`, each part optional. */
const DESCRIBED = /^([\s\S]*?)(?: \(([^\s()]+?)(?::(\d+))?\))?(?: at ([0-9a-f]{7,40}))?$/u;

/**
 * Parses the text form of a sync error (instances that predate the structured `error` field).
 * The revision is only a prefix there; callers resolve it against the repository when they can.
 */
export function parseDescribedError(text: string): StoredSyncError {
  const m = DESCRIBED.exec(text);
  return {
    message: m?.[1] || text,
    revision: m?.[4] ?? null,
    file: m?.[2] ?? null,
    line: m?.[3] !== undefined ? Number(m[3]) : null,
    column: null,
    at: null,
  };
}

/** Reads a stored observed state, tolerating missing and older fields (null when absent). */
export function readObservedState(value: unknown): ObservedState | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Partial<ObservedState>;
  const environments = Array.isArray(o.environments) ? o.environments : [];
  return {
    environments: environments
      .filter((e): e is StoredEnvironmentState => typeof e?.key === 'string')
      .map((e) => ({
        key: e.key,
        revision: typeof e.revision === 'string' && e.revision !== '' ? e.revision : null,
        ready: e.ready === true,
        lastError: typeof e.lastError === 'string' && e.lastError !== '' ? e.lastError : null,
        error:
          e.error && typeof e.error.message === 'string'
            ? e.error
            : typeof e.lastError === 'string' && e.lastError !== ''
              ? parseDescribedError(e.lastError)
              : null,
        lastSyncAt: typeof e.lastSyncAt === 'string' ? e.lastSyncAt : null,
        warnings: Array.isArray(e.warnings)
          ? e.warnings.filter((w) => typeof w?.message === 'string')
          : [],
      })),
    configVersion: typeof o.configVersion === 'string' ? o.configVersion : '',
    httpPort: typeof o.httpPort === 'number' ? o.httpPort : 0,
    grpcPort: typeof o.grpcPort === 'number' ? o.grpcPort : 0,
    grpcAddress: typeof o.grpcAddress === 'string' ? o.grpcAddress : null,
    startedAt: typeof o.startedAt === 'string' ? o.startedAt : null,
    restarts: typeof o.restarts === 'number' ? o.restarts : null,
  };
}
