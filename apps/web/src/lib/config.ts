import { z } from 'zod';

const schema = z.object({
  /** Where the control plane's REST API listens; the console proxies `/api/*` there. */
  CONTROL_PLANE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .default('http://127.0.0.1:3000')
    .transform((u) => u.replace(/\/+$/, '')),
});

/** The console server's validated configuration. */
export interface ConsoleConfig {
  controlPlaneUrl: string;
}

/** Validates the environment, naming every bad variable; the only place that reads `process.env`. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConsoleConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid console configuration:\n${lines.join('\n')}`);
  }
  return { controlPlaneUrl: parsed.data.CONTROL_PLANE_URL };
}

let cached: ConsoleConfig | undefined;
/** The configuration, loaded once per server process. */
export function config(): ConsoleConfig {
  return (cached ??= loadConfig());
}
