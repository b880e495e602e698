/**
 * Cost lines and the sink the estimator's sections write them to.
 */
import type { Price } from './prices';

export type CostComponent =
  'compute' | 'load-balancing' | 'network' | 'database' | 'cache' | 'async' | 'email' | 'secrets' | 'observability' | 'registry' | 'edge';

export interface CostLine {
  readonly component: CostComponent;
  /** What is billed, e.g. "Fargate: api (1 task, 0.25 vCPU / 0.5 GB, arm64)". */
  readonly item: string;
  /** USD per month, rounded to the cent. */
  readonly monthly: number;
  /** The arithmetic, from the table's figures. */
  readonly detail: string;
}

/** Rounds to the cent, half up, robust to binary fractions (16.425 -> 16.43). */
export const cents = (usd: number): number => Math.round(Math.round(usd * 1e6) / 1e4) / 100;

/** A price as the detail shows it: "$0.0225". */
export const shown = (p: Price): string => `$${p.usd}`;

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Collects the lines, the unpriced items and the notes of one estimate. */
export class LineSink {
  readonly lines: CostLine[] = [];
  readonly unpriced: string[] = [];
  readonly notes: string[] = [];

  add(component: CostComponent, item: string, usd: number, detail: string): void {
    this.lines.push({ component, item, monthly: cents(usd), detail });
  }

  /** The sum of the rounded lines, so the printed lines add up to the printed total. */
  total(): number {
    return Math.round(this.lines.reduce((sum, l) => sum + Math.round(l.monthly * 100), 0)) / 100;
  }
}
