/** `backplane cost` prices exactly the alarms the stack creates (the count comes from the construct's own rule). */
import builtInExample from '../../examples/fullstack/backplane.config';
import productionExample from '../../examples/production/backplane.config';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { estimateCost } from '../../src/cost';
import { synth } from '../support/synth';

const pricedAlarms = (input: BackplaneConfigInput): number => {
  const line = estimateCost(resolveConfig(input)).lines.find((l) => l.item.startsWith('CloudWatch alarms'));
  return Number(/\((\d+) alarms/.exec(line?.item ?? '')?.[1] ?? 0);
};
const createdAlarms = (input: BackplaneConfigInput): number =>
  Object.values((synth(input).resource.aws_cloudwatch_metric_alarm ?? {}) as Record<string, { alarm_actions?: string[] }>).filter((a) =>
    (a.alarm_actions ?? []).includes('${aws_sns_topic.alarms_topic.arn}'),
  ).length;

describe('alarms in the cost estimate', () => {
  it.each([
    ['the built-in example', builtInExample],
    ['the production example', productionExample],
  ])('%s: as many priced as created', (_, input) => {
    const created = createdAlarms(input as BackplaneConfigInput);
    expect(created).toBeGreaterThanOrEqual(12);
    expect(pricedAlarms(input as BackplaneConfigInput)).toBe(created);
  });

  it('alarms: { enabled: false } creates and prices none', () => {
    const off = { ...builtInExample, alarms: { enabled: false } } as BackplaneConfigInput;
    expect(createdAlarms(off)).toBe(0);
    expect(pricedAlarms(off)).toBe(0);
  });
});
