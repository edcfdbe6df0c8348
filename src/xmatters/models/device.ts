import { isObject, optString } from './fields.js';

/**
 * An EMAIL device of a person (docs/xmatters-api.md, "Endpoints used"): the only device data the connector
 * keeps.
 */
export interface EmailDevice {
  address: string;
  /** The person's delivery order; lower is tried first. Absent when xMatters does not send it. */
  sequence?: number;
}

/**
 * The EMAIL devices among a person's embedded devices, in the order served. Phones, pagers, push and
 * every other kind are ignored on purpose: only email addresses help match accounts to identities.
 */
export function emailDevices(items: readonly unknown[]): EmailDevice[] {
  const out: EmailDevice[] = [];
  for (const d of items) {
    if (!isObject(d) || d.deviceType !== 'EMAIL') continue;
    const address = optString(d, 'emailAddress')?.trim();
    if (address === undefined || address === '') continue;
    const device: EmailDevice = { address };
    if (typeof d.sequence === 'number' && Number.isFinite(d.sequence)) device.sequence = d.sequence;
    out.push(device);
  }
  return out;
}
