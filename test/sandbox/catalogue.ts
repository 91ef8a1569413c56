/**
 * The seeded orders of the local ATRIP sandbox.
 *
 * The scenario orders (fixed numbers, one per behaviour the extension must handle) come first,
 * then ~2,400 ordinary orders generated deterministically (same list on every start).
 * Every order number matches ATRIP's pattern: five capital letters and 17 digits.
 *
 * One file, one job: the one list of orders (the scenario table, then the generator of the
 * ordinary ones) that the sandbox serves and the tests index.
 */

/** ATRIP's order-number pattern. */
export const ORDER_NO_PATTERN = /^[A-Z]{5}\d{17}$/;

/** Scenario name → order number. The numbers are fixed: other tests and docs rely on them. */
export const SCENARIOS = {
  /** Stop accepted; becomes "-3" (intercepted) after interceptSeconds. */
  intercept: 'TESTA20261126090000001',
  /** Stop accepted; becomes "2" (ticket issued anyway) after interceptSeconds. */
  issue: 'TESTA20261126090000002',
  /** Ticketed from the start; a stop still answers status 0; query always "2". */
  alreadyIssued: 'TESTA20261126090000003',
  /** Unpaid ("0"); a stop is refused with status 801. */
  unpaid: 'TESTA20261126090000004',
  /** Every .do reply is delayed by slowReplyMs, then behaves like intercept. */
  slow: 'TESTA20261126090000005',
  /** The first request after start/reset answers HTTP 500 with HTML; then like intercept. */
  flaky: 'TESTA20261126090000006',
  /** Every .do reply is HTTP 200 text/html, not JSON. */
  garbage: 'TESTA20261126090000007',
  /** Every .do reply is JSON without `status`. */
  noStatus: 'TESTA20261126090000008',
  /** Stop accepted; the query stays "1" forever. */
  pending: 'TESTA20261126090000009',
  /** Like intercept, but the query reply nests the order fields in `data`. */
  dataShape: 'TESTA20261126090000010',
  /** Like issue, but `orderStatus` is a number. */
  numericStatus: 'TESTA20261126090000011',
  /** Like intercept, but top-level `orderStatus` is null and the values sit in `orderList[]`. */
  orderListShape: 'TESTA20261126090000012',
  /** The first query after start/reset answers HTTP 429; then like intercept. */
  rateLimited: 'TESTA20261126090000013',
  // ATRIP's answer table (shared/atrip/stop-ticket.md): each order plays one row of it.
  // "Once" counters are per order and cleared by reset().
  /** The first stop answers 905 (too frequent: not taken); the next one is accepted; then like intercept. */
  tooFrequentOnce: 'TESTA20261126090000014',
  /** The first stop answers 9999 (system error); the next one is accepted; then like intercept. */
  systemErrorOnce: 'TESTA20261126090000015',
  /** The first stop answers `status` 2 (a system error on stopTicket); the next one is accepted; then like issue. */
  stopStatus2Once: 'TESTA20261126090000016',
  /**
   * The first stop is taken (ATRIP starts intercepting) but its answer never arrives: the
   * connection is cut after the headers. Every later stop is refused with 809 ("stop already
   * requested") while ATRIP intercepts; -3 after max(interceptSeconds, LOST_ANSWER_MIN_SECONDS).
   */
  lostAnswer: 'TESTA20261126090000017',
  /** Stop accepted; the first 3 queries answer 705 (query time-out, retry); then like intercept. */
  queryTimeout705: 'TESTA20261126090000018',
  /** Stop accepted; the first 3 queries answer 800 (order does not exist); then like issue. */
  queryNotFound800: 'TESTA20261126090000019',
  /** The first stop answers HTTP 429 with `retryAfter` RATE_LIMIT_RETRY_AFTER_SECONDS (body and header); then like intercept. */
  rateLimitedStop: 'TESTA20261126090000020',
  /** Like intercept, but the query reply is full of null and odd fields around the real status (in `orderList[]`). */
  oddFields: 'TESTA20261126090000021',
  /** Every stop answers 905 (too frequent): the stop can never be sent. The order stays "1". */
  tooFrequentForever: 'TESTA20261126090000022',
} as const;

/** How long the `lostAnswer` order takes at least to be decided: time for a look-up and a refused repeat first. */
export const LOST_ANSWER_MIN_SECONDS = 10;
/** `retryAfter` (seconds) of the `rateLimitedStop` order's 429. */
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 3;
/** How many of the first queries the `queryTimeout705` and `queryNotFound800` orders answer with their code. */
export const FAILING_QUERIES = 3;

export type ScenarioName = keyof typeof SCENARIOS;

/** The ancillary order listed beside `orderListShape` in its `orderList[]` (not itself a seeded order). */
export const ANCILLARY_ORDER_NO = 'TESTS20261126090000012';

/** ATRIP order statuses as strings: 0 unpaid, 1 paid awaiting ticketing, 2 ticketed, -3 cancelled. */
export type OrderStatus = '0' | '1' | '2' | '-3';

export interface Passenger {
  name: string;
  type: 'ADT' | 'CHD';
}

export interface SandboxOrder {
  orderNo: string;
  /** The scenario this order plays, or null for an ordinary order. */
  scenario: ScenarioName | null;
  /** Status before any stop request. */
  baseStatus: OrderStatus;
  /** Status once an accepted stop has been processed; null = never decided (stays baseStatus). */
  outcome: '-3' | '2' | null;
  from: string;
  to: string;
  /** e.g. "PEK→SHA" */
  route: string;
  flightNo: string;
  /** Departure date, yyyy-MM-dd. */
  departureDate: string;
  passengers: Passenger[];
  /** Creation time, "yyyy-MM-dd HH:mm:ss". */
  createdAt: string;
  pnr: string;
  /** One ticket number per passenger (reported once the order is ticketed). */
  ticketNos: string[];
}

const CITIES: Record<string, { zh: string; en: string }> = {
  PEK: { zh: '北京', en: 'Beijing' },
  PKX: { zh: '北京大兴', en: 'Beijing Daxing' },
  SHA: { zh: '上海虹桥', en: 'Shanghai Hongqiao' },
  PVG: { zh: '上海浦东', en: 'Shanghai Pudong' },
  CAN: { zh: '广州', en: 'Guangzhou' },
  SZX: { zh: '深圳', en: 'Shenzhen' },
  CTU: { zh: '成都', en: 'Chengdu' },
  XIY: { zh: '西安', en: "Xi'an" },
  KMG: { zh: '昆明', en: 'Kunming' },
  HGH: { zh: '杭州', en: 'Hangzhou' },
  HKG: { zh: '香港', en: 'Hong Kong' },
  TPE: { zh: '台北', en: 'Taipei' },
  NRT: { zh: '东京成田', en: 'Tokyo Narita' },
  ICN: { zh: '首尔仁川', en: 'Seoul Incheon' },
  SIN: { zh: '新加坡', en: 'Singapore' },
  BKK: { zh: '曼谷', en: 'Bangkok' },
  LHR: { zh: '伦敦希思罗', en: 'London Heathrow' },
  FRA: { zh: '法兰克福', en: 'Frankfurt' },
};

export function cityName(code: string, lang: 'zh' | 'en'): string {
  return CITIES[code]?.[lang] ?? code;
}

/** [from, to, airline designator, ticketing airline prefix] */
const ROUTES: [string, string, string, string][] = [
  ['PEK', 'SHA', 'CA', '999'],
  ['CAN', 'HKG', 'CZ', '784'],
  ['PVG', 'NRT', 'MU', '781'],
  ['SZX', 'CTU', 'ZH', '479'],
  ['PEK', 'CAN', 'CA', '999'],
  ['HKG', 'SIN', 'CX', '160'],
  ['SHA', 'SZX', 'MU', '781'],
  ['CTU', 'KMG', '3U', '876'],
  ['PKX', 'XIY', 'CZ', '784'],
  ['HGH', 'PEK', 'CA', '999'],
  ['PVG', 'ICN', 'MU', '781'],
  ['CAN', 'BKK', 'CZ', '784'],
  ['PEK', 'LHR', 'CA', '999'],
  ['PVG', 'FRA', 'MU', '781'],
  ['HKG', 'TPE', 'CX', '160'],
  ['XIY', 'HGH', 'HU', '880'],
];

const NAMES = [
  '张伟',
  'SMITH/JOHN MR',
  '王芳',
  'NGUYEN/VAN AN MR',
  '李娜',
  'TANAKA/YUKI MS',
  '刘洋',
  'BROWN/EMMA MS',
  '陈静',
  'KIM/MINJUN MR',
  '杨帆',
  'GARCIA/MARIA MS',
  '赵磊',
  'DUBOIS/CLAIRE MS',
  '黄敏',
  'SILVA/PEDRO MR',
  '周杰',
  'MUELLER/ANNA MS',
  '吴霞',
  'WANG/XIAOMING MR',
  '徐明',
  'OKAFOR/CHIDI MR',
  '孙丽',
  'ROSSI/LUCA MR',
];

const PNR_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function pnrFor(seed: number): string {
  let x = (seed * 2654435761) >>> 0;
  let out = '';
  for (let i = 0; i < 6; i++) {
    out += PNR_LETTERS[x % PNR_LETTERS.length];
    x = Math.floor(x / PNR_LETTERS.length) + (i + 1) * 7919 * (seed + 1);
    x >>>= 0;
  }
  return out;
}

/** "yyyy-MM-dd HH:mm:ss" in UTC (the sandbox shows times without a zone, like the portal). */
function formatTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

function formatDate(ms: number): string {
  return formatTime(ms).slice(0, 10);
}

interface ScenarioSeed {
  baseStatus: OrderStatus;
  outcome: '-3' | '2' | null;
}

/** How each scenario's status evolves (its transport quirks live in the server). */
const SCENARIO_SEEDS: Record<ScenarioName, ScenarioSeed> = {
  intercept: { baseStatus: '1', outcome: '-3' },
  issue: { baseStatus: '1', outcome: '2' },
  alreadyIssued: { baseStatus: '2', outcome: '2' },
  unpaid: { baseStatus: '0', outcome: null },
  slow: { baseStatus: '1', outcome: '-3' },
  flaky: { baseStatus: '1', outcome: '-3' },
  garbage: { baseStatus: '1', outcome: '-3' },
  noStatus: { baseStatus: '1', outcome: '-3' },
  pending: { baseStatus: '1', outcome: null },
  dataShape: { baseStatus: '1', outcome: '-3' },
  numericStatus: { baseStatus: '1', outcome: '2' },
  orderListShape: { baseStatus: '1', outcome: '-3' },
  rateLimited: { baseStatus: '1', outcome: '-3' },
  tooFrequentOnce: { baseStatus: '1', outcome: '-3' },
  systemErrorOnce: { baseStatus: '1', outcome: '-3' },
  stopStatus2Once: { baseStatus: '1', outcome: '2' },
  lostAnswer: { baseStatus: '1', outcome: '-3' },
  queryTimeout705: { baseStatus: '1', outcome: '-3' },
  queryNotFound800: { baseStatus: '1', outcome: '2' },
  rateLimitedStop: { baseStatus: '1', outcome: '-3' },
  oddFields: { baseStatus: '1', outcome: '-3' },
  tooFrequentForever: { baseStatus: '1', outcome: null },
};

function makeOrder(
  index: number,
  orderNo: string,
  scenario: ScenarioName | null,
  seed: ScenarioSeed,
  createdMs: number,
): SandboxOrder {
  const [from, to, airline, prefix] = ROUTES[index % ROUTES.length]!;
  const paxCount = index % 5 === 3 ? 2 : 1;
  const passengers: Passenger[] = [];
  for (let p = 0; p < paxCount; p++) {
    passengers.push({ name: NAMES[(index * 7 + p * 5) % NAMES.length]!, type: p === 1 && index % 10 === 3 ? 'CHD' : 'ADT' });
  }
  const ticketNos = passengers.map((_, p) => `${prefix}-${pad(2400000000 + index * 2 + p, 10)}`);
  return {
    orderNo,
    scenario,
    baseStatus: seed.baseStatus,
    outcome: seed.outcome,
    from,
    to,
    route: `${from}→${to}`,
    flightNo: `${airline}${pad(1000 + ((index * 37) % 8999), 4)}`,
    departureDate: formatDate(createdMs + (3 + (index % 40)) * 86_400_000),
    passengers,
    createdAt: formatTime(createdMs),
    pnr: pnrFor(index + 1),
    ticketNos,
  };
}

/** Default number of ordinary orders. */
export const ORDINARY_ORDER_COUNT = 2400;

/**
 * The full, deterministic order list: the scenario orders first (in SCENARIOS order), then
 * `ordinaryCount` ordinary orders `TESTB2026112510` + 7-digit counter, alternately intercepted
 * (odd counter) and issued (even counter), newest first.
 */
export function buildOrders(ordinaryCount = ORDINARY_ORDER_COUNT): SandboxOrder[] {
  const orders: SandboxOrder[] = [];
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  // Scenario orders: created 2026-11-26 09:00:00.<n>, as their numbers say.
  const scenarioBase = Date.UTC(2026, 10, 26, 9, 0, 0);
  names.forEach((name, i) => {
    orders.push(makeOrder(i, SCENARIOS[name], name, SCENARIO_SEEDS[name], scenarioBase + i + 1));
  });
  // Ordinary orders: one every 37 s going back from 2026-11-25 23:58.
  const ordinaryBase = Date.UTC(2026, 10, 25, 23, 58, 0);
  for (let n = 1; n <= ordinaryCount; n++) {
    const orderNo = `TESTB2026112510${pad(n, 7)}`;
    const seed: ScenarioSeed = { baseStatus: '1', outcome: n % 2 === 1 ? '-3' : '2' };
    orders.push(makeOrder(names.length + n - 1, orderNo, null, seed, ordinaryBase - (n - 1) * 37_000));
  }
  for (const order of orders) {
    if (!ORDER_NO_PATTERN.test(order.orderNo)) throw new Error(`Bad sandbox order number ${order.orderNo}`);
  }
  return orders;
}

/** The seeded orders, built once. */
export const ORDERS: readonly SandboxOrder[] = buildOrders();

const BY_NO = new Map(ORDERS.map((o) => [o.orderNo, o]));

export function findOrder(orderNo: string): SandboxOrder | undefined {
  return BY_NO.get(orderNo);
}
