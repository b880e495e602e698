import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FLAGS, JSON_FLAG, OUTDIR_FLAG, flag, json, synthFromArgs, type Command } from '../command';
import { UserError } from '../errors';
import { heavy } from '../heavy-loader';

export const diagramCommand: Command = {
  name: 'diagram',
  summary: 'a Mermaid flowchart of the synthesized stack',
  usage: 'diagram [--config <file>] [--out <file.md>] [--direction LR|TB] [--json]',
  description:
    'Synthesizes the stack and draws what it contains: the resources present and the references between them,\n' +
    'grouped as Edge, DNS, Load balancing, Compute, Async, Data, Email. Prints Mermaid; --out writes a Markdown file\n' +
    '(a ```mermaid block renders on GitHub); --json prints the graph.',
  flags: [
    ...CONFIG_FLAGS,
    OUTDIR_FLAG,
    { name: 'out', alias: 'o', type: 'string', value: '<file>', description: 'write Markdown (or raw Mermaid for .mmd) to this file' },
    { name: 'direction', type: 'string', value: '<dir>', choices: ['LR', 'TB'], description: 'flow direction (default: LR)' },
    JSON_FLAG,
  ],
  async run(args, ctx) {
    const { result } = synthFromArgs(args, ctx, { pendingImage: true });
    const { graphFromStackDir, toMarkdown, toMermaid } = heavy().diagram();
    const graph = graphFromStackDir(result.stackDir);
    if (args.flags.json) {
      ctx.io.out(json({ stack: result.stackName, ...graph }));
      return 0;
    }
    const mermaid = toMermaid(graph, { direction: flag.string(args, 'direction') as 'LR' | 'TB' | undefined });
    const out = flag.string(args, 'out');
    if (!out) {
      ctx.io.out(mermaid.trimEnd());
      return 0;
    }
    const file = path.resolve(ctx.io.cwd, out);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, file.endsWith('.mmd') ? mermaid : toMarkdown(mermaid, `Architecture: ${result.stackName}`));
    } catch (err) {
      throw new UserError(`could not write ${out}: ${(err as Error).message}`);
    }
    ctx.io.out(`wrote ${out}: ${graph.nodes.length} components, ${graph.edges.length} connections (from ${graph.resourceCount} resources)`);
    return 0;
  },
};
