/** Sections 2 and 3: outcome latency (worker alive and killed) and API economy (calls per order, a full deadline run). */
import { Harness } from '../../test/e2e/harness';
import { figures, log } from '../lib/report';
import { max, median, min, ms } from '../lib/stats';
import { deadlineRun, latencyRun, type LatencyRun } from '../outcome';

const LATENCY_ORDERS = 20;
const FIRST_CHECK_SECONDS = 3;
const INTERCEPT_SECONDS = 2;
const DEADLINE = { firstCheckSeconds: FIRST_CHECK_SECONDS, recheckSeconds: 10, deadlineMinutes: 1 };

function expectedDeadlineQueries(s: typeof DEADLINE): number {
  const deadline = s.deadlineMinutes * 60;
  let count = 0;
  for (let t = s.firstCheckSeconds; ; t = Math.min(t + s.recheckSeconds, deadline)) {
    count++;
    if (t >= deadline) break;
  }
  return count;
}

export async function outcome() {
  const h = await Harness.launch({
    settings: { firstCheckSeconds: FIRST_CHECK_SECONDS, recheckSeconds: FIRST_CHECK_SECONDS, deadlineMinutes: 1 },
    sandbox: { interceptSeconds: INTERCEPT_SECONDS },
  });
  log(`deadline run started (${DEADLINE.deadlineMinutes} min, beside the latency runs)`);
  const deadlinePromise = deadlineRun(DEADLINE);
  let runs: LatencyRun[];
  try {
    const plainRun = await latencyRun(h, 1, LATENCY_ORDERS, INTERCEPT_SECONDS, false);
    log(`latency: ${LATENCY_ORDERS} orders notified`);
    const killedRun = await latencyRun(h, LATENCY_ORDERS + 1, LATENCY_ORDERS, INTERCEPT_SECONDS, true);
    log(`latency with the worker killed: ${LATENCY_ORDERS} orders notified`);
    runs = [plainRun, killedRun];
  } finally {
    await h.close();
  }
  const deadline = await deadlinePromise;
  log(`deadline run: ${deadline.state} after ${deadline.stopCalls} stop + ${deadline.queryCalls} query calls`);

  const floor = (FIRST_CHECK_SECONDS - INTERCEPT_SECONDS) * 1000;
  const settingsText = `firstCheckSeconds ${FIRST_CHECK_SECONDS}, sandbox interceptSeconds ${INTERCEPT_SECONDS}`;
  for (const run of runs) {
    const latencies = run.orders.map((o) => o.latencyMs);
    const what = run.killed ? 'worker killed' : 'worker alive';
    const how = `${LATENCY_ORDERS} ordinary TESTB orders stopped at once (${settingsText}): sandbox decision (its stopTicket log entry "at" + ${INTERCEPT_SECONDS} s) → the record's notified flag written (chrome.storage.onChanged in an extension page)${run.killed ? `; killWorker() once all were intercepting (${run.finalBeforeKill} already final then)` : ''}; baseline: the schedule's floor, firstCheck − intercept`;
    figures.push({ section: 'Outcome latency', label: `median, ${what}`, value: median(latencies), unit: 'ms', baseline: floor, baselineLabel: 'schedule floor', comparison: `+${ms(median(latencies) - floor)}`, method: how });
    const alarmDelay = median(run.orders.map((o) => o.firstQueryAt - (o.acceptedAt + FIRST_CHECK_SECONDS * 1000)));
    const acceptDelay = median(run.orders.map((o) => o.acceptedAt - (o.decidedAt - INTERCEPT_SECONDS * 1000)));
    const afterQuery = median(run.orders.map((o) => o.notifiedAt - o.firstQueryAt));
    figures.push({
      section: 'Outcome latency',
      label: `max, ${what}`,
      value: max(latencies),
      unit: 'ms',
      baseline: floor,
      baselineLabel: 'schedule floor',
      comparison: `+${ms(max(latencies) - floor)}`,
      method: `same ${LATENCY_ORDERS} orders, the slowest; where the time goes (medians): stop at the sandbox → acceptedAt written ${ms(acceptDelay)}, acceptedAt + ${FIRST_CHECK_SECONDS} s → status query at the sandbox ${ms(alarmDelay)}, query → notified ${ms(afterQuery)}`,
    });
  }
  const all = runs.flatMap((r) => r.orders);
  const calls = all.map((o) => o.stopCalls + o.queryCalls);
  const exactlyTwo = calls.filter((c) => c === 2).length;
  figures.push({
    section: 'API economy',
    label: 'calls per stopped order (first check decides)',
    value: median(calls),
    unit: 'calls',
    baseline: 2,
    baselineLabel: 'goal',
    comparison: `${exactlyTwo}/${calls.length} at 2 (min ${min(calls)}, max ${max(calls)})`,
    method: `sandbox request log (callsFor: stopTicket.do + queryOrderDetails.do) of the ${calls.length} latency orders, worker alive and killed; median`,
  });
  const expected = 1 + expectedDeadlineQueries(DEADLINE);
  figures.push({
    section: 'API economy',
    label: `calls per order, full deadline run (ends ${deadline.state})`,
    value: deadline.stopCalls + deadline.queryCalls,
    unit: 'calls',
    baseline: expected,
    baselineLabel: 'by the schedule',
    comparison: `${deadline.stopCalls} stop + ${deadline.queryCalls} query; ended ${ms(deadline.finishedAfterDeadlineMs)} after the deadline`,
    method: `the pending scenario (never decided), firstCheckSeconds ${DEADLINE.firstCheckSeconds}, recheckSeconds ${DEADLINE.recheckSeconds}, deadlineMinutes ${DEADLINE.deadlineMinutes}; sandbox request log; schedule = 1 stop + a check at first-check, every re-check and at the deadline`,
  });
  return { runs, deadline };
}
