/**
 * Fargate task sizes: the valid cpu/memory pairs (Linux), from "Task CPU and memory" in the Amazon ECS
 * developer guide (docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
import type { CrossCheck } from '../modules/inputs';

const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};
export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

function describeMemory(cpu: number): string {
  const m = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
  return m.length <= 3 ? m.join(', ') : `${m[0]} to ${m[m.length - 1]} in steps of ${m[1] - m[0]}`;
}

/** The cross-field rule on `memory` given `cpu`, rendered for both TypeScript and Terraform. */
export function fargatePairCheck(cpuInput = 'cpu', memoryInput = 'memory'): CrossCheck {
  const table = Object.entries(FARGATE_MEMORY_BY_CPU)
    .map(([cpu, mems]) => `"${cpu}" = [${mems.join(', ')}]`)
    .join(', ');
  return {
    on: memoryInput,
    involves: [cpuInput, memoryInput],
    test: (p) => (FARGATE_MEMORY_BY_CPU[p[cpuInput] as number] ?? []).includes(p[memoryInput] as number),
    hcl: `contains(lookup({ ${table} }, tostring(var.${cpuInput}), []), var.${memoryInput})`,
    message: (p) =>
      `memory = ${String(p[memoryInput])} is not valid with cpu = ${String(p[cpuInput])} on Fargate; with cpu ${String(p[cpuInput])} use memory ${describeMemory(p[cpuInput] as number)}`,
    hclMessage: `memory must be a valid Fargate size for the given cpu: 256 -> 512, 1024, 2048; 512 -> 1024..4096; 1024 -> 2048..8192; 2048 -> 4096..16384 (steps of 1024); 4096 -> 8192..30720; 8192 -> 16384..61440 (steps of 4096); 16384 -> 32768..122880 (steps of 8192).`,
  };
}
