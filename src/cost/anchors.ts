/**
 * Field anchors: monthly bills of comparable stacks, as read for PRICES.md (2026-11). `backplane cost` prints the
 * estimate next to them.
 */
export interface Anchor {
  readonly name: string;
  /** USD per month; a range as [low, high]. */
  readonly monthly: number | readonly [number, number];
  /** What it is made of. */
  readonly breakdown: string;
  readonly source: string;
}

export const FIELD_ANCHORS: readonly Anchor[] = [
  {
    name: 'A serverless→ECS migration blog (ECS + ALB + NAT Gateway + WAF)',
    monthly: 90.87,
    breakdown: 'NAT Gateway $33.65, ALB $16.74, KMS $11.93, public IPv4 $11.16, ECS $8.67, WAF $7.00, Route53 $1.03, ECR $0.56, S3 $0.13',
    source: 'PRICES.md field anchors (read 2026-11)',
  },
  {
    name: 'Procella on SST (Lambda + Aurora Serverless v2 0.5 ACU + RDS Proxy + fck-nat)',
    monthly: [55, 65],
    breakdown: 'Aurora 0.5 ACU ~$43 the largest line',
    source: 'PRICES.md field anchors (read 2026-11)',
  },
  {
    name: "SST's component notes (Service + ALB + EC2 NAT + Postgres t4g.micro + Valkey t4g.micro)",
    monthly: 12 + 16 + 6 + 14 + 9,
    breakdown:
      'Service ~$12, ALB ~$16 (+$4 HTTPS), EC2 NAT ~$6, Postgres t4g.micro ~$14, Valkey t4g.micro ~$9 (managed NAT 2 AZ ~$65 instead of EC2 NAT)',
    source: 'PRICES.md field anchors (read 2026-11)',
  },
];

const show = (m: Anchor['monthly']): string => (typeof m === 'number' ? `$${m.toFixed(2)}` : `$${m[0]}-${m[1]}`);

/** One line per anchor: "$90.87  A blog ... (yours: $38.26 less)". */
export function compareWithAnchors(total: number): { anchor: Anchor; difference: number; text: string }[] {
  return FIELD_ANCHORS.map((anchor) => {
    const ref = typeof anchor.monthly === 'number' ? anchor.monthly : anchor.monthly[0];
    const difference = Math.round((total - ref) * 100) / 100;
    const rel = difference === 0 ? 'the same' : `$${Math.abs(difference).toFixed(2)} ${difference < 0 ? 'less' : 'more'}`;
    return {
      anchor,
      difference,
      text: `${show(anchor.monthly).padStart(9)}  ${anchor.name}: this stack is ${rel}${typeof anchor.monthly === 'number' ? '' : ' than its low end'}`,
    };
  });
}
