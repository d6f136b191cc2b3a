// `npm run simulate -- <scenario.json>`: previews a cohort on the time-skipping test server and prints the
// JSON report (plan, events, mails, outcomes per participant). See README, "Simulating a cohort".
import { readFileSync } from 'node:fs';
import { parseScenario, ScenarioError, simulate } from './simulation';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run simulate -- <scenario.json>   (example: infra/scenarios/west-brabant-2027.json)');
  process.exit(2);
}
try {
  const scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
  const report = await simulate(scenario);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(0);
} catch (e) {
  console.error(e instanceof ScenarioError || e instanceof SyntaxError ? `simulate: ${e.message}` : e);
  process.exit(1);
}
