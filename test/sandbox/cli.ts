/**
 * Starts the local ATRIP sandbox:
 *
 *   npm run sandbox -- [--port 8790] [--intercept-seconds 480] [--slow-reply-ms 20000]
 *                      [--client-id sandbox-client] [--client-secret sandbox-secret | --no-secret]
 *
 * Env: SANDBOX_PORT, SANDBOX_INTERCEPT_SECONDS. Stops on SIGINT / SIGTERM.
 */
import { ORDERS, SCENARIOS } from './catalogue';
import { startSandbox, type SandboxOptions } from './server';

function parseArgs(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      args.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        args.set(arg.slice(2), next);
        i++;
      } else {
        args.set(arg.slice(2), true);
      }
    }
  }
  return args;
}

function numberArg(name: string, value: string | true | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (value === true || !Number.isFinite(n) || n < 0) {
    console.error(`Invalid value for ${name}: ${String(value)}`);
    process.exit(2);
  }
  return n;
}

function stringArg(value: string | true | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help') || args.has('h')) {
    console.log(
      'Usage: npm run sandbox -- [--port 8790] [--intercept-seconds 480] [--slow-reply-ms 20000]\n' +
        '                          [--client-id ID] [--client-secret SECRET | --no-secret]\n' +
        'Env: SANDBOX_PORT, SANDBOX_INTERCEPT_SECONDS',
    );
    return;
  }
  const options: SandboxOptions = {
    port: numberArg('--port', args.get('port') ?? process.env.SANDBOX_PORT, 8790),
    interceptSeconds: numberArg(
      '--intercept-seconds',
      args.get('intercept-seconds') ?? process.env.SANDBOX_INTERCEPT_SECONDS,
      480,
    ),
    slowReplyMs: numberArg('--slow-reply-ms', args.get('slow-reply-ms'), 20_000),
  };
  const clientId = stringArg(args.get('client-id'));
  if (clientId !== undefined) options.clientId = clientId;
  if (args.has('no-secret')) options.clientSecret = null;
  else {
    const secret = stringArg(args.get('client-secret'));
    if (secret !== undefined) options.clientSecret = secret;
  }

  const sandbox = await startSandbox(options);
  const { url } = sandbox;
  const lines = [
    `ATRIP sandbox listening on ${url}`,
    '',
    `  API base URL      ${url}   (POST /stopTicket.do, POST /queryOrderDetails.do)`,
    `  client id         ${options.clientId ?? 'sandbox-client'}`,
    `  client secret     ${options.clientSecret === null ? '(not checked: company-proxy mode)' : (options.clientSecret ?? 'sandbox-secret')}`,
    `  intercept after   ${options.interceptSeconds} s`,
    `  slow replies      ${options.slowReplyMs} ms`,
    '',
    `  Portal            ${url}/portal/#/order/list`,
    `  Order detail      ${url}/portal/#/order/detail/${SCENARIOS.intercept}/en`,
    `  Benchmark list    ${url}/portal/?pageSize=2000#/order/list`,
    `  Control           GET ${url}/__sandbox/requests | POST ${url}/__sandbox/reset | POST ${url}/__sandbox/config | GET ${url}/__sandbox/scenarios | POST ${url}/__sandbox/order-status {orderNo, orderStatus}`,
    '',
    `Scenario orders (${ORDERS.length} orders in all):`,
    ...Object.entries(SCENARIOS).map(([name, orderNo]) => `  ${name.padEnd(20)}${orderNo}`),
    '',
    'Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
