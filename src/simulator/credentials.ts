// Who is calling: SensePass credentials (reference §3) resolved to a merchant, branch and device.
import {
  DEMO_API_KEY, DEMO_BRANCH_NUMBER, DEMO_DEVICE_ID, DEMO_MERCHANT, DEMO_MERCHANT_API_KEY, DEMO_POS_NAME,
  type MerchantProfile,
} from './demo-merchant.js';
import { simError } from './sim-errors.js';
import type { Random } from './random.js';

export interface Branch {
  readonly merchant: MerchantProfile;
  readonly branchNumber: string;
  readonly name: string;
}

export interface Identity {
  readonly kind: 'device' | 'locationKey' | 'merchantKey';
  readonly branch: Branch;
  readonly deviceId?: string;
  /** `pos` in entities: the register name, or the branch name for e-commerce keys. */
  readonly posName: string;
  /** A merchant key without a branch (subscription headers) sees every branch of its merchant. */
  readonly merchantWide: boolean;
}

/** Credential fields as a caller sent them (body, query or headers). */
export interface CredentialFields {
  deviceId?: unknown;
  apiKey?: unknown;
  merchantApiKey?: unknown;
  branchApiKey?: unknown;
  branchNumber?: unknown;
}

export interface RegisterInput {
  deviceId?: string | true;
  apiKey?: string | true;
  merchantApiKey?: string | true;
  branchNumber?: string;
  posName?: string;
  businessName?: string;
}

export interface Registered {
  deviceId?: string;
  apiKey?: string;
  merchantApiKey?: string;
  branchNumber: string;
  businessId: string;
}

export class CredentialRegistry {
  private readonly devices = new Map<string, { branch: Branch; posName: string }>();
  private readonly locationKeys = new Map<string, Branch>();
  private readonly merchantKeys = new Map<string, MerchantProfile>();
  private readonly branches = new Map<string, Branch>();

  constructor(private readonly random: Random) {
    this.reset();
  }

  /** Back to the demo merchant alone. */
  reset(): void {
    this.devices.clear();
    this.locationKeys.clear();
    this.merchantKeys.clear();
    this.branches.clear();
    const branch = this.branchOf(DEMO_MERCHANT, DEMO_BRANCH_NUMBER);
    this.devices.set(DEMO_DEVICE_ID, { branch, posName: DEMO_POS_NAME });
    this.locationKeys.set(DEMO_API_KEY, branch);
    this.merchantKeys.set(DEMO_MERCHANT_API_KEY, DEMO_MERCHANT);
  }

  register(input: RegisterInput): Registered {
    const merchant: MerchantProfile =
      input.businessName === undefined
        ? DEMO_MERCHANT
        : { ...DEMO_MERCHANT, businessName: input.businessName, businessId: this.random.digits(15) };
    const branchNumber = input.branchNumber ?? DEMO_BRANCH_NUMBER;
    const branch = this.branchOf(merchant, branchNumber);
    const out: Registered = { branchNumber, businessId: merchant.businessId };
    const none = input.deviceId === undefined && input.apiKey === undefined && input.merchantApiKey === undefined;
    if (input.deviceId !== undefined || none) {
      const id = typeof input.deviceId === 'string' ? input.deviceId : this.random.alnum(64);
      this.devices.set(id, { branch, posName: input.posName ?? `POS ${this.devices.size + 1}` });
      out.deviceId = id;
    }
    if (input.apiKey !== undefined) {
      const key = typeof input.apiKey === 'string' ? input.apiKey : this.random.alnum(48);
      this.locationKeys.set(key, branch);
      out.apiKey = key;
    }
    if (input.merchantApiKey !== undefined) {
      const key = typeof input.merchantApiKey === 'string' ? input.merchantApiKey : this.random.alnum(48);
      this.merchantKeys.set(key, merchant);
      out.merchantApiKey = key;
    }
    return out;
  }

  /**
   * deviceId, else apiKey (location key, or merchant key + branchNumber), else merchantApiKey (+ branchNumber),
   * else branchApiKey. Field names are accepted on every endpoint; values must be known (else 401).
   */
  authenticate(fields: CredentialFields): Identity {
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const branchNumber = str(fields.branchNumber) ?? (typeof fields.branchNumber === 'number' ? String(fields.branchNumber) : undefined);
    const deviceId = str(fields.deviceId);
    if (deviceId !== undefined) {
      const device = this.devices.get(deviceId);
      if (device === undefined) throw simError('SIM_UNAUTHORIZED');
      return { kind: 'device', branch: device.branch, deviceId, posName: device.posName, merchantWide: false };
    }
    const apiKey = str(fields.apiKey) ?? str(fields.branchApiKey);
    if (apiKey !== undefined) {
      const branch = this.locationKeys.get(apiKey);
      if (branch !== undefined) return { kind: 'locationKey', branch, posName: branch.name, merchantWide: false };
      return this.merchantIdentity(apiKey, branchNumber, false);
    }
    const merchantKey = str(fields.merchantApiKey);
    if (merchantKey !== undefined) return this.merchantIdentity(merchantKey, branchNumber, true);
    throw simError('SIM_UNAUTHORIZED');
  }

  /** The device's branch, for cancelByDeviceId and id_<deviceId> rooms. */
  deviceBranch(deviceId: string): Branch | undefined {
    return this.devices.get(deviceId)?.branch;
  }

  private merchantIdentity(key: string, branchNumber: string | undefined, allowMerchantWide: boolean): Identity {
    const merchant = this.merchantKeys.get(key);
    if (merchant === undefined) throw simError('SIM_UNAUTHORIZED');
    if (branchNumber === undefined) {
      // The deprecated merchant key needs its branch; only the subscription headers may omit it.
      if (!allowMerchantWide) throw simError('SIM_UNAUTHORIZED');
      const branch = this.branchOf(merchant, DEMO_BRANCH_NUMBER);
      return { kind: 'merchantKey', branch, posName: branch.name, merchantWide: true };
    }
    const branch = this.branches.get(`${merchant.businessId}/${branchNumber}`);
    if (branch === undefined) throw simError('SIM_UNAUTHORIZED');
    return { kind: 'merchantKey', branch, posName: branch.name, merchantWide: false };
  }

  private branchOf(merchant: MerchantProfile, branchNumber: string): Branch {
    const key = `${merchant.businessId}/${branchNumber}`;
    let branch = this.branches.get(key);
    if (branch === undefined) {
      branch = { merchant, branchNumber, name: `${merchant.businessName} branch ${branchNumber}` };
      this.branches.set(key, branch);
    }
    return branch;
  }
}

/** Whether an identity may see a transaction of the given branch (others get 404, never a leak). */
export function canSee(identity: Identity, branch: Branch): boolean {
  if (identity.branch.merchant.businessId !== branch.merchant.businessId) return false;
  return identity.merchantWide || identity.branch.branchNumber === branch.branchNumber;
}
