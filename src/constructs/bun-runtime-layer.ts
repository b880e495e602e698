/**
 * BunRuntimeLayer: the Bun runtime as a Lambda layer (`bin/bun`, which Lambda extracts to /opt/bin/bun), one per
 * architecture and stack, shared by every BunLambda of the stack (`BunRuntimeLayer.of`). Its layer version changes
 * only with the bun version: a code change of a handler uploads the handler package alone (src/lambda/package.ts).
 *
 * The zip (~49 MiB for linux-aarch64) fits Lambda's 50 MiB direct-upload quota; with `codeBucket` it goes through S3
 * like the functions' code. src/limits/lambda.ts checks both quotas, with the layer counted in each function's
 * 250 MiB unzipped total. Layer versions take no tags (PublishLayerVersion has none).
 */
import { LambdaLayerVersion } from '@cdktn/provider-aws/lib/lambda-layer-version';
import { S3Object } from '@cdktn/provider-aws/lib/s3-object';
import { AssetType, Fn, TerraformAsset, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import * as path from 'path';
import { packageBunRuntime, type BunLambdaArch } from '../lambda/package';
import { zipEntries } from '../lambda/zip';

export interface BunRuntimeLayerProps {
  readonly architecture: 'arm64' | 'x86_64';
  /** Where the runtime and its zip are kept (the functions' package cache). */
  readonly outDir: string;
  /** Upload through this S3 bucket instead of directly. @default direct upload */
  readonly codeBucket?: string;
  readonly tags?: Record<string, string>;
}

/** A layer name from the stack's id: letters, digits, - and _ (PublishLayerVersion LayerName), at most 140 characters. */
const layerName = (stackId: string, arch: string) => `${stackId.replace(/[^A-Za-z0-9_-]/g, '-')}-bun-${arch}`.slice(-140);

export class BunRuntimeLayer extends Construct {
  /** The stack's layer for `architecture`, created by the first function that needs it. */
  static of(scope: Construct, props: BunRuntimeLayerProps): BunRuntimeLayer {
    const stack = TerraformStack.of(scope);
    const id = `bun_runtime_${props.architecture}`;
    return (stack.node.tryFindChild(id) as BunRuntimeLayer | undefined) ?? new BunRuntimeLayer(stack, id, props);
  }

  readonly layer: LambdaLayerVersion;
  readonly asset: TerraformAsset;
  /** The directory the layer zip holds (`bin/bun`). */
  readonly runtimeDir: string;
  readonly bunVersion: string;
  /** The layer version's ARN, for a function's `layers`. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: BunRuntimeLayerProps) {
    super(scope, id);
    const arch: BunLambdaArch = props.architecture === 'arm64' ? 'arm64' : 'x64';
    const { dir, version } = packageBunRuntime({ outDir: props.outDir, arch });
    this.runtimeDir = dir;
    this.bunVersion = version;
    const name = path.basename(dir);
    const zip = zipEntries([['bin/bun', path.join(dir, 'bin', 'bun')]], path.join(props.outDir, `${name}.zip`));
    this.asset = zip
      ? new TerraformAsset(this, 'code', { path: zip, type: AssetType.FILE, assetHash: name })
      : new TerraformAsset(this, 'code', { path: dir, type: AssetType.ARCHIVE, assetHash: name });
    const layer = layerName(TerraformStack.of(this).node.id, props.architecture);
    const code = props.codeBucket
      ? this.s3Code(props.codeBucket, `bun-lambda/${layer}/${name}.zip`, props.tags)
      : { filename: this.asset.path };
    this.layer = new LambdaLayerVersion(this, 'layer', {
      layerName: layer,
      description: `Bun ${version} for provided.al2023 (${props.architecture}), /opt/bin/bun`,
      compatibleRuntimes: ['provided.al2023'],
      compatibleArchitectures: [props.architecture],
      ...code,
      sourceCodeHash: Fn.filebase64sha256(this.asset.path),
    });
    this.arn = this.layer.arn;
  }

  private s3Code(bucket: string, key: string, tags?: Record<string, string>): { s3Bucket: string; s3Key: string } {
    const object = new S3Object(this, 'code_object', {
      bucket,
      key,
      source: this.asset.path,
      sourceHash: Fn.filemd5(this.asset.path),
      tags,
    });
    return { s3Bucket: object.bucket, s3Key: object.key };
  }
}
