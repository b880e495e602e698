import * as path from 'path';

/** The repository root (this file is test/e2e/lib/paths.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where every scenario gets its work dir (`<repo>/.e2e-work/<name>/`); git-ignored. */
export const E2E_WORK_ROOT = path.join(REPO_ROOT, '.e2e-work');

/** The Python launcher that patches moto's gaps and serves it on 127.0.0.1. */
export const MOTO_SERVE_PY = path.join(REPO_ROOT, 'test', 'e2e', 'moto', 'serve.py');

/** The offline provider mirror (override with E2E_TF_PLUGIN_DIR). */
export const TF_PLUGIN_DIR = process.env.E2E_TF_PLUGIN_DIR ?? '/opt/tf-plugins';

/** The Terraform binary (override with E2E_TERRAFORM). */
export const TERRAFORM_BIN = process.env.E2E_TERRAFORM ?? 'terraform';

/** The Python that imports moto (override with E2E_PYTHON). */
export const PYTHON_BIN = process.env.E2E_PYTHON ?? 'python3';
