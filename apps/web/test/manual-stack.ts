// Manual runs: `npx tsx apps/web/test/manual-stack.ts` starts the stack the browser suite uses
// (console, control plane, worker, edge, dev IdPs, test git and DNS servers) on free ports and prints where they are.
import { startStack } from './stack';

const stack = await startStack();
process.stdout.write(
  [
    `console ${stack.consoleUrl}`,
    `control plane ${stack.controlPlaneUrl}`,
    `edge ${stack.edgeUrl}`,
    `platform idp (google) ${stack.idpIssuer}`,
    `okta idp ${stack.orgIdps.okta}`,
    `auth0 idp ${stack.orgIdps.auth0}`,
    `test git server ${stack.gitServerUrl} (repositories under ${stack.gitProjectRoot})`,
    `test DNS records: PUT ${stack.dnsControlUrl}/<name> {"TXT":["…"]}`,
    '',
  ].join('\n'),
);
const stop = () => void stack.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
