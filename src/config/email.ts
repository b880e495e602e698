import { z } from 'zod';
import { DMARC_POLICIES, SES_EVENT_DESTINATIONS, SES_EVENT_TYPES } from '../definitions/ses';
import { domainName, oneOf } from './common';

const emailAddress = z
  .string()
  .regex(/^[A-Za-z0-9._%+-]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be an email address such as "dmarc@example.com"');

/**
 * `email`: sending with SES v2 from your domain (issue 6). Absent: no email resources. `email: {}` sends as
 * `no-reply@<domain>` with DKIM, a `mail.<domain>` MAIL FROM, a DMARC record (p=none) and bounce/complaint
 * events to an SNS topic. The DNS records go through `dns` like every other record. See docs/email.md.
 */
export const emailSchema = z
  .object({
    /** The sending domain (the SES identity); defaults to the site's `domain`. A subdomain such as "mail.example.com" works too. */
    domain: domainName.optional(),
    /** The part before "@" of EMAIL_FROM. */
    from: z
      .string()
      .regex(/^[A-Za-z0-9._%+-]{1,64}$/, 'must be the part of an address before "@", such as "no-reply"')
      .default('no-reply'),
    /** The custom MAIL FROM subdomain label: bounces go to <label>.<domain> (an MX and an SPF record). */
    mailFromSubdomain: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label such as "mail" or "bounce"')
      .default('mail'),
    /** The DMARC policy record published for the domain. */
    dmarc: z
      .object({
        /** p=: start with "none", tighten once the aggregate reports are clean. */
        policy: oneOf(DMARC_POLICIES).default('none'),
        /** rua=mailto: where aggregate reports go. */
        reportTo: emailAddress.optional(),
        /** Publish the _dmarc record; turn off when the domain already has one (a name holds one DMARC record). */
        createRecord: z.boolean().default(true),
      })
      .strict()
      .default({ policy: 'none', createRecord: true }),
    /** Send SES delivery events (bounces, complaints, ...) to an SNS topic. */
    events: z
      .object({
        /** Bounces and complaints go to an SNS topic, the default EventBridge bus, or nowhere. */
        destination: oneOf(SES_EVENT_DESTINATIONS).default('sns'),
        /** Which SES event types are sent. */
        types: z
          .array(oneOf(SES_EVENT_TYPES))
          .min(1, 'must list at least one event type, e.g. ["BOUNCE", "COMPLAINT"]')
          .default(['BOUNCE', 'COMPLAINT']),
      })
      .strict()
      .default({ destination: 'sns', types: ['BOUNCE', 'COMPLAINT'] }),
    /** Allow sending from EMAIL_FROM only (IAM condition ses:FromAddress), not any address of the domain; false lets the app send as any address of the domain. */
    restrictFromAddress: z.boolean().default(true),
    /**
     * SES sandbox only: addresses you may send to before production access is granted. Each becomes an
     * email identity (SES mails it a verification link) and the send permission covers it.
     */
    sandboxRecipients: z.array(emailAddress).default([]),
  })
  .strict()
  .optional();

export type EmailConfig = z.output<typeof emailSchema>;
