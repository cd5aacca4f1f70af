// The simulator's built-in demo merchant: credentials `npm start` uses when none are configured.
// Shapes follow reference §2.4 (long lowercase alphanumeric ids); values are public on purpose.

export const DEMO_DEVICE_ID = 'simdemo0device0000000000000000000000000000000000000000000000000001';
export const DEMO_API_KEY = 'simdemo0locationkey00000000000000000000000001';
export const DEMO_MERCHANT_API_KEY = 'simdemo0merchantkey00000000000000000000000001';
export const DEMO_BRANCH_NUMBER = '1';
export const DEMO_HMAC_SECRET = 'simulator-hmac-secret';

export const DEMO_CREDENTIALS = Object.freeze({ deviceId: DEMO_DEVICE_ID });
