import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  centsToDecimal,
  compareDecimal,
  displayDigits,
  divideDecimal,
  formatFiat,
  formatToken,
  fromBaseUnits,
  multiplyDecimal,
  normalizeDecimal,
  numberToDecimal,
  parseAmountInput,
  readAmount,
  startNumberFormat,
  toBaseUnits,
} from '../../src/lib/money.js';
import { nextTask } from '../../src/lib/tasks.js';
import { formatIban, isSepaIban, maskIban, normalizeIban, SEPA_COUNTRIES } from '../../src/lib/iban.js';
import { validateIban } from '../../src/lib/iban-check.js';
import { groupAddress, isCheckedChain, isEvmChain, toChecksumAddress, validateAddress } from '../../src/lib/address.js';
import { CHAIN_IDS, TOKEN_CONTRACTS, paymentRequest } from '../../src/lib/payment-request.js';
import { keccak256 } from '../../src/lib/keccak.js';
import { hasReached, isForward, isTerminal, kycGateKind, normalizeKyc, normalizeStatus } from '../../src/lib/status.js';
import { isSafeUrl } from '../../src/lib/urls.js';
import type { RampStatus } from '../../src/types.js';
import { jsonBody, decimal } from '../../src/lib/json.js';
import { hmacSha256Hex, sha256Hex, timingSafeEqual } from '../../src/lib/hmac.js';
import { createHash, createHmac } from 'node:crypto';

describe('money', () => {
  it('converts base units with BigInt, exactly', () => {
    assert.equal(fromBaseUnits('20000000000000000000', 18), '20');
    assert.equal(fromBaseUnits('123456789012345678901', 18), '123.456789012345678901');
    assert.equal(fromBaseUnits(5n, 6), '0.000005');
    assert.equal(toBaseUnits('0.1', 18), 100000000000000000n);
    assert.throws(() => toBaseUnits('0.1234567', 6), RangeError);
  });
  it('reads cents', () => {
    assert.equal(centsToDecimal(15050), '150.5');
    assert.equal(centsToDecimal(5), '0.05');
  });
  it('multiplies and divides without floats', () => {
    assert.equal(multiplyDecimal('0.1', '0.2', 2), '0.02');
    assert.equal(multiplyDecimal('100.5', '0.92', 2), '92.46');
    // products that are not exact round down (towards zero), never up: the user is never promised a cent too many
    assert.equal(multiplyDecimal('0.333', '3', 2), '0.99');
    assert.equal(multiplyDecimal('2.675', '1', 2), '2.67');
    assert.equal(multiplyDecimal('19.999', '1', 0), '19');
    assert.equal(divideDecimal('2', '3', 2), '0.66');
    assert.equal(divideDecimal('100', '0.92', 6), '108.695652');
    assert.equal(divideDecimal('98.5', '0.92', 6), '107.065217');
    assert.equal(compareDecimal('20', '19.99'), 1);
    assert.equal(compareDecimal('20.00', '20'), 0);
  });
  it('turns JSON numbers into decimal strings', () => {
    assert.equal(numberToDecimal(148.32), '148.32');
    assert.equal(numberToDecimal(1e-7), '0.0000001');
    assert.equal(numberToDecimal(1e21), '1000000000000000000000');
  });
  it('formats with Intl per locale', () => {
    assert.equal(formatFiat('1234.5', 'EUR', 'en'), '€1,234.50');
    assert.equal(formatFiat('1234.5', 'EUR', 'es').replace(/\s/g, ' '), '1234,50 €');
    // shown rounded down to what the token makes sensible: cents for stablecoins, six decimals otherwise; exact on request
    assert.equal(formatToken('0.123456789', 'ETH', 'en'), '0.123456 ETH');
    assert.equal(formatToken('107.065217', 'USDC', 'en'), '107.06 USDC');
    assert.equal(formatToken('107.069999', 'USDT', 'de'), '107,06 USDT');
    assert.equal(formatToken('0.123456789', 'ETH', 'en', 18), '0.123456789 ETH');
  });
  it('reads amounts typed in the user locale', () => {
    assert.equal(parseAmountInput('1,234.50', 'en'), '1234.5');
    assert.equal(parseAmountInput('1.234,50', 'de'), '1234.5');
    assert.equal(parseAmountInput('12,5', 'es'), '12.5');
    assert.equal(parseAmountInput('1.2.3', 'en'), null);
    assert.equal(parseAmountInput('abc', 'en'), null);
    assert.equal(parseAmountInput('-5', 'en'), null);
  });
  it('never reads a leading 0 and three digits as a thousands group: 0.500 is a half, or refused, never 500', () => {
    assert.equal(parseAmountInput('0.500', 'es'), '0.5');
    assert.equal(parseAmountInput('0.001', 'pt-BR'), '0.001');
    assert.equal(parseAmountInput('0.123', 'de'), '0.123');
    assert.equal(parseAmountInput('0,500', 'en'), null, 'ambiguous in English: refused, not 500');
    assert.equal(parseAmountInput('0,500', 'es'), '0.5');
    // both readings apply (Intl's 1.500 for 1500, and the plain 1.5): the user is asked, nothing is guessed
    assert.deepEqual(readAmount('1.500', 'de'), { problem: 'ambiguous', decimal: ',', group: '.', readings: ['1.5', '1500'] });
    assert.equal(parseAmountInput('1.500', 'de'), null);
    assert.deepEqual((readAmount('1.234', 'es') as { readings: string[] }).readings, ['1.234', '1234'], 'es writes 1234 ungrouped: no silent 1234');
    assert.equal(parseAmountInput('1.500,25', 'de'), '1500.25', 'grouped with decimals: one reading');
    // what Intl writes: Indian grouping, native digits, the Swiss apostrophe, a narrow no-break space
    assert.equal(parseAmountInput('12,34,567.5', 'en-IN'), '1234567.5');
    assert.equal(parseAmountInput('١٢٣٫٥', 'ar-EG'), '123.5');
    assert.equal(parseAmountInput('۱۲۳', 'fa'), '123');
    assert.equal(parseAmountInput('1’234.5', 'de-CH'), '1234.5');
    assert.equal(parseAmountInput('1\u202f234,5', 'fr'), '1234.5');
    assert.equal(parseAmountInput('.5', 'en'), '0.5');
    assert.equal(parseAmountInput('5.', 'en'), '5');
    // characters that only look like digits are not digits
    assert.equal(parseAmountInput('1²3', 'en'), null);
    assert.equal(parseAmountInput('①⓪⓪', 'en'), null);
    assert.equal(parseAmountInput('１２', 'en'), '12', 'full-width digits are digits');
    assert.equal(parseAmountInput('10.500.000', 'es'), '10500000');
  });
  it('starts ICU for a locale once, yielding to other tasks between its steps, and never throws', async () => {
    const order: string[] = [];
    const started = startNumberFormat('de-CH').then(() => order.push('started'));
    assert.equal(startNumberFormat('de-CH'), startNumberFormat('de-CH'));
    // a task queued after the start runs before the start is done: the steps are separate tasks
    void nextTask().then(() => order.push('other task'));
    await started;
    assert.deepEqual(order, ['other task', 'started']);
    assert.equal(formatFiat('1234.5', 'CHF', 'de-CH'), new Intl.NumberFormat('de-CH', { style: 'currency', currency: 'CHF' }).format(1234.5));
    await startNumberFormat('not a locale!');
  });
  it('writes decimals as exact JSON numbers', () => {
    assert.equal(jsonBody({ a: decimal('0.10000000000000000001'), b: 'x' }), '{"a":0.10000000000000000001,"b":"x"}');
  });
});

describe('money at its edges', () => {
  it('writes a decimal once: leading and trailing zeros go, the value stays; anything else is refused by name', () => {
    for (const [typed, written] of [
      ['0012.3400', '12.34'],
      ['000', '0'],
      ['0.50', '0.5'],
      ['007', '7'],
      ['100', '100'],
      ['10.0', '10'],
    ])
      assert.equal(normalizeDecimal(typed!), written, typed);
    for (const bad of ['1e3', '-1', '1.', '.5', '', ' 1', '1,5'])
      assert.throws(() => normalizeDecimal(bad), { name: 'RangeError', message: `not a decimal: ${bad}` });
    assert.throws(() => toBaseUnits('1.234', 2), { name: 'RangeError', message: 'more than 2 decimals: 1.234' });
    assert.equal(toBaseUnits('007.5', 2), 750n);
    assert.equal(fromBaseUnits(-1500n, 2), '-15');
    assert.equal(fromBaseUnits('-1', 18), '-0.000000000000000001');
  });

  it('compares, divides and refuses a division by zero', () => {
    assert.deepEqual([compareDecimal('1.50', '1.5'), compareDecimal('1.4', '1.39'), compareDecimal('0.001', '0.01')], [0, 1, -1]);
    assert.throws(() => divideDecimal('1', '0.00', 2), { name: 'RangeError', message: 'division by zero' });
  });

  it('turns every JSON number the API may send into its decimal, and refuses what is no amount', () => {
    for (const [number, written] of [
      [0, '0'],
      [150.5, '150.5'],
      [1e-7, '0.0000001'],
      [1.5e-7, '0.00000015'],
      [2.5e-10, '0.00000000025'],
      [1e21, '1000000000000000000000'],
      [1.25e22, '12500000000000000000000'],
    ] as const)
      assert.equal(numberToDecimal(number), written, String(number));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, -1e-7])
      assert.throws(() => numberToDecimal(bad), { name: 'RangeError', message: `not an amount: ${bad}` });
  });

  it('shows cents for stablecoins only, by their exact symbol', () => {
    assert.deepEqual(['USDC', 'USDT', 'EURC', 'DAI', 'PYUSD', 'SDAI', 'USDCX', 'BTC'].map(displayDigits), [2, 2, 2, 2, 2, 6, 6, 6]);
  });

  it('reads what people type: spaces around, any kind of space or apostrophe as the group mark, 64 characters at most', () => {
    const value = (input: string, locale: string) => parseAmountInput(input, locale);
    assert.equal(value(' 12.5 ', 'en'), '12.5');
    assert.equal(value('1\u00a0234,5', 'fr'), '1234.5', 'a no-break space where French writes a narrow one');
    assert.equal(value('1 234,5', 'fr'), '1234.5');
    assert.equal(value('1’234.5', 'de-CH'), '1234.5');
    assert.equal(value("1'234.5", 'de-CH'), '1234.5');
    assert.equal(value('12,34,567.5', 'en-IN'), '1234567.5');
    assert.equal(value('1'.repeat(64), 'en'), '1'.repeat(64));
    const problem = (input: string, locale: string) => {
      const reading = readAmount(input, locale);
      return 'problem' in reading ? reading.problem : reading.value;
    };
    assert.equal(problem('1'.repeat(65), 'en'), 'chars');
    for (const [input, locale] of [
      ['1234,567', 'en'],
      ['1,2345', 'en'],
      ['1.2,3', 'en'],
      ['.', 'en'],
      [',', 'de'],
      ['1,234.5', 'de'],
      ['12,34,567', 'en'],
      ['1 234,5', 'de'],
    ] as const)
      assert.equal(problem(input, locale), 'separators', `${input} in ${locale}`);
  });
});

describe('IBAN', () => {
  it('accepts valid IBANs with spaces and lower case', () => {
    assert.equal(validateIban('ES91 2100 0418 4502 0005 1332'), null);
    assert.equal(validateIban('de89370400440532013000'), null);
    assert.equal(validateIban('GB82 WEST 1234 5698 7654 32'), null);
  });
  it('names what is wrong', () => {
    assert.equal(validateIban(''), 'iban.empty');
    assert.equal(validateIban('ES91 2100 0418 4502 0005 1333'), 'iban.checksum');
    assert.equal(validateIban('ES91 2100 0418 4502 0005 133'), 'iban.length');
    assert.equal(validateIban('QQ91 2100 0418 4502 0005 1332'), 'iban.country');
    assert.equal(validateIban('ES91 2100 0418 4502 0005 13$2'), 'iban.chars');
    // the registry's formats: letters only where the country has them
    assert.equal(validateIban('AT611G04300234573201'), 'iban.format');
    assert.equal(validateIban('IT60X05428111O1000000123456'), 'iban.format');
    // the IBAN's check digits pass, the bank's own (Spain's "DC") do not: 2100 0418 45 0200051332 with DC 46
    assert.equal(validateIban(withCheckDigits('ES0021000418460200051332')), 'iban.national');
    // ISO 13616's check digits run 02–98: 00, 01 and 99 pass mod 97 for some accounts, and are still wrong
    assert.equal(validateIban('DE99000000000000000030'), 'iban.checksum');
    assert.equal(validateIban('DE01000000000000000048'), 'iban.checksum');
    assert.equal(validateIban('DE00000000000000000066'), 'iban.checksum');
    // a registry country we did not know (Honduras, since the registry's release 99)
    assert.equal(validateIban('HN88CABF00000000000250005469'), null);
  });
  it('formats and masks', () => {
    assert.equal(formatIban('es9121000418450200051332'), 'ES91 2100 0418 4502 0005 1332');
    assert.equal(maskIban('ES9121000418450200051332'), '••••1332');
    assert.equal(formatIban('GB82WEST1234569876543'), 'GB82 WEST 1234 5698 7654 3', 'no space at the end');
    assert.equal(formatIban('DE89'), 'DE89');
  });
  it('reads an IBAN pasted from a web page or a PDF: spaces of every kind, dashes and invisible characters go', () => {
    const pasted = '\ufeffes91\u00a02100-0418\u200b4502\u200c0005\u200d1332\u2060\t\n';
    assert.equal(normalizeIban(pasted), 'ES9121000418450200051332');
    assert.equal(validateIban(pasted), null);
    assert.equal(maskIban(pasted), '••••1332');
  });
  it('the SEPA area is the EPC list, by the IBAN’s country', () => {
    const epc = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL'];
    epc.push('PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO', 'AD', 'GI', 'MC', 'SM', 'CH', 'GB', 'VA', 'AL', 'MD', 'ME', 'MK', 'RS');
    assert.deepEqual([...SEPA_COUNTRIES].sort(), epc.sort());
    for (const country of epc) assert.equal(isSepaIban(`${country.toLowerCase()}00 0000`), true, country);
    for (const other of ['BR18', 'US', 'TR33', 'UA21', 'XK05', '']) assert.equal(isSepaIban(other), false, other);
  });
});

/** The IBAN with its check digits computed (ISO 13616: 98 − mod 97 of the rearranged number). */
function withCheckDigits(iban: string): string {
  let remainder = 0;
  for (const char of iban.slice(4) + iban.slice(0, 2) + '00') {
    const code = char.charCodeAt(0);
    for (const digit of code >= 65 ? String(code - 55) : char) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return `${iban.slice(0, 2)}${String(98 - remainder).padStart(2, '0')}${iban.slice(4)}`;
}

describe('addresses', () => {
  it('checks EIP-55 checksums on mixed-case EVM addresses', () => {
    for (const a of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      assert.equal(validateAddress(a, 'ethereum'), null, a);
      assert.equal(toChecksumAddress(a.toLowerCase()), a);
    }
    assert.equal(validateAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'ethereum'), 'address.checksum');
    assert.equal(validateAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', 'polygon'), null, 'all lower case has no checksum');
  });
  it('hashes with Keccak-256', () => {
    assert.equal(keccak256(new Uint8Array()), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    assert.equal(keccak256(new TextEncoder().encode('abc')), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });
  it('checks EVM addresses', () => {
    assert.equal(validateAddress('0xe0cc5cc0e6b6d1b40ba4f6a0e3bb8f3b7c3a9e2a', 'polygon'), null);
    assert.equal(validateAddress('0xe0Cc', 'polygon'), 'address.format');
    assert.equal(validateAddress('', 'bsc'), 'address.empty');
    assert.equal(validateAddress('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'ethereum'), 'address.format');
  });
  it('checks Tron addresses with Base58Check, and refuses a network it cannot check', () => {
    // Tether's TRC-20 contract, and Tron's documented example address
    assert.equal(validateAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'tron'), null);
    assert.equal(validateAddress('TJRyWwFs9wTFGZg3JbrVriFbNfCug5tDeC', 'tron'), null);
    // one character changed: the checksum catches it (it used to pass as "plausible characters")
    assert.equal(validateAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T', 'tron'), 'address.tronChecksum');
    assert.equal(validateAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj7t', 'tron'), 'address.tronChecksum');
    assert.equal(validateAddress('0xe0cc5cc0e6b6d1b40ba4f6a0e3bb8f3b7c3a9e2a', 'tron'), 'address.tronFormat');
    assert.equal(validateAddress('ES9121000418450200051332', 'tron'), 'address.tronFormat');
    assert.equal(validateAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'polygon'), 'address.format');
    assert.equal(validateAddress('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'bitcoin'), 'address.unsupported');
  });
  it('groups for visual checking', () => {
    assert.deepEqual(groupAddress('0x12345678'), ['0x1234', '5678']);
    assert.deepEqual(groupAddress(' TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t '), ['TR7N', 'Hqje', 'KQxG', 'TCi8', 'q8ZY', '4pL8', 'otSz', 'gjLj', '6t']);
    assert.deepEqual(groupAddress('0x'), []);
  });
  it('knows every EVM and Tron network name the API uses, in any case; a missing network is EVM (LATAM)', () => {
    const evm = '0xe0cc5cc0e6b6d1b40ba4f6a0e3bb8f3b7c3a9e2a';
    const names = ['ethereum', 'eth', 'erc20', 'polygon', 'matic', 'bsc', 'bep20', 'binance', 'arbitrum', 'optimism', 'base'];
    names.push('avalanche', 'avax', 'gnosis', 'linea', 'zksync', 'celo', 'fantom');
    for (const chain of [...names, 'POLYGON', undefined, ''])
      assert.deepEqual([validateAddress(evm, chain), isEvmChain(chain), isCheckedChain(chain)], [null, true, true], String(chain));
    for (const chain of ['tron', 'trx', 'TRC20']) {
      assert.equal(validateAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', chain), null, chain);
      assert.deepEqual([isEvmChain(chain), isCheckedChain(chain)], [false, true], chain);
    }
    assert.deepEqual([isEvmChain('solana'), isCheckedChain('solana')], [false, false]);
  });
  it('EIP-55: all one case carries no checksum; mixed case must match it; the zero address is refused; spaces around are fine', () => {
    // the EIP's own examples
    for (const address of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    ]) {
      assert.equal(toChecksumAddress(address.toLowerCase()), address);
      assert.equal(validateAddress(address, 'ethereum'), null);
      assert.equal(validateAddress(` ${address}\n`, 'ethereum'), null);
      assert.equal(validateAddress(`0x${address.slice(2).toUpperCase()}`, 'ethereum'), null);
      assert.equal(
        validateAddress(
          address.replace(/[a-f]/, (c) => c.toUpperCase()),
          'ethereum',
        ),
        'address.checksum',
      );
    }
    assert.equal(validateAddress(`0x${'0'.repeat(40)}`, 'polygon'), 'address.zero');
    assert.equal(validateAddress('   ', 'polygon'), 'address.empty');
    assert.equal(validateAddress(`0x${'0'.repeat(39)}1`, 'polygon'), null);
  });
});

describe('status', () => {
  it('normalises upstream values into one lifecycle', () => {
    assert.equal(normalizeStatus('onramp', 'started'), 'created');
    assert.equal(normalizeStatus('onramp', 'pending_bank'), 'payment_pending');
    assert.equal(normalizeStatus('onramp', 'coins_sent'), 'completed');
    assert.equal(normalizeStatus('offramp', 'finished'), 'completed');
    assert.equal(normalizeStatus('offramp', 'something_new'), 'processing');
  });
  it('only moves forward', () => {
    assert.equal(isForward('funds_received', 'created'), false);
    assert.equal(isForward('created', 'funds_received'), true);
    assert.equal(isForward('completed', 'failed'), false);
    assert.equal(isForward('created', 'created'), false);
  });
  it('normalises KYC', () => {
    assert.equal(normalizeKyc('valid'), 'valid');
    assert.equal(normalizeKyc('fail'), 'failed');
    assert.equal(normalizeKyc('unused'), 'pending');
    assert.equal(normalizeKyc('processing'), 'pending');
    assert.deepEqual(['APPROVED', 'Verified', 'rejected', 'FAILED'].map(normalizeKyc), ['valid', 'valid', 'failed', 'failed']);
  });
  it('every move of the lifecycle: forward only, processing once, nothing after the end', () => {
    // processing (the upstream's in-between states) sits before funds_received: it never follows it
    const order: RampStatus[] = ['created', 'payment_pending', 'processing', 'funds_received', 'completed', 'failed', 'expired'];
    const rank = (s: RampStatus) => Math.min(order.indexOf(s), 4);
    for (const from of order)
      for (const to of order) {
        const expected = rank(from) < 4 && rank(to) > rank(from);
        assert.equal(isForward(from, to), expected, `${from} → ${to}`);
        assert.equal(hasReached(from, to), from !== 'failed' && from !== 'expired' && rank(from) >= rank(to), `${from} reached ${to}`);
      }
    assert.equal(isForward(undefined, 'completed'), true);
    assert.deepEqual(order.map(isTerminal), [false, false, false, false, true, true, true]);
  });
  it('the KYC gate: none when verified, a wait while a review runs, a start otherwise', () => {
    assert.equal(kycGateKind('valid', 'valid'), undefined);
    assert.equal(kycGateKind('failed', 'rejected'), 'failed');
    assert.deepEqual(
      ['processing', 'PENDING', 'review', 'in_review', 'submitted', 'In_Progress', 'unused', 'new'].map((raw) => kycGateKind('pending', raw)),
      ['progress', 'progress', 'progress', 'progress', 'progress', 'progress', 'start', 'start'],
    );
  });
});

describe('safe URLs', () => {
  it('https anywhere; http only on this machine; nothing else, nothing too long', () => {
    for (const url of ['https://pay.example/x', 'HTTPS://PAY.EXAMPLE', 'http://localhost:8080/pay', 'http://127.0.0.1/x', 'http://[::1]:3000/'])
      assert.equal(isSafeUrl(url), true, url);
    for (const url of [
      undefined,
      '',
      'http://pay.example/x',
      'http://localhost.evil.example/',
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://localhost/x',
      '//pay.example/x',
      'not a url',
      `https://pay.example/${'x'.repeat(2048)}`,
    ])
      assert.equal(isSafeUrl(url), false, String(url));
    assert.equal(isSafeUrl(`https://pay.example/${'x'.repeat(2048 - 'https://pay.example/'.length)}`), true, 'exactly 2048 characters');
  });
});

describe('deposit QR code: EIP-681 payment requests', () => {
  const to = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

  it('every contract in the table is written in its EIP-55 checksum case, and every network has its chain id', () => {
    for (const [symbol, chains] of Object.entries(TOKEN_CONTRACTS)) {
      for (const [chain, token] of Object.entries(chains)) {
        assert.equal(toChecksumAddress(token.address), token.address, `${symbol} on ${chain}`);
        assert.ok(CHAIN_IDS[chain], `${chain} has no chain id`);
        assert.ok(isEvmChain(chain), `${chain} is an EVM network`);
      }
    }
    // the published ids (chainlist.org): a typo here sends a wallet to another network
    assert.deepEqual(CHAIN_IDS, { ethereum: 1, polygon: 137, bsc: 56, arbitrum: 42161, optimism: 10, base: 8453 });
  });

  it('a known token: a transfer request with the contract, the chain id, the recipient as given and the amount in on-chain base units', () => {
    assert.deepEqual(paymentRequest({ address: to, symbol: 'USDT', chain: 'polygon', amount: '25.5' }), {
      text: `ethereum:0xc2132D05D31c914a87C6611C10748AEb04B58e8F@137/transfer?address=${to}&uint256=25500000`,
      holds: 'request',
    });
    // BNB Smart Chain's USDC has 18 decimals on chain
    assert.equal(
      paymentRequest({ address: to, symbol: 'USDC', chain: 'bsc', amount: '1.000001' }).text,
      `ethereum:0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d@56/transfer?address=${to}&uint256=1000001000000000000`,
    );
    // the network's own coin: a value in wei
    assert.equal(paymentRequest({ address: to, symbol: 'ETH', chain: 'ethereum', amount: '0.05' }).text, `ethereum:${to}@1?value=50000000000000000`);
    for (const [chain, id] of [
      ['arbitrum', 42161],
      ['optimism', 10],
      ['base', 8453],
    ] as const)
      assert.deepEqual(paymentRequest({ address: to, symbol: 'ETH', chain, amount: '1' }), {
        text: `ethereum:${to}@${id}?value=1000000000000000000`,
        holds: 'request',
      });
    assert.equal(
      paymentRequest({ address: to, symbol: 'USDT', chain: 'ethereum', amount: '7' }).text,
      `ethereum:0xdAC17F958D2ee523a2206206994597C13D831ec7@1/transfer?address=${to}&uint256=7000000`,
    );
  });

  it('anything not known for certain is the bare address: USDC on Polygon (native or bridged?), no network, Tron, an amount finer than the token', () => {
    for (const deposit of [
      { address: to, symbol: 'USDC', chain: 'polygon', amount: '10' },
      { address: to, symbol: 'USDC', amount: '10' },
      { address: to, symbol: 'DAI', chain: 'ethereum', amount: '10' },
      { address: 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL', symbol: 'USDT', chain: 'tron', amount: '10' },
      { address: to, symbol: 'USDT', chain: 'ethereum', amount: '0.0000001' },
      { address: to, symbol: 'ETH', chain: 'ethereum', amount: `0.${'0'.repeat(18)}1` },
      { address: to, symbol: 'ETH', chain: 'polygon', amount: '1' },
      { address: to, symbol: 'ETH', chain: 'bsc', amount: '1' },
      { address: `${to}00`, symbol: 'USDT', chain: 'ethereum', amount: '1' },
      { address: ` ${to}`, symbol: 'USDT', chain: 'ethereum', amount: '1' },
      { address: to.slice(2), symbol: 'USDT', chain: 'ethereum', amount: '1' },
      { address: to, symbol: 'USDT', chain: 'solana', amount: '1' },
    ]) {
      assert.deepEqual(paymentRequest(deposit), { text: deposit.address, holds: 'address' }, JSON.stringify(deposit));
    }
  });
});

describe('webhook signatures: HMAC-SHA256 and the comparison', () => {
  it('agrees with node:crypto on text (as UTF-8) and on exact bytes, every byte written as two hex digits', async () => {
    for (const message of ['', 'a', '{"id":"op-1","status":"finished"}1700000000', 'ünïcødé ✓', '\u0000\u0001'.repeat(40)]) {
      assert.equal(await hmacSha256Hex('whsec-test', message), createHmac('sha256', 'whsec-test').update(message, 'utf8').digest('hex'), message);
      assert.equal(await sha256Hex(message), createHash('sha256').update(message, 'utf8').digest('hex'), message);
    }
    const bytes = new Uint8Array([0, 1, 2, 255, 0xc3]);
    assert.equal(await hmacSha256Hex('k', bytes), createHmac('sha256', 'k').update(bytes).digest('hex'));
  });

  it('compares every character, and different lengths are never equal', () => {
    assert.equal(timingSafeEqual('abcdef', 'abcdef'), true);
    assert.equal(timingSafeEqual('', ''), true);
    for (const other of ['Abcdef', 'abcdeF', 'abcxef', 'abcde', 'abcdefa', '']) assert.equal(timingSafeEqual('abcdef', other), false, other);
  });
});

describe('JSON bodies with exact amounts', () => {
  it('writes decimals as number literals and everything else as JSON does; leaves out undefined like JSON.stringify', () => {
    const body = {
      amount: decimal('20.50'),
      text: '20.50',
      n: 3,
      ok: true,
      none: null,
      gone: undefined,
      list: [decimal('1'), undefined, 'x'],
      nested: { fee: decimal('0.1') },
    };
    assert.equal(jsonBody(body), '{"amount":20.50,"text":"20.50","n":3,"ok":true,"none":null,"list":[1,null,"x"],"nested":{"fee":0.1}}');
    assert.equal(jsonBody({ 'a"b': 'c\nd' }), JSON.stringify({ 'a"b': 'c\nd' }));
    assert.equal(jsonBody({}), '{}');
    for (const bad of ['1e3', '-1', '1.', '.5', '0x10', ' 1', '1 '])
      assert.throws(() => decimal(bad), { name: 'RangeError', message: `not a decimal: ${bad}` });
  });
});
