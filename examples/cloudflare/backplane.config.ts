/**
 * The API at api.example.com, with the domain's DNS at Cloudflare: Backplane creates the API record, the
 * certificate's validation records and the SES records (DKIM, MAIL FROM, DMARC) in the Cloudflare zone through
 * the cloudflare/cloudflare provider, and never a Route53 resource. The API token comes from the environment
 * (CLOUDFLARE_API_TOKEN), never from this file. See README.md next to this file.
 */
import { defineConfig } from '../../src/config';

export default defineConfig({
  name: 'shop',
  stage: 'dev',
  region: 'eu-west-1',
  domain: 'example.com',
  network: { nat: 'none' },
  service: {
    imageTag: 'v1',
    migrateCommand: ['bun', 'run', 'src/migrate.ts'],
  },
  // api.example.com -> the load balancer directly (nothing existing is touched).
  edge: { mode: 'subdomain', subdomain: 'api' },
  dns: {
    provider: 'cloudflare',
    // Dashboard -> your domain -> Overview -> "Zone ID" (32 hex characters).
    zoneId: '023e105f4ecef8ad9ca31a8372d0c353',
    apiTokenEnv: 'CLOUDFLARE_API_TOKEN',
  },
  email: {
    from: 'hello',
    dmarc: { policy: 'none', reportTo: 'dmarc-reports@example.com' },
    events: { destination: 'sns', types: ['BOUNCE', 'COMPLAINT'] },
  },
});
