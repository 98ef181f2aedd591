// CLI: `tsx emulator/main.ts [--port 8787] [--host 127.0.0.1] [--call] [--auto-approve] [--crm]`.
// Starts the emulator (and with --crm the stand-in CRM that frames its embedded client), prints
// where they are, logs requests, and runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startEmulator } from './server.ts';
import { startCrmSite } from './crm.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    call: { type: 'boolean', default: false },
    'auto-approve': { type: 'boolean', default: false },
    crm: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, not ${values.port}`);
  process.exit(2);
}

const emulator = await startEmulator({
  port,
  host: values.host,
  autoApprove: values['auto-approve'],
  log: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
});
console.log(`Genesys Cloud emulator at ${emulator.origin}`);
console.log(`  environment (options page): ${emulator.origin}`);
console.log(`  agent desktop:              ${emulator.origin}/directory/`);
console.log(`  embedded client:            ${emulator.origin}/crm/embeddableFramework.html`);
const crm = values.crm ? await startCrmSite({ client: `${emulator.origin}/crm/embeddableFramework.html` }) : undefined;
if (crm) console.log(`  a CRM framing it:           ${crm.url()}`);
if (values.call) console.log(`  simulated call:             ${emulator.startCall()}`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void Promise.all([crm?.close(), emulator.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
