// The operation label stays bounded and identifier-free: pass-through paths keep SensePass's words, lose their ids.
import { describe, expect, it } from 'vitest';
import { operationLabel } from '../../src/admin/operation-label.js';

describe('operationLabel', () => {
  it('keeps contract names (SOAP operations, XML roots) as they are', () => {
    expect(operationLabel('Sale')).toBe('Sale');
    expect(operationLabel('PaymentRequest')).toBe('PaymentRequest');
  });

  it('replaces transaction numbers, device ids and subscription ids in pass-through paths with {id}', () => {
    expect(operationLabel('POST /transactions/init')).toBe('POST /transactions/init');
    expect(operationLabel('GET /transactions/250b859e1fb5b162d476f67dcc9e')).toBe('GET /transactions/{id}');
    expect(operationLabel('POST /transactions/cancel/9876543')).toBe('POST /transactions/cancel/{id}');
    expect(operationLabel('POST /transactions/cancelByDeviceId/DEVICE%20SECRET')).toBe('POST /transactions/cancelByDeviceId/{id}');
    expect(operationLabel('PATCH /subscription/abcDEF')).toBe('PATCH /subscription/{id}');
    expect(operationLabel('POST /transactions/123/readyForPayment')).toBe('POST /transactions/{id}/readyForPayment');
    expect(operationLabel('GET /a/b/c/d/e/f')).toBe('GET /{id}/{id}/{id}/{id}/…');
  });
});
