// The simulator's built-in demo merchant: credentials `npm start` uses when none are configured.
// Shapes follow reference §2.4 (long lowercase alphanumeric ids); values are public on purpose.

export const DEMO_DEVICE_ID = 'simdemo0device0000000000000000000000000000000000000000000000000001';
export const DEMO_API_KEY = 'simdemo0locationkey00000000000000000000000001';
export const DEMO_MERCHANT_API_KEY = 'simdemo0merchantkey00000000000000000000000001';
export const DEMO_BRANCH_NUMBER = '1';
export const DEMO_HMAC_SECRET = 'simulator-hmac-secret';

export const DEMO_CREDENTIALS = Object.freeze({ deviceId: DEMO_DEVICE_ID });

/** Merchant-level fields every entity of the demo merchant carries (reference §7.1 examples). */
export interface MerchantProfile {
  readonly businessId: string;
  readonly businessName: string;
  readonly businessOwnerPhone: string;
  readonly businessCountry: string;
  readonly businessCity: string;
  readonly businessState: string;
  readonly businessStreet: string;
  readonly businessAddress: string;
  readonly businessLocaleName: string;
  readonly locale: {
    readonly name: string;
    readonly currency: string;
    readonly timezone: string;
    readonly timezoneNumber: string;
    readonly phoneNumberPrefix: string;
    readonly countryIso: string;
    readonly language: string;
  };
}

export const DEMO_MERCHANT: MerchantProfile = Object.freeze({
  businessId: '339978940107456',
  businessName: 'Simulator Coffee Bar',
  businessOwnerPhone: '3587292',
  businessCountry: 'US',
  businessCity: 'Virginia Beach',
  businessState: 'VA',
  businessStreet: '123 Street',
  businessAddress: '123 Street, Virginia Beach',
  businessLocaleName: 'USA',
  locale: Object.freeze({
    name: 'USA',
    currency: 'USD',
    timezone: 'America/New_York',
    timezoneNumber: '-5',
    phoneNumberPrefix: '1',
    countryIso: 'US',
    language: 'en',
  }),
});

/** The register name of the demo device (`pos` in entities). */
export const DEMO_POS_NAME = 'POS 1';
