/**
 * `dist/app.js`, what `npm run synth`, `cdktn synth` and `cdktf synth` run: loads the bundled app
 * (`dist/app.bundle.js`, main.ts bundled by scripts/bundle.mjs) through V8's code cache (src/code-cache.ts).
 */
import * as path from 'path';
import { loadWithCodeCache } from './code-cache';

loadWithCodeCache(path.join(__dirname, 'app.bundle.js'), module);
