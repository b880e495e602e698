/**
 * Lambda's package and configuration quotas, checked on the synthesized stack (one line per finding). All figures:
 * AWS Lambda Developer Guide, "Lambda quotas" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
 * "Function configuration, deployment, and execution" — none of these is adjustable.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { StackJson } from './index';

/** "Deployment package (.zip file archive) size: 50 MB (zipped, when uploaded through the Lambda API or SDKs)". */
export const DIRECT_UPLOAD_ZIP_BYTES = 50 * 1024 * 1024;
/** "250 MB: The maximum size of the contents of a deployment package, including layers and custom runtimes (unzipped)". */
export const UNZIPPED_PACKAGE_BYTES = 250 * 1024 * 1024;
/** "Function layers: five layers". */
export const LAYERS_PER_FUNCTION = 5;
/** "Function environment variables: 4 KB, for all environment variables associated with the function, in aggregate". */
export const ENVIRONMENT_BYTES = 4 * 1024;

const GUIDE = 'AWS Lambda Developer Guide, "Lambda quotas"';

type Body = Record<string, unknown>;
const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

/**
 * The sum of the uncompressed sizes a zip's central directory declares (what Lambda counts as unzipped), or
 * undefined when the file is not a readable zip. A Zip64 size (0xFFFFFFFF) counts as 4 GiB: over any limit here.
 */
export function unzippedBytes(zipPath: string): number | undefined {
  const fd = fs.openSync(zipPath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff); // end-of-central-directory record + the longest comment
    const tail = Buffer.alloc(tailLength);
    fs.readSync(fd, tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return undefined;
    const entries = tail.readUInt16LE(eocd + 10);
    const directory = Buffer.alloc(tail.readUInt32LE(eocd + 12));
    fs.readSync(fd, directory, 0, directory.length, tail.readUInt32LE(eocd + 16));
    let total = 0;
    for (let i = 0, at = 0; i < entries; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) return undefined;
      total += directory.readUInt32LE(at + 24);
      at += 46 + directory.readUInt16LE(at + 28) + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    return total;
  } finally {
    fs.closeSync(fd);
  }
}

/** The local zip behind a function or layer: its `filename`, or the `source` of the aws_s3_object its s3_key names. */
function packageFile(stack: StackJson, body: Body, stackDir: string): { file: string; direct: boolean } | undefined {
  if (typeof body.filename === 'string' && !isToken(body.filename)) return { file: path.resolve(stackDir, body.filename), direct: true };
  const object = typeof body.s3_key === 'string' ? /^\$\{aws_s3_object\.([A-Za-z0-9_-]+)\.key\}$/.exec(body.s3_key) : null;
  const source = object ? stack.resource?.aws_s3_object?.[object[1]]?.source : undefined;
  return typeof source === 'string' && !isToken(source) ? { file: path.resolve(stackDir, source), direct: false } : undefined;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function directUploadFinding(address: string, file: string): string | undefined {
  const bytes = fs.statSync(file).size;
  if (bytes <= DIRECT_UPLOAD_ZIP_BYTES) return undefined;
  return `${address}: the zip is ${mb(bytes)}, over Lambda's ${mb(DIRECT_UPLOAD_ZIP_BYTES)} direct-upload quota (${GUIDE}); upload it through S3: set lambda.codeBucket in the config to a bucket in the stack's Region (BunLambda codeBucket in a construct tree)`;
}

/** Layer versions of the stack by resource name: their unzipped size (when the zip is local) and whether direct. */
function layerSizes(stack: StackJson, stackDir: string, out: string[]): Map<string, number | undefined> {
  const sizes = new Map<string, number | undefined>();
  for (const [name, body] of Object.entries(stack.resource?.aws_lambda_layer_version ?? {})) {
    const pkg = packageFile(stack, body, stackDir);
    if (pkg && fs.existsSync(pkg.file)) {
      const finding = pkg.direct ? directUploadFinding(`aws_lambda_layer_version.${name}`, pkg.file) : undefined;
      if (finding) out.push(finding);
      sizes.set(name, unzippedBytes(pkg.file));
    } else sizes.set(name, undefined);
  }
  return sizes;
}

function environmentBytes(body: Body): number {
  const env = body.environment as { variables?: Record<string, unknown> } | undefined;
  // Tokens resolve at apply time: only literal values are counted (a lower bound).
  return Object.entries(env?.variables ?? {}).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + (typeof value === 'string' && !isToken(value) ? Buffer.byteLength(value) : 0),
    0,
  );
}

function functionFindings(stack: StackJson, stackDir: string, name: string, body: Body, layers: Map<string, number | undefined>): string[] {
  const out: string[] = [];
  const address = `aws_lambda_function.${name}`;
  const refs = Array.isArray(body.layers) ? (body.layers as unknown[]) : [];
  if (refs.length > LAYERS_PER_FUNCTION)
    out.push(`${address}: ${refs.length} layers, over Lambda's ${LAYERS_PER_FUNCTION} per function (${GUIDE}); merge layers`);
  const pkg = packageFile(stack, body, stackDir);
  if (pkg && fs.existsSync(pkg.file)) {
    const direct = pkg.direct ? directUploadFinding(address, pkg.file) : undefined;
    if (direct) out.push(direct);
    let unzipped = unzippedBytes(pkg.file) ?? 0;
    for (const ref of refs) {
      const layer = typeof ref === 'string' ? /^\$\{aws_lambda_layer_version\.([A-Za-z0-9_-]+)\.arn\}$/.exec(ref) : null;
      unzipped += (layer && layers.get(layer[1])) || 0;
    }
    if (unzipped > UNZIPPED_PACKAGE_BYTES)
      out.push(
        `${address}: ${mb(unzipped)} unzipped with its layers, over Lambda's ${mb(UNZIPPED_PACKAGE_BYTES)} (${GUIDE}); shrink the package or use a container image`,
      );
  }
  const env = environmentBytes(body);
  if (env > ENVIRONMENT_BYTES)
    out.push(
      `${address}: environment variables total ${env} bytes, over Lambda's ${ENVIRONMENT_BYTES} (${GUIDE}); move large values to secrets`,
    );
  return out;
}

/** Every Lambda finding; `stackDir` is where the stack's relative asset paths (filename, source) resolve. */
export function lambdaFindings(stack: StackJson, stackDir: string): string[] {
  const out: string[] = [];
  const layers = layerSizes(stack, stackDir, out);
  for (const [name, body] of Object.entries(stack.resource?.aws_lambda_function ?? {})) {
    out.push(...functionFindings(stack, stackDir, name, body, layers));
  }
  return out;
}
