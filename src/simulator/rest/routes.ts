// The REST areas beyond init/status/cancel/commit, installed under /api in this order.
import type { RouteInstaller } from '../http-app.js';
import { authorizationRoutes } from './authorization.js';
import { listRoutes } from './list.js';
import { payRoutes } from './pay.js';
import { refundRoutes } from './refund.js';
import { subscriptionRoutes } from './subscription.js';
import { updateRoutes } from './update.js';

// authorization before update: "POST /transactions/authorize" must not be read as "/transactions/:n/…".
export const restRoutes: readonly RouteInstaller[] = [listRoutes, refundRoutes, payRoutes, authorizationRoutes, updateRoutes, subscriptionRoutes];
