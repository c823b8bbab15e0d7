import type { FullConfig } from '@playwright/test';
import { isBuilt, startStack, type StackInfo } from '../stack';

/**
 * Starts the stack once for the whole run; workers read it from SY_E2E_STACK (environment set here
 * is passed on to them). The returned function is the teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (!isBuilt())
    throw new Error(
      'build first: `npm run build` (control plane, worker, edge, data plane, dev IdP, console)',
    );
  const stack = await startStack();
  const info: StackInfo = {
    consoleUrl: stack.consoleUrl,
    controlPlaneUrl: stack.controlPlaneUrl,
    edgeUrl: stack.edgeUrl,
    idpIssuer: stack.idpIssuer,
    orgIdps: stack.orgIdps,
    databaseUrl: stack.databaseUrl,
    gitServerUrl: stack.gitServerUrl,
    gitProjectRoot: stack.gitProjectRoot,
    dnsControlUrl: stack.dnsControlUrl,
    instanceDir: stack.instanceDir,
    hookReceiverUrl: stack.hookReceiverUrl,
  };
  process.env['SY_E2E_STACK'] = JSON.stringify(info);
  return async () => {
    // A failed run keeps the services' last output next to the traces.
    if (process.env['SY_E2E_LOGS'])
      for (const [name, p] of Object.entries(stack.procs))
        process.stderr.write(`--- ${name}\n${p.output()}\n`);
    await stack.stop();
  };
}
