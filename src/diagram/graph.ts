/**
 * The architecture graph of a synthesized stack (cdk.tf.json): nodes are the resources the catalog shows, edges
 * come from the references between resources (`${aws_x.name.attr}` expressions and depends_on). Glue resources
 * (roles, policies, security group rules, listeners, ...) are attributed to the node built in the same construct,
 * so "the service's role policy reads the queue" becomes an edge service -> queue.
 */
import { NODE_KINDS, concrete, type Attributes, type Group } from './catalog';

export interface DiagramNode {
  /** Mermaid-safe id. */
  readonly id: string;
  readonly group: Group;
  readonly label: string;
  readonly rank: number;
  /** The Terraform addresses it stands for. */
  readonly addresses: readonly string[];
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
}

export interface DiagramGraph {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** The id of the entry node ("Viewers"), when something faces them. */
  readonly entry?: string;
  /** Resources the graph read, by type. */
  readonly resourceCount: number;
}

/** The part of cdk.tf.json the graph reads. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Attributes>>;
  /** `locals`: references through them count (a resource built from `local.x` depends on what x references). */
  readonly locals?: Record<string, unknown>;
  readonly import?: readonly { readonly to?: string; readonly id?: string }[];
}

interface Entry {
  readonly address: string;
  readonly type: string;
  readonly attrs: Attributes;
  readonly path: string[];
  readonly refs: Set<string>;
}

const REFERENCE = /(?<![\w.])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const LOCAL = /(?<![\w.])local\.([A-Za-z_][A-Za-z0-9_-]*)/g;

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== '//') collectStrings(v, out);
}

/** Resources everything references (the VPC and its plumbing): never glue, or every node would link to NAT. */
const NETWORK_PLUMBING = new Set([
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_internet_gateway',
  'aws_default_security_group',
  'aws_eip',
  'aws_vpc_endpoint',
  'aws_network_acl',
  'aws_flow_log',
]);

const safeId = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');

function instances(attrs: Attributes): number {
  return typeof attrs.count === 'number' ? attrs.count : 1;
}

function sharedPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Builds the graph from a parsed cdk.tf.json. */
export function buildGraph(stack: SynthesizedStack): DiagramGraph {
  const entries = new Map<string, Entry>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, attrs] of Object.entries(byName)) {
      const meta = (attrs['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
      entries.set(`${type}.${name}`, {
        address: `${type}.${name}`,
        type,
        attrs,
        path: (meta ?? `${type}/${name}`).split('/'),
        refs: new Set(),
      });
    }
  }
  // References of a value: resource addresses named directly or through locals (transitively).
  const localRefs = new Map<string, Set<string>>();
  const refsOf = (value: unknown, seen: Set<string> = new Set()): Set<string> => {
    const out = new Set<string>();
    const strings: string[] = [];
    collectStrings(value, strings);
    for (const s of strings) {
      for (const m of s.matchAll(REFERENCE)) if (entries.has(`${m[1]}.${m[2]}`)) out.add(`${m[1]}.${m[2]}`);
      for (const m of s.matchAll(LOCAL)) {
        const name = m[1];
        if (seen.has(name) || !(name in (stack.locals ?? {}))) continue;
        if (!localRefs.has(name)) localRefs.set(name, refsOf(stack.locals?.[name], new Set([...seen, name])));
        for (const r of localRefs.get(name)!) out.add(r);
      }
    }
    return out;
  };
  for (const e of entries.values()) for (const target of refsOf(e.attrs)) if (target !== e.address) e.refs.add(target);

  // ---- nodes: one per shown resource, or one per collapsed type ------------------------------------------
  const nodeOf = new Map<string, string>();
  const nodes = new Map<string, DiagramNode>();
  const imported = new Set((stack.import ?? []).map((i) => i.to));
  for (const e of entries.values()) {
    const kind = NODE_KINDS[e.type];
    if (!kind) continue;
    const id = kind.collapse ? safeId(e.type) : safeId(e.address);
    nodeOf.set(e.address, id);
    const existing = nodes.get(id);
    const addresses = [...(existing?.addresses ?? []), e.address];
    const count = addresses.reduce((n, a) => n + instances(entries.get(a)!.attrs), 0);
    let label = kind.label(e.attrs, count);
    if (e.type === 'aws_instance' && JSON.stringify(e.attrs.tags ?? {}).includes('nat'))
      label = label.replace('EC2 instance', 'NAT instance');
    if (imported.has(e.address)) label += '<br/>(existing, adopted)';
    nodes.set(id, { id, group: kind.group, rank: kind.rank, label, addresses });
  }

  // ---- glue: attribute every other resource to the shown resource with the longest shared construct path --
  const shown = [...entries.values()].filter((e) => nodeOf.has(e.address));
  for (const e of entries.values()) {
    if (nodeOf.has(e.address) || NETWORK_PLUMBING.has(e.type)) continue;
    let best: Entry | undefined;
    let bestLen = 2; // at least stack/construct/... in common (a component), never just the stack
    for (const s of shown) {
      const len = sharedPrefix(e.path, s.path);
      // On a tie, the component's main resource (a database, not its collapsed secret) takes the glue.
      const better =
        len > bestLen || (len === bestLen && best !== undefined && NODE_KINDS[best.type]?.collapse && !NODE_KINDS[s.type]?.collapse);
      if (better) {
        best = s;
        bestLen = len;
      }
    }
    if (best) nodeOf.set(e.address, nodeOf.get(best.address)!);
  }

  // ---- edges: references between different nodes, drawn in request-flow order ------------------------------
  const edges = new Map<string, DiagramEdge>();
  for (const e of entries.values()) {
    const from = nodeOf.get(e.address);
    if (!from) continue;
    for (const ref of e.refs) {
      const to = nodeOf.get(ref);
      if (!to || to === from) continue;
      const [a, b] = [nodes.get(from)!, nodes.get(to)!];
      const [x, y] = a.rank <= b.rank ? [a, b] : [b, a];
      const key = `${x.id}->${y.id}`;
      if (!edges.has(key) && !edges.has(`${y.id}->${x.id}`)) edges.set(key, { from: x.id, to: y.id });
    }
  }

  // ---- the entry: viewers reach CloudFront, or an internet-facing ALB ------------------------------------------
  const byType = (type: string) => [...nodes.values()].filter((n) => n.addresses.some((a) => a.startsWith(`${type}.`)));
  const facing = byType('aws_cloudfront_distribution');
  const publicLbs = byType('aws_lb').filter((n) => n.addresses.some((a) => entries.get(a)!.attrs.internal !== true));
  const targets = facing.length > 0 ? facing : publicLbs;
  let entry: string | undefined;
  if (targets.length > 0) {
    entry = 'viewers';
    for (const t of targets) edges.set(`viewers->${t.id}`, { from: entry, to: t.id });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], entry, resourceCount: entries.size };
}

export { concrete };
