// Manual runs: `npx tsx apps/web/test/manual-stack.ts` starts the stack and prints the console URL.
import { startStack } from './stack';

const stack = await startStack();
process.stdout.write(
  `console ${stack.consoleUrl}\ncontrol plane ${stack.controlPlaneUrl}\nidp ${stack.idpIssuer}\n`,
);
const stop = () => void stack.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
