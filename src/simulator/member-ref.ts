import type { SimMemberType } from './tenant.js';

/**
 * A group member reference packed into one number: `index * 4 + kind`. Arrays of these keep 750k memberships
 * at a few megabytes instead of 750k objects.
 */
const KINDS: readonly SimMemberType[] = ['PERSON', 'GROUP', 'DEVICE', 'DYNAMIC_TEAM'];

export const encodeMemberRef = (type: SimMemberType, index: number): number =>
  index * 4 + KINDS.indexOf(type);

export const memberRefType = (ref: number): SimMemberType => KINDS[ref % 4] as SimMemberType;

export const memberRefIndex = (ref: number): number => Math.floor(ref / 4);
