import { describe, expect, it } from 'vitest';
import { keyWords, randomToken, shannon } from '../../../src/validate/policy/credentials.js';

const RANDOM_BASE64 = 'fw3qLmHETJcA503M43jJ/6RgeFF3q/p6RSN2ps+l'; // 30 random bytes, base64: 40 characters

describe('credentials in text', () => {
  it('splits key names into whole words and measures entropy in bits per character', () => {
    expect(keyWords('PAYMENT_API_KEY_FILE')).toEqual(['payment', 'api', 'key', 'file']);
    expect(keyWords('dbPassword')).toEqual(['db', 'password']);
    expect(keyWords('X-APIKey2')).toEqual(['x', 'api', 'key']);
    expect(shannon('aaaa')).toBe(0);
    expect(shannon('abcd')).toBe(2);
    expect(randomToken(RANDOM_BASE64, { entropyThreshold: 4, entropyMinLength: 20 })?.text).toBe(RANDOM_BASE64);
    expect(randomToken('an ordinary sentence about the offline queue of the store', { entropyThreshold: 4, entropyMinLength: 20 })).toBeUndefined();
  });
});
